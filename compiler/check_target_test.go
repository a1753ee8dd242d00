package compiler

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// Target profiles of our kernel matrix, committed under testdata/targets by
// `make profiles`: Debian 6.1 and 6.12 captured in the vmtest guests, and
// the 6.18 CI host.
var targetKernels = []string{"debian-6.1", "debian-6.12", "host-6.18"}

var targetProfiles sync.Map // name → *target.Profile

func loadTarget(t testing.TB, name string) *target.Profile {
	t.Helper()
	if p, ok := targetProfiles.Load(name); ok {
		return p.(*target.Profile)
	}
	p, err := target.ReadFile(filepath.Join("..", "testdata", "targets", name+".tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	targetProfiles.Store(name, p)
	return p
}

var targetLine = regexp.MustCompile(`(?m)^# polc-target: (\S+)$`)

// TestValidateTargetTestdata checks the policies of testdata/validate-target
// against the kernel each names on its first or second line
// ("# polc-target: debian-6.1"), with expectations on the offending lines
// as in TestValidateTestdata.
func TestValidateTargetTestdata(t *testing.T) {
	files, _ := filepath.Glob("../testdata/validate-target/*.yaml")
	if len(files) == 0 {
		t.Fatal("no test policies in ../testdata/validate-target")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m := targetLine.FindSubmatch(data)
			if m == nil {
				t.Fatal(`no "# polc-target: NAME" line`)
			}
			exps, opts := parseExpectations(t, data)
			opts.Target = loadTarget(t, string(m[1]))
			res := Check([]*Source{NewSource(file, data)}, opts)
			matched := make([]bool, len(res.Diagnostics))
			for _, e := range exps {
				found := false
				for i, d := range res.Diagnostics {
					if d.Pos.Line == e.line && d.Severity == e.sev &&
						(strings.Contains(d.Msg, e.text) || d.Code == e.text || strings.Contains(d.Hint, e.text)) {
						matched[i], found = true, true
					}
				}
				if !found {
					t.Errorf("%s:%d: expected %s %q; got on that line: %s", file, e.line, e.sev, e.text, onLine(res.Diagnostics, e.line))
				}
			}
			for i, d := range res.Diagnostics {
				if !matched[i] && d.Severity != Note {
					t.Errorf("unexpected: %s", d)
				}
			}
		})
	}
}

// samePolicy names a function, a syscall and an LSM hook that came in
// Linux 6.9 and 6.10, and declares their arguments right.
const samePolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: new-hooks
spec:
  kprobes:
  - call: "security_file_post_open"
    syscall: false
    args:
    - index: 0
      type: "file"
    - index: 1
      type: "int"
  - call: "sys_mseal"
    syscall: true
    args:
    - index: 0
      type: "uint64"
    - index: 1
      type: "size_t"
  lsmhooks:
  - hook: "file_post_open"
    args:
    - index: 0
      type: "file"
`

// TestTargetDecides: the same policy fails against the kernel that lacks
// what it names, at the lines that name it, and passes against the
// kernels that have it.
func TestTargetDecides(t *testing.T) {
	for k, wantLines := range map[string][]int{"debian-6.1": {7, 14, 22}, "debian-6.12": nil, "host-6.18": nil} {
		opts := Options{Target: loadTarget(t, k)}
		res := Check([]*Source{NewSource("p.yaml", []byte(samePolicy))}, opts)
		var lines []int
		for _, d := range res.Diagnostics {
			if d.Severity == Error && d.Code != "unsupported-by-target" {
				lines = append(lines, d.Pos.Line)
			}
			t.Logf("%s: %s", k, d)
		}
		if !slices.Equal(lines, wantLines) {
			t.Errorf("%s: errors on lines %v, want %v", k, lines, wantLines)
		}
	}
}

const generatedPolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: generated
spec:
  lists:
  - name: "all"
    type: "generated_syscalls"
  - name: "ksys"
    type: "generated_ftrace"
    pattern: "^ksys_"
  kprobes:
  - call: "list:all"
  - call: "list:ksys"
`

// lowerWith checks and lowers src against a target.
func lowerWith(t *testing.T, src string, p *target.Profile) (*ir.Policy, []Diagnostic) {
	t.Helper()
	res := Check([]*Source{NewSource("p.yaml", []byte(src))}, Options{Target: p})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("check: %v", res.Diagnostics)
	}
	return Lower(res.Policies[0], LowerOptions{Target: p})
}

// TestGeneratedListsFromTarget: generated_syscalls keeps the syscalls whose
// function the kernel has, generated_ftrace the kernel's traceable
// functions its pattern matches, both sorted, and lowering twice against
// one target gives the same IR.
func TestGeneratedListsFromTarget(t *testing.T) {
	for _, k := range []string{"debian-6.1", "debian-6.12"} {
		p := loadTarget(t, k)
		pol, diags := lowerWith(t, generatedPolicy, p)
		if pol == nil {
			t.Fatalf("%s: %v", k, diags)
		}
		var syscalls, ksys []string
		for _, h := range pol.Hooks {
			switch h.List {
			case "all":
				syscalls = append(syscalls, h.Call)
				if p.HasFunction(h.Target) != target.Yes {
					t.Errorf("%s: generated_syscalls has %s, whose %s the kernel lacks", k, h.Call, h.Target)
				}
			case "ksys":
				ksys = append(ksys, h.Call)
			}
		}
		// Every syscall of the table whose function the kernel has.
		var want []string
		for _, s := range arch.Syscalls(arch.X86_64) {
			sym, _, err := arch.SyscallSymbol(arch.X86_64, s)
			if err == nil && p.HasFunction(sym) == target.Yes {
				want = append(want, s)
			}
		}
		if strings.Join(syscalls, " ") != strings.Join(want, " ") {
			t.Errorf("%s: generated_syscalls gave %d syscalls, want %d", k, len(syscalls), len(want))
		}
		if len(syscalls) < 300 || len(syscalls) >= len(arch.Syscalls(arch.X86_64)) {
			t.Errorf("%s: %d of the table's %d syscalls", k, len(syscalls), len(arch.Syscalls(arch.X86_64)))
		}
		hasMseal := strings.Contains(" "+strings.Join(syscalls, " ")+" ", " sys_mseal ")
		if hasMseal != (k != "debian-6.1") {
			t.Errorf("%s: sys_mseal in generated_syscalls: %v", k, hasMseal)
		}
		var wantKsys []string
		for _, f := range p.Functions {
			if strings.HasPrefix(f, "ksys_") {
				wantKsys = append(wantKsys, f)
			}
		}
		if len(ksys) == 0 || strings.Join(ksys, " ") != strings.Join(wantKsys, " ") {
			t.Errorf("%s: generated_ftrace ^ksys_ gave %v, want %v", k, ksys, wantKsys)
		}

		again, _ := lowerWith(t, generatedPolicy, p)
		if a, b := pol.String(), again.String(); a != b {
			t.Errorf("%s: two lowerings differ", k)
		}
		t.Logf("%s: %d syscalls, %d ksys_ functions", k, len(syscalls), len(ksys))
	}
}

// TestGeneratedFtraceNeedsFunctions: without a target, or with one that
// has no list of traceable functions (the 6.18 host, a BTF file), a
// generated_ftrace list cannot be expanded, and the error says why.
func TestGeneratedFtraceNeedsFunctions(t *testing.T) {
	btfOnly, err := target.FromBTF(loadTarget(t, "debian-6.12").BTF, arch.X86_64)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*target.Profile{"none": nil, "host-6.18": loadTarget(t, "host-6.18"), "btf": btfOnly} {
		res := Check([]*Source{NewSource("p.yaml", []byte(generatedPolicy))}, Options{}) // 6.18 has no kprobes
		if len(res.Policies) != 1 {
			t.Fatalf("%s: %v", name, res.Diagnostics)
		}
		pol, diags := Lower(res.Policies[0], LowerOptions{Target: p})
		if pol != nil || len(diags) == 0 || diags[0].Code != "needs-target" || diags[0].Pos.Line != 11 {
			t.Errorf("%s: lowered to %v with %v", name, pol != nil, diags)
			continue
		}
		if p != nil && p.Missing != nil && !strings.Contains(diags[0].Msg, "operation not permitted") {
			t.Errorf("%s: the error does not say why: %s", name, diags[0])
		}
	}

	// A pattern that matches nothing.
	src := strings.Replace(generatedPolicy, "^ksys_", "^no_such_prefix_", 1)
	_, diags := lowerWith(t, src, loadTarget(t, "debian-6.12"))
	if len(diags) == 0 || diags[0].Code != "empty-list" {
		t.Errorf("empty generated_ftrace: %v", diags)
	}
}

// TestCorpusAgainstKernels: the checks run over every Tetragon example
// against each kernel without failing internally, and report the
// functions these kernels lack that the corpus is known to name.
func TestCorpusAgainstKernels(t *testing.T) {
	dir := corpusDir()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus of Tetragon examples not present at %s (set POLC_CORPUS): %v", dir, err)
	}
	srcs, err := ReadSources([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range targetKernels {
		res := Check(srcs, Options{Target: loadTarget(t, k)})
		missing := map[string]bool{}
		for _, d := range res.Diagnostics {
			switch d.Code {
			case "internal", "decode":
				t.Errorf("%s: %s", k, d)
			case "unknown-function":
				missing[d.Msg[strings.LastIndex(d.Msg, " ")+1:]] = true
			}
		}
		// Inlined into their callers in later kernels (the 6.18 host's
		// build keeps a copy of dev_queue_xmit).
		lacks := map[string][]string{
			"debian-6.1":  {`"find_module_sections"`},
			"debian-6.12": {`"dev_queue_xmit"`, `"find_module_sections"`, `"kfree_skb_reason"`},
			"host-6.18":   {`"find_module_sections"`, `"kfree_skb_reason"`},
		}[k]
		for _, fn := range []string{`"dev_queue_xmit"`, `"find_module_sections"`, `"kfree_skb_reason"`} {
			if missing[fn] != slices.Contains(lacks, fn) {
				t.Errorf("%s: reported missing %s: %v", k, fn, missing[fn])
			}
		}
	}
}

// TestUprobeSymbols: with --sysroot, uprobe symbols are looked up in the
// binary (here the base BPF object, an ELF file with function symbols); a
// binary that is not there gets a note, not an error.
func TestUprobeSymbols(t *testing.T) {
	policy := func(path string, syms ...string) string {
		return `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: up
spec:
  uprobes:
  - path: "` + path + `"
    symbols: ["` + strings.Join(syms, `", "`) + `"]
`
	}
	for _, tc := range []struct {
		name, src, sysroot string
		codes              []string
	}{
		{"present", policy("/bpf/base.bpf.o", "polc_base_exec", "polc_path"), "..", nil},
		{"absent", policy("/bpf/base.bpf.o", "polc_base_exec", "polc_base_exce"), "..", []string{"unknown-symbol"}},
		{"data", policy("/bpf/base.bpf.o", "polc_events"), "..", []string{"unknown-symbol"}},
		{"no binary", policy("/no/such/binary", "main"), t.TempDir(), []string{"unchecked-symbol"}},
	} {
		res := Check([]*Source{NewSource("u.yaml", []byte(tc.src))}, Options{Sysroot: tc.sysroot})
		var codes []string
		for _, d := range res.Diagnostics {
			codes = append(codes, d.Code)
		}
		if !slices.Equal(codes, tc.codes) {
			t.Errorf("%s: %v, want codes %v", tc.name, res.Diagnostics, tc.codes)
		}
		if tc.name == "absent" && (!strings.Contains(res.Diagnostics[0].Hint, `"polc_base_exec"`) || res.Diagnostics[0].Pos.Col != 33) {
			t.Errorf("absent: %s", res.Diagnostics[0])
		}
	}
}

func TestCheckFeatures(t *testing.T) {
	p := &target.Profile{Release: "5.10.0", Arch: arch.X86_64, Features: map[string]target.Feature{
		"ringbuf": {Supported: true}, "bpf_loop": {Reason: "FnLoop not supported"}}}
	ds := CheckFeatures([]string{"ringbuf", "bpf_loop", "btf"}, p, Pos{File: "p.yaml", Line: 1, Col: 1})
	if len(ds) != 1 || ds[0].Code != "unsupported-by-target" ||
		ds[0].Msg != "the bundle needs the bpf_loop feature, which kernel 5.10.0 lacks: FnLoop not supported" {
		t.Errorf("CheckFeatures: %v", ds)
	}
	if ds := CheckFeatures([]string{"bpf_loop"}, nil, Pos{}); ds != nil {
		t.Errorf("without a target: %v", ds)
	}
}
