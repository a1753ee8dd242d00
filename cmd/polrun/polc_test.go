package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The tests of signing, metrics and serve load bundles that polc build
// makes from testdata/syscalls.yaml, as a user would: polc is built once,
// next to the polrun binary.

var (
	polcOnce sync.Once
	polcBin  string
	polcErr  error
)

func polc(t *testing.T, args ...string) string {
	t.Helper()
	polcOnce.Do(func() {
		polcBin = filepath.Join(filepath.Dir(polrunBin), "polc")
		out, err := exec.Command("go", "build", "-o", polcBin, "../polc").CombinedOutput()
		if err != nil {
			polcErr = err
			polcBin = string(out)
		}
	})
	if polcErr != nil {
		t.Fatalf("build polc: %v\n%s", polcErr, polcBin)
	}
	out, err := exec.Command(polcBin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("polc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// polcBundle builds testdata/syscalls.yaml, watching the process pid, as
// policy name with the given message, into dir; extra flags go to polc
// build. It returns the bundle's path.
func (e *env) polcBundle(dir, name string, pid uint32, message string, extra ...string) string {
	e.t.Helper()
	tmpl, err := os.ReadFile("testdata/syscalls.yaml")
	if err != nil {
		e.t.Fatal(err)
	}
	yaml := strings.NewReplacer("__NAME__", name, "__PID__", strconv.FormatUint(uint64(pid), 10), "__MESSAGE__", message).Replace(string(tmpl))
	src := filepath.Join(e.t.TempDir(), name+".yaml")
	if err := os.WriteFile(src, []byte(yaml), 0o644); err != nil {
		e.t.Fatal(err)
	}
	polc(e.t, append(append([]string{"build", "-o", dir}, extra...), src)...)
	return filepath.Join(dir, name+".bpf.o")
}
