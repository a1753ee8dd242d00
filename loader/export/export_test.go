package export

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader"
)

func TestFilters(t *testing.T) {
	allow, err := ParseFilters("--export-allowlist", `{"event_set":["PROCESS_KPROBE","PROCESS_LSM"],"binary_regex":["^/usr/bin/(cat|curl)$"]}
{"policyNames":["p2"]}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		m    Meta
		want bool
	}{
		{Meta{Kind: "process_kprobe", Binary: "/usr/bin/cat", HasProcess: true}, true},
		{Meta{Kind: "process_lsm", Binary: "/usr/bin/curl", HasProcess: true}, true},
		{Meta{Kind: "process_tracepoint", Binary: "/usr/bin/cat", HasProcess: true}, false},
		{Meta{Kind: "process_kprobe", Binary: "/usr/bin/catx", HasProcess: true}, false},
		{Meta{Kind: "process_kprobe", Binary: "/usr/bin/cat"}, false}, // no process
		{Meta{Kind: "process_tracepoint", Policy: "p2"}, true},
		{Meta{Kind: "process_tracepoint", Policy: "p3"}, false},
	} {
		if got := allow.Match(&c.m); got != c.want {
			t.Errorf("%+v: match %v, want %v", c.m, got, c.want)
		}
	}
	// Namespaces: polrun events carry no pod, so "" matches them (as
	// Tetragon's filter does for a process outside pods), a name none.
	ns, err := ParseFilters("x", `{"namespace":["", "kube-system"]}`)
	if err != nil {
		t.Fatal(err)
	}
	if !ns.Match(&Meta{HasProcess: true}) || ns.Match(&Meta{}) {
		t.Error("namespace \"\" must match a process outside pods only")
	}
	if got := ns.NamedNamespaces(); len(got) != 1 || got[0] != "kube-system" {
		t.Errorf("NamedNamespaces = %v", got)
	}
	kube, _ := ParseFilters("x", `{"namespace":["kube-system"]}`)
	if kube.Match(&Meta{HasProcess: true}) {
		t.Error("a namespace name matched an event without a pod")
	}
	// An empty list sets no condition, as in Tetragon.
	empty, _ := ParseFilters("x", `{"event_set":[]}`)
	if !empty.Match(&Meta{Kind: "process_kprobe"}) {
		t.Error("empty event_set did not match")
	}
}

func TestFilterErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"pid":[1]}`, "object 1: field pid: not supported"},
		{`{"event_set":["PROCESS_KPROBE"]}` + "\n" + `{"pod_regex":["x"]}`, "object 2: field pod_regex: not supported"},
		{`{"labels":["a=b"]}`, "field labels: not supported (polrun events carry no pod labels)"},
		{`{"celExpression":["true"]}`, "field celExpression: not supported"},
		{`{"bogus":[]}`, "field bogus: unknown field"},
		{`{"event_set":["PROCESS_NOPE"]}`, `unknown event type "PROCESS_NOPE"`},
		{`{"binary_regex":["("]}`, "missing closing )"},
		{`{"binary_regex":"x"}`, "want a list of strings"},
		{`{"event_set":`, "object 1: unexpected EOF"},
		{`[1]`, "object 1:"},
	} {
		_, err := ParseFilters("--export-denylist", c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "--export-denylist: ") {
			t.Errorf("%s: error %v, want %q", c.in, err, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{`{"fields":"process.pid"}`, `action "": want INCLUDE or EXCLUDE`},
		{`{"fields":"process.pid","action":"KEEP"}`, `action "KEEP"`},
		{`{"fields":["process"],"action":"INCLUDE"}`, "fields: want a string"},
		{`{"fields":"a..b","action":"INCLUDE"}`, `bad path "a..b"`},
		{`{"fields":"a","action":"INCLUDE","x":1}`, "unknown field x"},
		{`{"fields":"a","action":"INCLUDE","event_set":["NO"]}`, `unknown event type "NO"`},
	} {
		_, err := ParseFieldFilters("--field-filters", c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.in, err, c.want)
		}
	}
}

// testEvent encodes an event with the loader's encoder.
func testEvent(i int) []byte {
	pid := uint32(1000 + i)
	ev := &loader.Event{
		Kind: loader.KindKprobe, Time: time.Unix(1700000000, int64(i)).UTC(), NodeName: "node",
		Policy: "p", Hook: &bpf.Hook{Kind: "kprobe", Target: "fd_install"},
		Process: &loader.Process{ExecID: "ZXhlYw==", PID: &pid, Binary: "/usr/bin/cat", Arguments: "/etc/passwd " + strconv.Itoa(i), Cwd: "/"},
		Args:    []loader.Arg{{Type: "int", Key: "int_arg", Value: int32(i)}, {Type: "file", Key: "file_arg", Value: loader.FileArg{Path: "/etc/passwd"}}},
	}
	return ev.AppendJSON(nil)
}

func TestFieldFilters(t *testing.T) {
	line := testEvent(7)
	ffs, err := ParseFieldFilters("f", `{"fields":"process.binary,process.pid,args,policy_name","action":"INCLUDE","event_set":["PROCESS_KPROBE"]}
{"fields":"args.file_arg","action":"EXCLUDE"}`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ApplyFields(ffs, line)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"process_kprobe":{"process":{"pid":1007,"binary":"/usr/bin/cat"},"args":[{"int_arg":7},{}],"policy_name":"p"},"node_name":"node","time":"2023-11-14T22:13:20.000000007Z"}`
	if string(got) != want {
		t.Errorf("include then exclude:\n got %s\nwant %s\n from %s", got, want, line)
	}
	// Not of the event set: untouched.
	other, _ := ParseFieldFilters("f", `{"fields":"process","action":"EXCLUDE","event_set":["PROCESS_LSM"]}`)
	if got, _ := ApplyFields(other, line); !bytes.Equal(got, line) {
		t.Errorf("a filter of another event type changed the event: %s", got)
	}
	inverted, _ := ParseFieldFilters("f", `{"fields":"process","action":"EXCLUDE","event_set":["PROCESS_LSM"],"invert_event_set":true}`)
	if got, _ := ApplyFields(inverted, line); bytes.Contains(got, []byte(`"process"`)) || !json.Valid(got) {
		t.Errorf("an inverted event set did not apply: %s", got)
	}
}

func TestRateLimit(t *testing.T) {
	now := time.Unix(1700000000, 0)
	var out bytes.Buffer
	e := NewStreamExporter(&out, Options{RateLimit: 60, NodeName: "n", Now: func() time.Time { return now }})
	m := &Meta{Kind: "process_kprobe"}
	for i := range 100 { // 60 pass (the bucket), 40 dropped
		if err := e.Write(m, testEvent(i)); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(5 * time.Second) // 5 more tokens
	for i := range 10 {
		e.Write(m, testEvent(100+i))
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	st := e.Stats()
	if st.Written != 65 || st.RateLimited != 45 {
		t.Errorf("stats %+v, want 65 written, 45 dropped", st)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	var reports []string
	for _, l := range lines {
		if strings.HasPrefix(l, `{"rate_limit_info":`) {
			reports = append(reports, l)
		}
	}
	want := []string{
		`{"rate_limit_info":{"number_of_dropped_process_events":"40"},"node_name":"n","time":"2023-11-14T22:13:25.000000000Z"}`,
		`{"rate_limit_info":{"number_of_dropped_process_events":"5"},"node_name":"n","time":"2023-11-14T22:13:25.000000000Z"}`,
	}
	if strings.Join(reports, "\n") != strings.Join(want, "\n") || len(lines) != 67 {
		t.Errorf("%d lines; reports:\n%s\nwant\n%s", len(lines), strings.Join(reports, "\n"), strings.Join(want, "\n"))
	}
}

func TestAllowDeny(t *testing.T) {
	allow, _ := ParseFilters("a", `{"policy_names":["p","q"]}`)
	deny, _ := ParseFilters("d", `{"binary_regex":["sh$"]}`)
	var out bytes.Buffer
	e := NewStreamExporter(&out, Options{Allow: allow, Deny: deny})
	for _, m := range []Meta{
		{Policy: "p", Binary: "/bin/cat", HasProcess: true},
		{Policy: "p", Binary: "/bin/bash", HasProcess: true},
		{Policy: "r", Binary: "/bin/cat", HasProcess: true},
		{Policy: "q", HasProcess: false},
	} {
		e.Write(&m, []byte(m.Policy+" "+m.Binary))
	}
	e.Close()
	if got := out.String(); got != "p /bin/cat\nq \n" || e.Stats().Filtered != 2 {
		t.Errorf("got %q, stats %+v", got, e.Stats())
	}
}

// exportBytes is how much TestRotation writes: POLC_EXPORT_TEST_MB
// overrides it (1024 for the 1 GB in 10 MB files).
func exportBytes(t *testing.T) (total, fileSize int64) {
	total, fileSize = 24<<20, 1<<20
	if s := os.Getenv("POLC_EXPORT_TEST_MB"); s != "" {
		mb, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		total, fileSize = int64(mb)<<20, 10<<20
	}
	return
}

// readLines reads a current or rotated (gzipped) export file.
func readLines(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Fatalf("%s does not end with a whole line", path)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// TestRotation writes an export much larger than a file, once keeping
// every backup and once a few, and checks that the files hold the events
// in order, each whole and once, and that no file is larger than allowed.
func TestRotation(t *testing.T) {
	total, fileSize := exportBytes(t)
	for _, keep := range []int{-1, 3} {
		t.Run(fmt.Sprintf("keep%d", keep), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out", "events.json")
			backups := keep
			if keep < 0 {
				backups = int(total/fileSize) + 10
			}
			f, err := OpenFile(FileOptions{Path: path, MaxSize: fileSize, MaxBackups: backups, Compress: true})
			if err != nil {
				t.Fatal(err)
			}
			e := NewFileExporter(f, Options{})
			var written int64
			n := 0
			for ; written < total; n++ {
				line := testEvent(n)
				if err := e.Write(&Meta{}, line); err != nil {
					t.Fatal(err)
				}
				written += int64(len(line)) + 1
			}
			rotations := f.Rotations()
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			files, err := f.Backups()
			if err != nil {
				t.Fatal(err)
			}
			wantBackups := min(int(rotations), backups)
			if len(files) != wantBackups {
				t.Fatalf("%d rotations, %d backups kept, want %d: %v", rotations, len(files), wantBackups, files)
			}
			files = append(files, path)
			next := -1 // the number of the next event expected
			for _, name := range files {
				if !strings.HasSuffix(name, ".gz") && name != path {
					t.Errorf("%s: not compressed", name)
				}
				if name != path {
					st, _ := os.Stat(strings.TrimSuffix(name, ".gz"))
					if st != nil {
						t.Errorf("%s: left uncompressed beside its .gz", name)
					}
				}
				lines := readLines(t, name)
				var size int64
				for _, l := range lines {
					size += int64(len(l)) + 1
					var ev struct {
						Kprobe struct {
							Args []struct {
								Int *int `json:"int_arg"`
							} `json:"args"`
						} `json:"process_kprobe"`
					}
					if err := json.Unmarshal([]byte(l), &ev); err != nil || len(ev.Kprobe.Args) == 0 || ev.Kprobe.Args[0].Int == nil {
						t.Fatalf("%s: not a whole event: %q (%v)", name, l, err)
					}
					i := *ev.Kprobe.Args[0].Int
					if next >= 0 && i != next {
						t.Fatalf("%s: event %d after %d", name, i, next-1)
					}
					next = i + 1
				}
				if size > fileSize {
					t.Errorf("%s: %d bytes, more than %d", name, size, fileSize)
				}
			}
			if next != n {
				t.Errorf("last event %d, want %d", next-1, n-1)
			}
			if keep < 0 {
				// Every event is there: the first file starts at 0.
				first := readLines(t, files[0])[0]
				if !bytes.Equal([]byte(first), testEvent(0)) {
					t.Errorf("first file starts with %s", first)
				}
			}
			t.Logf("%d events, %d bytes, %d rotations, %d files kept", n, written, rotations, len(files))
		})
	}
}

// BenchmarkExportFile: events/s written to a rotating, compressing file.
func BenchmarkExportFile(b *testing.B) {
	lines := make([][]byte, 1024)
	var bytesPer int64
	for i := range lines {
		lines[i] = testEvent(i)
		bytesPer += int64(len(lines[i]) + 1)
	}
	f, err := OpenFile(FileOptions{Path: filepath.Join(b.TempDir(), "events.json"), MaxSize: 10 << 20, MaxBackups: 2, Compress: true})
	if err != nil {
		b.Fatal(err)
	}
	e := NewFileExporter(f, Options{})
	m := &Meta{}
	b.SetBytes(bytesPer / int64(len(lines)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := e.Write(m, lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
	}
	if err := e.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkEncodeAndExportFile: events/s encoded by the loader's encoder
// and written to a rotating, compressing file, as polrun does with
// --export-file.
func BenchmarkEncodeAndExportFile(b *testing.B) {
	pid := uint32(4242)
	ev := &loader.Event{
		Kind: loader.KindKprobe, Time: time.Unix(1700000000, 0).UTC(), NodeName: "node",
		Policy: "p", Hook: &bpf.Hook{Kind: "kprobe", Target: "fd_install"},
		Process: &loader.Process{ExecID: "ZXhlYw==", PID: &pid, Binary: "/usr/bin/cat", Arguments: "/etc/passwd", Cwd: "/"},
		Args:    []loader.Arg{{Type: "int", Key: "int_arg", Value: int32(3)}, {Type: "file", Key: "file_arg", Value: loader.FileArg{Path: "/etc/passwd"}}},
	}
	f, err := OpenFile(FileOptions{Path: filepath.Join(b.TempDir(), "events.json"), MaxSize: 10 << 20, MaxBackups: 2, Compress: true})
	if err != nil {
		b.Fatal(err)
	}
	e := NewFileExporter(f, Options{})
	m := &Meta{Kind: ev.Kind, Policy: ev.Policy, Binary: ev.Process.Binary, HasProcess: true}
	var line []byte
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		line = ev.AppendJSON(line[:0])
		if err := e.Write(m, line); err != nil {
			b.Fatal(err)
		}
	}
	if err := e.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
