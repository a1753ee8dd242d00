package codegen

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/loader"
)

// fuzzSeeds are the policies FuzzBuild starts from: the golden and
// validation inputs of the repository and Tetragon's corpus when it is
// beside the repository.
func fuzzSeeds() [][]byte {
	corpus := os.Getenv("POLC_CORPUS")
	if corpus == "" {
		corpus = "../../shared/corpus/tetragon-examples"
	}
	var out [][]byte
	for _, dir := range []string{"../testdata/golden", "../testdata/validate", corpus} {
		for _, pat := range []string{"*.yaml", "*.yml"} {
			files, _ := filepath.Glob(filepath.Join(dir, pat))
			for _, f := range files {
				if data, err := os.ReadFile(f); err == nil {
					out = append(out, data)
				}
			}
		}
	}
	return out
}

// FuzzBuild: whatever checks and lowers without errors either builds into
// a bundle that independent readers accept — cilium/ebpf's ELF reader,
// the manifest's integrity check and polrun's bundle checks — and that is
// the same bytes when built again, or is refused with codegen Errors
// (positions and messages), never a panic or an internal error.
func FuzzBuild(f *testing.F) {
	for _, data := range fuzzSeeds() {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src := compiler.NewSource("fuzz.yaml", data)
		res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: arch.Host()})
		if res.Errors() > 0 {
			return
		}
		for _, pol := range res.Policies {
			p, diags := compiler.Lower(pol, compiler.LowerOptions{Arch: arch.Host()})
			if compiler.Count(diags, compiler.Error) > 0 {
				continue
			}
			opts := Options{Arch: arch.Host(), Source: "fuzz.yaml", SourceData: data, Compiler: "fuzz"}
			b, err := Build(p, opts)
			if err != nil {
				var es Errors
				if !errors.As(err, &es) {
					t.Fatalf("internal error (not codegen.Errors): %v\n%s", err, p)
				}
				for _, e := range es {
					if e.Msg == "" {
						t.Errorf("an error without a message at %s", e.Pos)
					}
				}
				continue
			}
			checkBundle(t, b, p.String())
			again, err := Build(p, opts)
			if err != nil || !bytes.Equal(again.Object, b.Object) {
				t.Fatalf("a second build differs (err %v)\n%s", err, p)
			}
		}
	})
}

// checkBundle reads b back with readers that share no code with codegen's
// ELF writer and fails t if any refuses it.
func checkBundle(t *testing.T, b *Bundle, ir string) {
	t.Helper()
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(b.Object))
	if err != nil {
		t.Fatalf("cilium/ebpf cannot read the bundle: %v\n%s", err, ir)
	}
	m, err := bpf.ReadManifest(b.Object)
	if err != nil {
		t.Fatalf("manifest: %v\n%s", err, ir)
	}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if spec.Programs[p.Name] == nil {
				t.Fatalf("the manifest names program %s, which the object lacks\n%s", p.Name, ir)
			}
		}
	}
	if _, err := loader.ReadBundle(b.Object); err != nil {
		t.Fatalf("polrun refuses the bundle: %v\n%s", err, ir)
	}
}
