package main

import (
	"regexp"
	"strings"
	"testing"

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
	if !regexp.MustCompile(`^NAME +MODE +STATE +HOOKS +PROGRAMS +KERNELMEMORY$`).MatchString(lines[0]) {
		t.Errorf("header: %q", lines[0])
	}
	row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(policy) + ` +(enforce|monitor|monitor_only) +enabled +1 +1 +[0-9.]+ (B|KiB|MiB)$`)
	base := regexp.MustCompile(`(?m)^\(base\) +- +enabled +[0-9]+ +[0-9]+ +[0-9.]+ (KiB|MiB)$`)
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
