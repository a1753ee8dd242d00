package loader

import (
	"bytes"
	"encoding/base64"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/internal/testenv"
)

func TestReadBuildID(t *testing.T) {
	dir := t.TempDir()
	id := []byte{0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	with, without := filepath.Join(dir, "with"), filepath.Join(dir, "without")
	if err := writeTestELF(with, id); err != nil {
		t.Fatal(err)
	}
	if err := writeTestELF(without, nil); err != nil {
		t.Fatal(err)
	}
	if got := readBuildID(with); !bytes.Equal(got, id) {
		t.Errorf("build ID %x, want %x", got, id)
	}
	if got := readBuildID(without); got != nil {
		t.Errorf("build ID %x of a file without one", got)
	}
	if got := readBuildID(filepath.Join(dir, "none")); got != nil {
		t.Errorf("build ID %x of no file", got)
	}
}

// spec.loader: a process_loader event for an executable that has a build
// ID, with its path and build ID; none for one without. Kprobes: runs in
// the guests.
func TestLoaderSensor(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, x86_64, testenv.Kprobes)
	dir := t.TempDir()
	id := []byte("polc-build-id-012345")
	bin, noID := filepath.Join(dir, "polc-loaded"), filepath.Join(dir, "polc-no-build-id")
	if err := writeTestELF(bin, id); err != nil {
		t.Fatal(err)
	}
	if err := writeTestELF(noID, nil); err != nil {
		t.Fatal(err)
	}
	b := compilePolicy(t, "loader.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "loader"
spec:
  loader: true
`)
	if len(b.Manifest.Hooks) != 1 || !b.Manifest.Hooks[0].Loader {
		t.Fatalf("hooks %+v", b.Manifest.Hooks)
	}
	s := loadAndStream(t, o, b)
	for _, p := range []string{bin, noID} {
		if err := exec.Command(p).Run(); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	var mine []*Event
	for _, ev := range collect(t, s, "loader", 3*time.Second) {
		line, _ := ev.MarshalJSON()
		t.Logf("%s", line)
		if ev.LoaderPath == bin || ev.LoaderPath == noID {
			mine = append(mine, ev)
		}
	}
	if len(mine) != 1 || mine[0].LoaderPath != bin || !bytes.Equal(mine[0].BuildID, id) {
		t.Fatalf("%d loader events of the test files, want one of %s", len(mine), bin)
	}
	line, _ := mine[0].MarshalJSON()
	want := `"path":"` + bin + `","buildid":"` + base64.StdEncoding.EncodeToString(id) + `"`
	if !strings.HasPrefix(string(line), `{"process_loader":{"process":{`) || !strings.Contains(string(line), want) {
		t.Errorf("event %s, want %s", line, want)
	}
	if app := mine[0].AppendJSON(nil); !bytes.Equal(app, line) {
		t.Errorf("AppendJSON %s, MarshalJSON %s", app, line)
	}
}
