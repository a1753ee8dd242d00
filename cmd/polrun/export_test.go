package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportFile: events of two of three policies (--policy, a name not
// loaded warned about) go to the export file, not stdout, after the deny
// list and the field filters; a rate limit drops events and says how
// many in a rate_limit_info event.
func TestExportFile(t *testing.T) {
	e := newEnv(t)
	target := startSyscaller(t)
	for _, name := range []string{"clitest-exa", "clitest-exb", "clitest-exc"} {
		if _, errOut, code := e.polrun("load", e.syscallBundle(name, target)); code != exitOK {
			t.Fatalf("load %s: %s", name, errOut)
		}
	}
	path := filepath.Join(t.TempDir(), "export", "events.json")
	out, errOut, code := e.polrun("events", "--policy", "clitest-exa,clitest-nosuch", "--policy", "clitest-exb",
		"--export-file", path, "--export-file-max-size-mb", "1", "--export-file-max-backups", "2",
		"--export-denylist", `{"policy_names":["clitest-exb"]}`,
		"--field-filters", `{"fields":"process.pid,policy_name","action":"INCLUDE","event_set":["PROCESS_TRACEPOINT"]}`,
		"--duration", "2s")
	if code != exitOK || out != "" {
		t.Fatalf("exit %d, stdout %.200q\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "policy clitest-nosuch is not loaded (loaded: clitest-exa, clitest-exb, clitest-exc)") || strings.Contains(errOut, "clitest-exa is not loaded") {
		t.Errorf("warnings:\n%s", errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("export file: %q", data)
	}
	for _, l := range lines {
		var ev struct {
			Body map[string]json.RawMessage `json:"process_tracepoint"`
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		body := ev.Body
		var proc map[string]json.RawMessage
		json.Unmarshal(body["process"], &proc)
		if len(body) != 2 || string(body["policy_name"]) != `"clitest-exa"` || len(proc) != 1 || proc["pid"] == nil {
			t.Fatalf("event not filtered as asked: %s", l)
		}
	}

	// A rate limit of 60 a minute lets the first 60 events through,
	// then about one a second, and reports the rest.
	out, errOut, code = e.polrun("events", "--policy", "clitest-exc", "--export-rate-limit", "60", "--duration", "2s")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	events, dropped := 0, 0
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var info struct {
			RateLimitInfo *struct {
				Dropped string `json:"number_of_dropped_process_events"`
			} `json:"rate_limit_info"`
		}
		if err := json.Unmarshal([]byte(l), &info); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if info.RateLimitInfo == nil {
			events++
			continue
		}
		var n int
		json.Unmarshal([]byte(info.RateLimitInfo.Dropped), &n)
		dropped += n
	}
	if events < 60 || events > 64 || dropped == 0 {
		t.Errorf("%d events written, %d reported dropped\n%s", events, dropped, errOut)
	}

	// Filters polrun cannot apply are refused, by name.
	_, errOut, code = e.polrun("events", "--export-allowlist", `{"pod_regex":["x"]}`)
	if code != exitUsage || !strings.Contains(errOut, "--export-allowlist: object 1: field pod_regex: not supported (polrun events carry no pod)") {
		t.Errorf("pod_regex: exit %d\n%s", code, errOut)
	}
	_, errOut, code = e.polrun("events", "-o", "compact", "--field-filters", `{"fields":"process","action":"EXCLUDE"}`)
	if code != exitUsage || !strings.Contains(errOut, "--field-filters: needs -o json") {
		t.Errorf("compact field filters: exit %d\n%s", code, errOut)
	}
}
