package bench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/loader"
)

// Many policies on one hook (polc issue 18, item 5: the measurement of
// today's behaviour). K policies on the same hook are K programs, each
// paying the whole entry cost (the scratch record, the pid, the cached
// verdict, its own selectors); Tetragon is the same. The benchmark loads
// 1, 10 and 50 copies of the rejecting policy (bench/policies/
// syscall-reject.yaml, renamed bench-syscall-reject-N) on
// raw_syscalls/sys_enter, each copy its own bundle as polc builds them,
// and measures the getppid loop as the per-event cost table does, in
// interleaved rounds with nothing attached: the overhead per syscall of
// each count, and per round the overhead of K policies over that of one.
//
// In the vmtest guests (the host has no kprobes), the same on one kprobe:
// kprobe-reject.yaml on the getppid syscall's function (KprobePolicy;
// bench/vm measures what `polbench bundles` wrote into ManyDir).
//
// The same counts are measured as policy sets (polc build --set): K copies
// in one bundle, one program on the hook that reads the process facts once
// and runs each member's part in turn (codegen/set.go).

// PolicyCounts are the numbers of policies measured on one hook.
var PolicyCounts = []int{1, 10, 50}

// ManyPoliciesGoal: 50 policies on one hook should cost at most this many
// times one policy (issue 18's goal for a policy set: one program per
// hook for all of them).
const ManyPoliciesGoal = 3.0

// ManyPolicies is the per-event cost of K policies on one hook.
type ManyPolicies struct {
	Hook    string `json:"hook"`
	Rounds  int    `json:"rounds"`
	Samples int    `json:"samples"`
	Calls   int    `json:"calls"`
	CPU     int    `json:"cpu"`
	// Settle is the pause after attaching and after detaching each
	// variant (EventCostOptions.Settle).
	Settle time.Duration `json:"settle,omitempty"`
	// Overhead is ns per getppid over nothing attached in the same
	// round, keyed by PolicyVariant(K) and SetVariant(K).
	Overhead map[string]Summary `json:"overhead"`
	// ToOne is, per round, K policies' overhead over one policy's, keyed
	// by PolicyVariant(K).
	ToOne map[string]Summary `json:"toOne"`
	// PerPolicy is, per round, K policies' overhead divided by K.
	PerPolicy map[string]Summary `json:"perPolicy"`
	// Interference and Discarded: other programs on the syscall
	// tracepoints and the rounds run again because of them.
	Interference []string `json:"interference,omitempty"`
	Discarded    int      `json:"discarded,omitempty"`
}

// PolicyVariant names the variant of k policies.
func PolicyVariant(k int) string {
	if k == 1 {
		return "1 policy"
	}
	return fmt.Sprintf("%d policies", k)
}

// SetVariant names the variant of a policy set of k policies.
func SetVariant(k int) string {
	if k == 1 {
		return "set of 1 policy"
	}
	return fmt.Sprintf("set of %d policies", k)
}

// SetBeforeVariant names the variant of a policy set of k policies built
// as sets were before the shared program wrote the record header's common
// fields once for all parts (codegen.Options.SetHeaderPerPart).
func SetBeforeVariant(k int) string {
	return SetVariant(k) + ", each part writing the whole header (before)"
}

// BuildPolicySets builds, for each K of counts, the copies NAME-1 to
// NAME-K of the one-policy file path into one policy set bundle
// (codegen.BuildSet, as polc build --set NAME-set-K).
func BuildPolicySets(path string, counts []int) (map[int][]byte, error) {
	return buildPolicySets(path, counts, codegen.Options{})
}

// BuildPolicySetBefore builds the set of k copies as BuildPolicySets does,
// with each part writing the whole header (SetBeforeVariant).
func BuildPolicySetBefore(path string, k int) ([]byte, error) {
	sets, err := buildPolicySets(path, []int{k}, codegen.Options{SetHeaderPerPart: true})
	if err != nil {
		return nil, err
	}
	return sets[k], nil
}

func buildPolicySets(path string, counts []int, opts codegen.Options) (map[int][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	a := arch.Host()
	out := map[int][]byte{}
	for _, k := range counts {
		var members []codegen.SetMember
		var name string
		for i := 1; i <= k; i++ {
			src := compiler.NewSource(path, data)
			res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: a})
			if res.Errors() > 0 || len(res.Policies) != 1 {
				return nil, fmt.Errorf("build %s: want one policy that checks", path)
			}
			name = res.Policies[0].Metadata.Name
			p, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: a})
			if p == nil || compiler.Count(diags, compiler.Error) > 0 {
				return nil, fmt.Errorf("build %s: %s", path, firstError(diags))
			}
			p.Name = fmt.Sprintf("%s-%d", name, i)
			members = append(members, codegen.SetMember{Policy: p, Source: path, SourceSHA256: src.SHA256()})
		}
		opts.Arch, opts.Compiler = a, "bench"
		b, err := codegen.BuildSet(fmt.Sprintf("%s-set-%d", name, k), members, opts)
		if err != nil {
			return nil, fmt.Errorf("build the set of %d: %w", k, err)
		}
		out[k] = b.Object
	}
	return out, nil
}

// BuildPolicyCopies builds n copies of the one-policy file path, named
// NAME-1 to NAME-n (NAME its metadata.name), each its own bundle.
func BuildPolicyCopies(path string, n int) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	built, err := buildPolicies("bench", compiler.NewSource(path, data), codegen.Options{})
	if err != nil {
		return nil, err
	}
	if len(built) != 1 || built[0].Bundle == nil {
		return nil, fmt.Errorf("build %s: want one policy that compiles", path)
	}
	name := built[0].Policy
	quoted := []byte(fmt.Sprintf("name: %q", name))
	if bytes.Count(data, quoted) != 1 {
		return nil, fmt.Errorf("build %s: its metadata.name is not written %s", path, quoted)
	}
	var out [][]byte
	for i := 1; i <= n; i++ {
		copyData := bytes.Replace(data, quoted, []byte(fmt.Sprintf("name: %q", fmt.Sprintf("%s-%d", name, i))), 1)
		b, err := buildPolicies("bench", compiler.NewSource(path, copyData), codegen.Options{})
		if err != nil {
			return nil, err
		}
		if len(b) != 1 || b[0].Bundle == nil {
			return nil, fmt.Errorf("build %s, copy %d: no bundle", path, i)
		}
		out = append(out, b[0].Bundle.Object)
	}
	return out, nil
}

// MeasureManyPolicies measures the getppid loop with nothing attached,
// with the first K of copies loaded, and with the set of K (sets[K]; none
// when sets is nil), for each K in PolicyCounts, in interleaved rounds;
// and with before, when not nil, the set of the largest K as built before
// (SetBeforeVariant). Every ratio is to one policy alone (PolicyVariant(1)).
func MeasureManyPolicies(hook string, copies [][]byte, sets map[int][]byte, before []byte, opts EventCostOptions) (*ManyPolicies, error) {
	opts.defaults()
	if strings.HasPrefix(hook, "tracepoint ") && getppidNR != 110 {
		return nil, fmt.Errorf("many policies: the benchmark policy names syscalls by their numbers on x86_64")
	}
	if len(copies) < PolicyCounts[len(PolicyCounts)-1] {
		return nil, fmt.Errorf("many policies: %d copies, want %d", len(copies), PolicyCounts[len(PolicyCounts)-1])
	}
	if err := os.MkdirAll(opts.PinRoot, 0o755); err != nil {
		return nil, fmt.Errorf("many policies: %w", err)
	}
	if err := cleanPinRoot(opts.PinRoot); err != nil {
		return nil, err
	}
	var bundles []*loader.Bundle
	for i, c := range copies {
		b, err := loader.ReadBundle(c)
		if err != nil {
			return nil, fmt.Errorf("many policies: copy %d: %w", i+1, err)
		}
		bundles = append(bundles, b)
	}
	loop, err := newSyscallLoop(opts.CPU)
	if err != nil {
		return nil, fmt.Errorf("many policies: %w", err)
	}
	defer loop.close()

	variants := []variant{{name: VariantNone, attach: func() (func() error, error) { return func() error { return nil }, nil }}}
	counted := []string{}
	for _, k := range PolicyCounts {
		variants = append(variants, variant{name: PolicyVariant(k), attach: policiesAttach(bundles[:k], opts.PinRoot)})
		counted = append(counted, PolicyVariant(k))
	}
	kOf := map[string]int{}
	for _, k := range PolicyCounts {
		kOf[PolicyVariant(k)] = k
		if sets == nil {
			continue
		}
		b, err := loader.ReadBundle(sets[k])
		if err != nil {
			return nil, fmt.Errorf("many policies: the set of %d: %w", k, err)
		}
		variants = append(variants, variant{name: SetVariant(k), attach: policiesAttach([]*loader.Bundle{b}, opts.PinRoot)})
		counted = append(counted, SetVariant(k))
		kOf[SetVariant(k)] = k
	}
	if before != nil {
		k := PolicyCounts[len(PolicyCounts)-1]
		b, err := loader.ReadBundle(before)
		if err != nil {
			return nil, fmt.Errorf("many policies: the set of %d as before: %w", k, err)
		}
		variants = append(variants, variant{name: SetBeforeVariant(k), attach: policiesAttach([]*loader.Bundle{b}, opts.PinRoot)})
		counted = append(counted, SetBeforeVariant(k))
		kOf[SetBeforeVariant(k)] = k
	}
	mp := &ManyPolicies{Hook: hook, Rounds: opts.Rounds, Samples: opts.Samples, Calls: opts.Calls, CPU: opts.CPU, Settle: opts.Settle,
		Overhead: map[string]Summary{}, ToOne: map[string]Summary{}, PerPolicy: map[string]Summary{}}
	over, toOne, perPolicy := map[string][]float64{}, map[string][]float64{}, map[string][]float64{}
	for r, attempt := 0, 0; r < opts.Rounds; attempt++ {
		if attempt >= 3*opts.Rounds {
			return nil, fmt.Errorf("many policies: %w", ErrBusy)
		}
		ns, _, others, err := measureRound(loop, variants, r, &opts)
		if err != nil {
			return nil, fmt.Errorf("many policies: %w", err)
		}
		if len(others) > 0 {
			for _, o := range others {
				mp.Interference = appendUnique(mp.Interference, o)
			}
			mp.Discarded++
			time.Sleep(2 * time.Second)
			continue
		}
		r++
		one := ns[PolicyVariant(1)] - ns[VariantNone]
		for _, v := range counted {
			o := ns[v] - ns[VariantNone]
			over[v] = append(over[v], o)
			toOne[v] = append(toOne[v], o/one)
			perPolicy[v] = append(perPolicy[v], o/float64(kOf[v]))
		}
		opts.Log("many policies round %d: %v ns per syscall", r, ns)
	}
	for _, v := range counted {
		mp.Overhead[v], mp.ToOne[v], mp.PerPolicy[v] = Summarize(over[v]), Summarize(toOne[v]), Summarize(perPolicy[v])
	}
	return mp, nil
}

// policiesAttach loads bundles with polrun's loader, in one Load as
// `polrun load` of several bundles does; detaching unloads them.
func policiesAttach(bundles []*loader.Bundle, pinRoot string) func() (func() error, error) {
	return func() (func() error, error) {
		opts := &loader.Options{PinRoot: pinRoot}
		if _, err := loader.Load(bundles, opts); err != nil {
			return nil, err
		}
		var names []string
		for _, b := range bundles {
			names = append(names, b.Name())
		}
		return func() error { return loader.Unload(names, opts) }, nil
	}
}

// KprobePolicy is the rejecting policy on one kprobe (the getppid
// syscall's function), measured by MeasureManyPolicies in the vmtest
// guests: the host has no kprobes.
const KprobePolicy = "kprobe-reject.yaml"

// ManyDir is the subdirectory of `polbench bundles`' output holding the
// many-policies bundles of KprobePolicy (WriteManyPolicies), apart from
// index.json's bundles, which every guest measures one by one.
const ManyDir = "many-kprobe"

// ManyIndex lists the bundles of a many-policies measurement in a
// directory (many.json).
type ManyIndex struct {
	// Hook is the one hook of the policy: kind and target as the
	// bundle's manifest names them ("kprobe __x64_sys_getppid").
	Hook string `json:"hook"`
	// Copies are the files of the separate bundles NAME-1 to NAME-K;
	// Sets, the file of the policy set of K copies, by K.
	Copies []string          `json:"copies"`
	Sets   map[string]string `json:"sets"`
}

// WriteManyPolicies builds the copies (BuildPolicyCopies) and policy sets
// (BuildPolicySets) of the one-hook policy file path for PolicyCounts and
// writes them into dir, with many.json.
func WriteManyPolicies(dir, path string) error {
	n := PolicyCounts[len(PolicyCounts)-1]
	copies, err := BuildPolicyCopies(path, n)
	if err != nil {
		return err
	}
	sets, err := BuildPolicySets(path, PolicyCounts)
	if err != nil {
		return err
	}
	hook, err := oneHook(copies[0])
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write many policies: %w", err)
	}
	idx := ManyIndex{Hook: hook, Sets: map[string]string{}}
	for i, obj := range copies {
		f := fmt.Sprintf("copy-%02d.bpf.o", i+1)
		if err := os.WriteFile(filepath.Join(dir, f), obj, 0o644); err != nil {
			return fmt.Errorf("write many policies: %w", err)
		}
		idx.Copies = append(idx.Copies, f)
	}
	for _, k := range PolicyCounts {
		f := fmt.Sprintf("set-%02d.bpf.o", k)
		if err := os.WriteFile(filepath.Join(dir, f), sets[k], 0o644); err != nil {
			return fmt.Errorf("write many policies: %w", err)
		}
		idx.Sets[strconv.Itoa(k)] = f
	}
	return WriteJSON(filepath.Join(dir, "many.json"), idx)
}

// ReadManyPolicies reads what WriteManyPolicies wrote into dir: the hook,
// the copies and the sets by K, as MeasureManyPolicies takes them.
func ReadManyPolicies(dir string) (string, [][]byte, map[int][]byte, error) {
	var idx ManyIndex
	if err := ReadJSON(filepath.Join(dir, "many.json"), &idx); err != nil {
		return "", nil, nil, fmt.Errorf("read many policies: %w", err)
	}
	var copies [][]byte
	for _, f := range idx.Copies {
		obj, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return "", nil, nil, fmt.Errorf("read many policies: %w", err)
		}
		copies = append(copies, obj)
	}
	sets := map[int][]byte{}
	for _, k := range PolicyCounts {
		f, ok := idx.Sets[strconv.Itoa(k)]
		if !ok {
			return "", nil, nil, fmt.Errorf("read many policies: no set of %d in %s", k, dir)
		}
		obj, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return "", nil, nil, fmt.Errorf("read many policies: %w", err)
		}
		sets[k] = obj
	}
	return idx.Hook, copies, sets, nil
}

// oneHook names the only hook of a bundle: its kind and target.
func oneHook(obj []byte) (string, error) {
	m, err := bpf.ReadManifest(obj)
	if err != nil {
		return "", err
	}
	if len(m.Hooks) != 1 {
		return "", fmt.Errorf("want one hook, the bundle has %d", len(m.Hooks))
	}
	return m.Hooks[0].Kind + " " + m.Hooks[0].Target, nil
}
