package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
	"gopkg.in/yaml.v3"
)

// checkListTable checks polrun list's table with policy loaded: a header,
// a row for the base and for the policy, no line ending in spaces; the
// programs and maps under --verbose; the same in YAML as in JSON.
func checkListTable(t *testing.T, e *env, policy string) {
	t.Helper()
	out, errOut, code := e.polrun("list")
	if code != exitOK {
		t.Fatalf("list: exit %d\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if !regexp.MustCompile(`^NAME +MODE +STATE +HOOKS +PROGRAMS +NPOST +NENFORCE +NLOST +KERNELMEMORY$`).MatchString(lines[0]) {
		t.Errorf("header: %q", lines[0])
	}
	// The test bundle is not polc's and has no counters: "-".
	row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(policy) + ` +(enforce|monitor|monitor_only) +enabled +1 +1 +- +- +- +[0-9.]+ (B|KiB|MiB)$`)
	// The base counts its exec, fork and exit records; it enforces nothing.
	base := regexp.MustCompile(`(?m)^\(base\) +- +enabled +[0-9]+ +[0-9]+ +[1-9][0-9]* +0 +[0-9]+ +[0-9.]+ (KiB|MiB)$`)
	if !row.MatchString(out) || !base.MatchString(out) {
		t.Errorf("rows:\n%s", out)
	}
	verbose, _, _ := e.polrun("list", "--verbose")
	if !strings.Contains(verbose, "policy "+policy+": id ") || !regexp.MustCompile(`(?m)^  clitest_enter +tracepoint raw_syscalls/sys_enter +TracePoint `).MatchString(verbose) ||
		!regexp.MustCompile(`(?m)^  MAP +TYPE +ID +KEY +VALUE +MAX ENTRIES +MEMORY$`).MatchString(verbose) {
		t.Errorf("list --verbose:\n%s", verbose)
	}
	for _, text := range []string{out, verbose} {
		for _, l := range strings.Split(text, "\n") {
			if strings.HasSuffix(l, " ") || strings.HasSuffix(l, "\t") {
				t.Errorf("line ends in white space: %q", l)
			}
		}
	}
	js, _, _ := e.polrun("list", "-o", "json")
	ym, _, code := e.polrun("list", "-o", "yaml")
	var fromJSON, fromYAML any
	if err := yaml.Unmarshal([]byte(js), &fromJSON); err != nil || code != exitOK {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(ym), &fromYAML); err != nil {
		t.Fatalf("yaml: %v\n%s", err, ym)
	}
	if !strings.Contains(ym, "policies:\n  - name: "+policy+"\n") || !strings.Contains(ym, "kernel_memory: ") {
		t.Errorf("yaml:\n%s", ym)
	}
	// The base's counters move with every process the host starts
	// between the two runs.
	for _, v := range []any{fromJSON, fromYAML} {
		if m, ok := v.(map[string]any); ok {
			if b, ok := m["base"].(map[string]any); ok {
				delete(b, "npost")
				delete(b, "nlost")
			}
		}
	}
	jsN, _ := yaml.Marshal(fromJSON)
	ymN, _ := yaml.Marshal(fromYAML)
	if string(jsN) != string(ymN) {
		t.Errorf("-o yaml and -o json differ:\n%s\n%s", ymN, jsN)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 1023: "1023 B", 1024: "1.00 KiB", 1536: "1.50 KiB", 8 << 20: "8.00 MiB", 3 << 30: "3.00 GiB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestListCounters: three policies built by polc watch one process, which
// calls getppid every 20ms: one posts, one signals it (SIGWINCH, which it
// ignores) in enforce mode, the same in monitor mode. NPOST moves while it
// runs; once it is gone, each policy's NPOST is the number of its events
// polrun events reads from the ring buffer, NENFORCE counts every signal
// sent and none in monitor mode, NLOST is 0; the table shows the same.
func TestListCounters(t *testing.T) {
	e := newEnv(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "POLRUN_TEST_SYSCALLER=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	pid := uint32(cmd.Process.Pid)

	dir := t.TempDir()
	post := e.polcBundle(dir, "clitest-cnt-post", pid, "counted")
	tmpl, err := os.ReadFile("testdata/signal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var signals []string
	for _, name := range []string{"clitest-cnt-sig", "clitest-cnt-mon"} {
		src := filepath.Join(t.TempDir(), name+".yaml")
		yaml := strings.NewReplacer("__NAME__", name, "__PID__", strconv.FormatUint(uint64(pid), 10),
			"__ID__", strconv.Itoa(unix.SYS_GETPPID), "__SIG__", strconv.Itoa(int(unix.SIGWINCH))).Replace(string(tmpl))
		if err := os.WriteFile(src, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		polc(t, "build", "-o", dir, src)
		signals = append(signals, filepath.Join(dir, name+".bpf.o"))
	}
	for _, args := range [][]string{{"load", post}, {"load", signals[0]}, {"load", "--mode", "monitor", signals[1]}} {
		if _, errOut, code := e.polrun(args...); code != exitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
	}
	type counters struct {
		NPost    *uint64 `json:"npost"`
		NEnforce *uint64 `json:"nenforce"`
		NLost    *uint64 `json:"nlost"`
	}
	list := func() map[string]counters {
		out, errOut, code := e.polrun("list", "-o", "json")
		if code != exitOK {
			t.Fatalf("list: exit %d\n%s", code, errOut)
		}
		var st struct {
			Policies []struct {
				Name string `json:"name"`
				counters
			} `json:"policies"`
		}
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		got := map[string]counters{}
		for _, p := range st.Policies {
			if p.NPost == nil || p.NEnforce == nil || p.NLost == nil {
				t.Fatalf("policy %s has no counters:\n%s", p.Name, out)
			}
			got[p.Name] = p.counters
		}
		return got
	}
	time.Sleep(300 * time.Millisecond)
	first := list()
	time.Sleep(time.Second)
	second := list()
	for _, name := range []string{"clitest-cnt-post", "clitest-cnt-sig", "clitest-cnt-mon"} {
		// getppid every 20ms: some 50 a second.
		if d := *second[name].NPost - *first[name].NPost; d < 20 {
			t.Errorf("%s: NPOST went from %d to %d in a second", name, *first[name].NPost, *second[name].NPost)
		}
	}

	// Once the process is gone, nothing more is posted: what the ring
	// holds is what the counters say.
	stdin.Close()
	cmd.Wait()
	final := list()
	out, errOut, code := e.polrun("events", "-o", "json", "--duration", "3s")
	if code != exitOK {
		t.Fatalf("events: exit %d\n%s", code, errOut)
	}
	read := map[string]uint64{}
	for _, l := range strings.Split(out, "\n") {
		for _, name := range []string{"clitest-cnt-post", "clitest-cnt-sig", "clitest-cnt-mon"} {
			if strings.Contains(l, `"policy_name":"`+name+`"`) {
				read[name]++
			}
		}
	}
	for name, wantEnforce := range map[string]bool{"clitest-cnt-post": false, "clitest-cnt-sig": true, "clitest-cnt-mon": false} {
		c := final[name]
		t.Logf("%s: npost %d, nenforce %d, nlost %d; %d events read", name, *c.NPost, *c.NEnforce, *c.NLost, read[name])
		if *c.NPost != read[name] || *c.NLost != 0 {
			t.Errorf("%s: NPOST %d, NLOST %d; %d events read", name, *c.NPost, *c.NLost, read[name])
		}
		// The signal policy's records are all of signalled calls.
		if want := uint64(0); wantEnforce && *c.NEnforce != *c.NPost || !wantEnforce && *c.NEnforce != want {
			t.Errorf("%s: NENFORCE %d with NPOST %d", name, *c.NEnforce, *c.NPost)
		}
	}

	table, _, _ := e.polrun("list")
	row := regexp.MustCompile(`(?m)^clitest-cnt-sig +enforce +enabled +1 +1 +` + strconv.FormatUint(*final["clitest-cnt-sig"].NPost, 10) +
		` +` + strconv.FormatUint(*final["clitest-cnt-sig"].NEnforce, 10) + ` +0 +[0-9.]+ (B|KiB|MiB)$`)
	if !row.MatchString(table) || !regexp.MustCompile(`(?m)^NAME +MODE +STATE +HOOKS +PROGRAMS +NPOST +NENFORCE +NLOST +KERNELMEMORY$`).MatchString(table) {
		t.Errorf("table:\n%s", table)
	}
}
