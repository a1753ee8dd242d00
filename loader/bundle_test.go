package loader

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/polc-dev/polc/bpf"
)

func TestReadBundle(t *testing.T) {
	good := syscallBundle("ldrtest-read", 1)
	data := good.write(t)
	b, err := ReadBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	if b.Name() != "ldrtest-read" || b.Spec.Programs["ldrtest_enter"] == nil || len(b.SHA256) != 64 {
		t.Errorf("%+v", b)
	}
	path := filepath.Join(t.TempDir(), "b.bpf.o")
	os.WriteFile(path, data, 0o644)
	if b, err := OpenBundle(path); err != nil || b.Path != path {
		t.Errorf("OpenBundle: %v", err)
	}

	// Any change to the code is caught by the integrity check.
	tampered := bytes.Clone(data)
	idx := bytes.Index(tampered, []byte{0xbf, 0x16}) // mov r6, r1: the first instruction
	if idx < 0 {
		t.Fatal("test object layout changed")
	}
	tampered[idx+1] = 0x26 // mov r6, r2
	if _, err := ReadBundle(tampered); !errors.Is(err, bpf.ErrIntegrity) {
		t.Errorf("tampered bundle: %v", err)
	}

	for name, edit := range map[string]func(bundleSpec){
		"bad name":               func(bs bundleSpec) { bs.Name = "Bad_Name" },
		"missing program":        func(bs bundleSpec) { bs.Hooks[0].Programs[0].Name = "nope" },
		"unknown attach":         func(bs bundleSpec) { bs.Hooks[0].Programs[0].Attach = "teleport" },
		"programs no hook names": func(bs bundleSpec) { bs.Hooks = nil },
	} {
		t.Run(name, func(t *testing.T) {
			bs := syscallBundle("ldrtest-read", 1)
			edit(bs)
			if _, err := ReadBundle(bs.write(t)); !errors.Is(err, ErrBadBundle) {
				t.Errorf("got %v, want ErrBadBundle", err)
			}
		})
	}
	if _, err := ReadBundle([]byte("not an ELF")); err == nil {
		t.Error("garbage accepted")
	}
}
