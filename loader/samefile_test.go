package loader

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
)

// sameFilePolicy is a raw tracepoint sched_process_exec policy posting the
// exec of the file values names (SameFile) and, in a second selector,
// the exec of any other file whose path starts with other (NotSameFile
// values, and Prefix).
func sameFilePolicy(name string, values []string, other string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: %q
spec:
  tracepoints:
  - subsystem: sched
    event: sched_process_exec
    raw: true
    args:
    - {index: 2, type: file, resolve: "file"}
    selectors:
    - matchArgs:
      - {index: 2, operator: SameFile, values: [%s]}
    - matchArgs:
      - {index: 2, operator: NotSameFile, values: [%s]}
      - {index: 2, operator: Prefix, values: [%q]}
`, name, strings.Join(q, ", "), strings.Join(q, ", "), other)
}

// TestSameFileLoad loads a SameFile policy with polrun's loader, which
// identifies the value's file on this machine when it loads the policy:
// the exec of a hard link of the file is posted by the SameFile selector,
// the exec of a copy of it by the NotSameFile one.
func TestSameFileLoad(t *testing.T) {
	o := testOptions(t)
	h := newHelper(t) // the file the policy names
	dir := filepath.Dir(h.path)
	link := &helper{path: filepath.Join(dir, "polc-helper-link")}
	if err := os.Link(h.path, link.path); err != nil {
		t.Fatal(err)
	}
	cp := newHelper(t) // the same bytes, another file
	b := compilePolicy(t, "samefile.yaml", sameFilePolicy("samefile", []string{h.path}, filepath.Dir(cp.path)+"/"))
	if len(b.Manifest.FileIDs) != 1 || b.Manifest.FileIDs[0].Paths[0] != h.path {
		t.Fatalf("manifest fileIds %+v, want one map of %s", b.Manifest.FileIDs, h.path)
	}
	s := loadAndStream(t, o, b)
	link.start(t, "getppid")
	cp.start(t, "getppid")
	link.run(t)
	cp.run(t)
	got := map[uint32][]string{}
	for _, ev := range collect(t, s, "samefile", 2*time.Second) {
		line, err := ev.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if pid := *ev.Process.PID; pid == link.pid() || pid == cp.pid() {
			got[pid] = append(got[pid], string(line))
		}
	}
	for _, c := range []struct {
		h        *helper
		selector string
	}{{link, "selector 0 (SameFile)"}, {cp, "selector 1 (NotSameFile)"}} {
		evs := got[c.h.pid()]
		if len(evs) != 1 || !strings.Contains(evs[0], fmt.Sprintf(`{"file_arg":{"path":%q}}`, c.h.path)) {
			t.Errorf("exec of %s: events %v, want one of %s with its path", c.h.path, evs, c.selector)
		}
	}
}

// TestSameFileMissing: a SameFile value that names no file on this
// machine fails the load, naming the policy, the selector and the path,
// and nothing of the load stays, not even the other policy loaded with
// it.
func TestSameFileMissing(t *testing.T) {
	o := testOptions(t)
	dir := t.TempDir()
	exists := filepath.Join(dir, "exists")
	if err := os.WriteFile(exists, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	good := compilePolicy(t, "good.yaml", sameFilePolicy("samefile-good", []string{exists}, dir))
	bad := compilePolicy(t, "bad.yaml", sameFilePolicy("samefile-bad", []string{exists, missing}, dir))
	_, err := Load([]*Bundle{good, bad}, o)
	if err == nil {
		t.Fatal("the load of a policy whose SameFile value names no file succeeded")
	}
	t.Logf("%v", err)
	for _, want := range []string{"policy samefile-bad", "selector 0 of hook raw_tracepoint sched/sched_process_exec", "and 1 more", fmt.Sprintf("SameFile value %q", missing), "no such file"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if left := pinsUnder(t, filepath.Join(o.PinRoot, bpf.PoliciesDir)); len(left) > 0 {
		t.Errorf("left after the failed load: %v", left)
	}
	st, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Policies) != 0 {
		t.Errorf("loaded after the failed load: %+v", st.Policies)
	}
	// Once the file exists, the same bundle loads.
	if err := os.WriteFile(missing, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load([]*Bundle{good, bad}, o); err != nil {
		t.Fatalf("load once the file exists: %v", err)
	}
}
