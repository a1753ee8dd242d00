package codegen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/ringbuf"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/examples"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// The peephole optimizer (emit.Optimize) against the code it sees: every
// golden and corpus policy built with and without it (Options.NoOptimize).

// buildBoth compiles every policy of path twice: without and with the
// optimizer. Policies codegen refuses are left out.
func buildBoth(t testing.TB, path string) (plain, opt []*Bundle) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return buildBothData(t, path, data)
}

func buildBothData(t testing.TB, path string, data []byte) (plain, opt []*Bundle) {
	t.Helper()
	a := goldenArch(data)
	src := compiler.NewSource(path, data)
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: a})
	if res.Errors() > 0 {
		t.Fatalf("%s does not check: %v", path, res.Diagnostics)
	}
	for _, pol := range res.Policies {
		p, diags := compiler.Lower(pol, compiler.LowerOptions{Arch: a})
		if compiler.Count(diags, compiler.Error) > 0 {
			continue
		}
		opts := Options{Arch: a, Source: path, SourceData: data, Compiler: "test",
			SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }}
		noOpt := opts
		noOpt.NoOptimize = true
		b0, err0 := Build(p, noOpt)
		b1, err1 := Build(p, opts)
		if (err0 == nil) != (err1 == nil) {
			t.Fatalf("%s: %s builds %v without the optimizer, %v with it", path, p.Name, err0, err1)
		}
		if err0 == nil {
			plain, opt = append(plain, b0), append(opt, b1)
		}
	}
	return plain, opt
}

// slotCount is the size of insns in 8-byte instruction slots.
func slotCount(insns asm.Instructions) int {
	n := 0
	for _, ins := range insns {
		n += int(ins.Width())
	}
	return n
}

// TestOptimizeCorpus: on every golden and corpus policy the optimizer
// never makes a program or function longer, drops no CO-RE relocation and
// no map reference, and stops at a fixed point (optimizing its output
// again changes nothing). It logs the instruction counts before and after.
func TestOptimizeCorpus(t *testing.T) {
	requireCorpus(t)
	files := append(globYAML(t, goldenCopyDir), globYAML(t, corpusDir)...)
	before, after := 0, 0
	for _, f := range files {
		plain, opt := buildBoth(t, f)
		for i := range plain {
			name := filepath.Base(f) + "/" + plain[i].Name
			units := func(b *Bundle) []asm.Instructions {
				var out []asm.Instructions
				for _, p := range b.Programs {
					out = append(out, p.Insns)
				}
				for _, fn := range b.Funcs {
					out = append(out, fn.Insns)
				}
				return out
			}
			u0, u1 := units(plain[i]), units(opt[i])
			if len(u0) != len(u1) {
				t.Fatalf("%s: %d units without the optimizer, %d with it", name, len(u0), len(u1))
			}
			for k := range u0 {
				n0, n1 := slotCount(u0[k]), slotCount(u1[k])
				before, after = before+n0, after+n1
				if n1 > n0 {
					t.Errorf("%s: unit %d grew from %d to %d instructions", name, k, n0, n1)
				}
				if c0, c1 := kept(u0[k]), kept(u1[k]); c0 != c1 {
					t.Errorf("%s: unit %d: %s without the optimizer, %s with it", name, k, c0, c1)
				}
				if again := emit.Optimize(u1[k]); len(again) != len(u1[k]) {
					t.Errorf("%s: unit %d: optimizing again went from %d to %d instructions", name, k, len(u1[k]), len(again))
				}
			}
		}
	}
	t.Logf("%d files: %d instructions without the optimizer, %d with it (%.1f%% fewer)",
		len(files), before, after, 100*float64(before-after)/float64(max(before, 1)))
}

// kept counts what the optimizer must never drop: CO-RE relocations and
// references to maps, variables and functions.
func kept(insns asm.Instructions) string {
	core, refs := 0, 0
	for _, ins := range insns {
		if object.CORERelocationOf(ins) != nil {
			core++
		}
		cls := ins.OpCode.Class()
		if ins.Reference() != "" && !(cls.IsJump() && ins.OpCode.JumpOp() != asm.Call) {
			refs++
		}
	}
	return fmt.Sprintf("%d CO-RE relocations, %d references", core, refs)
}

// TestOptimizeSameRecords runs random hooks with integer selectors built
// with and without the optimizer on the same raw tracepoint contexts
// (BPF_PROG_TEST_RUN): both must post the same records, selector and
// arguments.
func TestOptimizeSameRecords(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	r := rand.New(rand.NewPCG(5, 6))
	pin := pinDir(t)
	for round := 0; round < 20; round++ {
		h, maps, near := randIntHook(r)
		pol := &ir.Policy{Name: "peephole", Arch: string(arch.X86_64), Hooks: []*ir.Hook{h}, Maps: maps}
		type run struct {
			b  *Bundle
			l  *loaded
			rd *ringbuf.Reader
		}
		var runs [2]run
		for k, noOpt := range []bool{true, false} {
			b, err := Build(pol, Options{NoOptimize: noOpt})
			if err != nil {
				t.Fatalf("round %d: %v\n%s", round, err, pol.String())
			}
			spec, _ := loadableSpec(t, b)
			l := loadSpecIn(t, b, spec, pin)
			rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
			if err != nil {
				t.Fatal(err)
			}
			runs[k] = run{b, l, rd}
		}
		for k := 0; k < 40; k++ {
			ctx := make([]uint64, len(h.Args))
			for i, a := range h.Args {
				ctx[i] = uint64(randInt(r, a.Type, near))
			}
			var got [2]string
			for j, rn := range runs {
				prog := rn.l.coll.Programs[rn.b.Manifest.Hooks[0].Programs[0].Name]
				rec, err := runRawTP(t, prog, rn.rd, rn.b, ctx)
				if err != nil {
					t.Fatal(err)
				}
				got[j] = "no record"
				if rec != nil {
					got[j] = fmt.Sprintf("selector %d, args %x", rec.Selector, rec.Args)
				}
			}
			if got[0] != got[1] {
				t.Fatalf("round %d: args %#x: %s without the optimizer, %s with it\n%s\n%s", round, ctx, got[0], got[1], pol.String(), disasm(runs[1].b))
			}
		}
		for _, rn := range runs {
			rn.rd.Close()
		}
	}
}

// TestOptimizeVerified loads the spec's fd_install example and a few
// corpus policies built with and without the optimizer and logs the
// instructions the verifier processed for each program (kprobes load in
// make vmtest). Both builds must pass the verifier.
func TestOptimizeVerified(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	requireCorpus(t)
	// The spec's fd_install example, as the README's passwd-readers
	// (embedded: the vmtest guests have no examples directory).
	passwd, err := examples.Files.ReadFile("passwd-readers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]byte{"passwd-readers.yaml": passwd}
	files := []string{"passwd-readers.yaml"}
	for _, f := range []string{"fd_install_caps.yaml", "filename_monitoring_filtered.yaml",
		"raw_syscalls.yaml", "rawtp.yaml", "list-syscalls-tracepoint.yaml"} {
		data, err := os.ReadFile(filepath.Join(corpusDir, f))
		if err != nil {
			t.Fatal(err)
		}
		sources[f] = data
		files = append(files, f)
	}
	for _, f := range files {
		plain, opt := buildBothData(t, f, sources[f])
		for i := range plain {
			t.Run(filepath.Base(f)+"/"+plain[i].Name, func(t *testing.T) {
				var verified [2]map[string]uint32
				for k, b := range []*Bundle{plain[i], opt[i]} {
					spec, n := loadableSpec(t, b)
					if n == 0 {
						return
					}
					l := loadSpec(t, b, spec)
					verified[k] = make(map[string]uint32)
					for name, st := range l.stats {
						verified[k][name] = st.Verified
					}
				}
				for name, v0 := range verified[0] {
					t.Logf("%s: %d verified instructions without the optimizer, %d with it", name, v0, verified[1][name])
				}
			})
		}
	}
}
