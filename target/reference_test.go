package target

import (
	"bytes"
	"compress/gzip"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/arch"
)

var update = flag.Bool("update", false, "rewrite reference.btf.gz from testdata/targets/debian-6.12.tar.gz")

// TestReferenceUpToDate checks that the embedded reference types are the
// Debian 6.12 profile's BTF pruned by PruneReference (compared
// uncompressed: gzip's bytes may change with Go's version).
func TestReferenceUpToDate(t *testing.T) {
	p, err := ReadFile(filepath.Join("..", "testdata", "targets", "debian-6.12.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Release != ReferenceRelease || p.Arch != arch.X86_64 {
		t.Fatalf("profile of %s, ReferenceRelease %s", p, ReferenceRelease)
	}
	want, err := PruneReference(p.BTF)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(want)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("reference.btf.gz", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	r, err := gzip.NewReader(bytes.NewReader(referenceGz))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("reference.btf.gz (%d bytes of BTF) is not the pruned BTF of the profile (%d): go test ./target -run TestReferenceUpToDate -update", len(got), len(want))
	}
}

// TestReference checks what the reference keeps and drops, and that it
// answers the resolve paths of the policies it is for.
func TestReference(t *testing.T) {
	for _, a := range []arch.Arch{arch.X86_64, arch.ARM64} {
		p, err := Reference(a)
		if err != nil {
			t.Fatal(err)
		}
		if p.Arch != a {
			t.Errorf("Reference(%s) is for %s", a, p.Arch)
		}
		spec, err := p.Spec()
		if err != nil {
			t.Fatal(err)
		}
		var td *btf.Typedef
		if err := spec.TypeByName("btf_trace_sched_process_exec", &td); err != nil {
			t.Errorf("raw tracepoint prototype: %v", err)
		}
		var f *btf.Func
		if err := spec.TypeByName("security_bprm_check", &f); err != nil {
			t.Errorf("function: %v", err)
		}
		var v *btf.Var
		if err := spec.TypeByName("jiffies", &v); err == nil {
			t.Errorf("variable jiffies kept")
		}
		proto, err := p.FuncProto("bpf_lsm_bprm_check_security")
		if err != nil {
			t.Fatal(err)
		}
		bprm := proto.Params[0].Type
		r, err := p.Resolve(bprm, "mm.owner.real_parent.real_parent.comm")
		if err != nil {
			t.Fatal(err)
		}
		if r.C != "char[16]" {
			t.Errorf("comm resolved to %s", r.C)
		}
		if _, err := p.Resolve(bprm, "mm.nosuchmember"); err == nil {
			t.Errorf("a missing member resolved")
		}
	}
}
