package codegen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/fetch"
	"github.com/polc-dev/polc/codegen/filter"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// Options are the inputs of a build besides the IR. The zero value builds
// for x86_64 with an empty source description.
type Options struct {
	// Arch is the target architecture; empty means the policy's, else x86_64.
	Arch arch.Arch
	// Source is the policy file as given to polc, for the manifest.
	Source string
	// SourceData is the policy file's contents, hashed into the manifest.
	SourceData []byte
	// SourceSHA256 is the hex sha256 of the policy file, when the caller
	// has it: a file of many policies is then hashed once, not once per
	// policy. Empty means the hash of SourceData.
	SourceSHA256 string
	// Compiler is the polc version recorded in the manifest.
	Compiler string
	// SourceLine returns the text of a line of the policy, shown by
	// verifier logs next to the code it produced. Nil shows a description.
	SourceLine func(pos ir.Pos) string
	// Target describes the kernel the bundle is built for; nil for none.
	// It locates the fields of tracepoints polc does not know by itself
	// (fetch/tracepoints.go) and gives resolve paths their types.
	Target *target.Profile
	// TestRun builds programs that BPF_PROG_TEST_RUN runs on made-up
	// events in the caller's own thread (polc test --kernel): enforcement
	// actions are reported in the record's header but not carried out, as
	// in monitor mode, and without the mode map.
	TestRun bool
	// NoOptimize leaves out the peephole optimizer (emit.Optimize), for
	// tests comparing programs with and without it.
	NoOptimize bool
	// GlobalVerdictGeneration makes every cached verdict depend on the
	// process table's generation, which any exec, fork or exit on the host
	// moves, as verdicts did before per-process generations
	// (codegen/filter/verdicts.go): the "before" of the benchmark that measures
	// rejected events under process churn (bench/), and of tests comparing
	// the two.
	GlobalVerdictGeneration bool
	// SetHeaderPerPart makes each part of a policy set's shared program
	// write the whole record header, as parts did before the shared
	// program wrote the fields common to all once (sharedHook): the
	// "before" of the benchmark of many policies on one hook (bench/).
	SetHeaderPerPart bool
}

// Bundle is a compiled policy.
type Bundle struct {
	// Name is the policy's name; the bundle's file is Name + ".bpf.o".
	Name string
	// Object is the ELF file.
	Object []byte
	// Manifest is what the object's manifest section holds.
	Manifest *bpf.Manifest
	// Programs and Funcs are the code, for dumps.
	Programs []*object.Program
	Funcs    []*object.Func
	// Maps are the object's maps, for dumps.
	Maps []*object.Map
	// Fallbacks are the programs, functions and maps the object carries
	// besides for kernels without bpf_loop (noloop.go), for dumps.
	Fallbacks *Fallbacks
	// NoCookie are the variants of the USDT programs the object carries
	// besides for kernels without bpf_get_attach_cookie (nocookie.go),
	// for dumps.
	NoCookie []*object.Program
}

// FileName is the bundle's file name.
func (b *Bundle) FileName() string { return b.Name + bpf.BundleExt }

// Build compiles pol into a bundle. A policy using something codegen
// cannot compile yet yields Errors, one per construct, with positions.
func Build(pol *ir.Policy, opts Options) (*Bundle, error) {
	if pol == nil {
		return nil, fmt.Errorf("codegen: nil policy")
	}
	return build(pol, opts, nil)
}

// build compiles pol, the merged policy of a set when set is not nil
// (set.go).
func build(pol *ir.Policy, opts Options, set *setInfo) (*Bundle, error) {
	a := opts.Arch
	if a == "" {
		a = arch.Arch(pol.Arch)
	}
	if a == "" {
		a = arch.X86_64
	}
	cc, err := a.CallConv()
	if err != nil {
		return nil, fmt.Errorf("codegen: %w", err)
	}
	g := &gen{pol: pol, opts: opts, arch: a, cc: cc, lib: kern.NewLib(), set: set,
		mapNames: make(map[*ir.Map]string), features: make(map[string]bool), vars: make(map[string]int)}
	g.plan = fetch.NewPlan(a, cc, g.lib, opts.Target, g.errs.add)
	g.filters = &filter.Plan{Lib: g.lib, SetMap: g.setMap, HostNSVar: g.hostNSVar, FileIDMap: g.fileIDMap,
		GlobalVerdictGeneration: opts.GlobalVerdictGeneration}
	g.features[bpf.FeatureRingbuf] = true
	g.features[bpf.FeatureBTF] = true
	g.vars[bpf.VarPolicyID] = 4
	g.policyHook = make(map[*ir.Hook]bool, len(pol.Hooks))
	if set != nil {
		g.setHooks() // set.go
	} else {
		for _, h := range pol.Hooks {
			g.policyHook[h] = true
			g.hook(h)
		}
	}
	g.enforcers()
	g.loaderSensor() // tetragon_loader_sensor.go
	if err := g.errs.err(); err != nil {
		return nil, err
	}
	g.multiPrograms() // kmulti.go
	return g.finish()
}

// gen is the state of one build.
type gen struct {
	pol  *ir.Policy
	opts Options
	arch arch.Arch
	cc   arch.CallConv
	lib  *kern.Lib
	errs errorList

	progs  []*object.Program
	funcs  []*object.Func // generated per test (ancestor walks)
	nfuncs int
	// plan is what the reads of every program share (codegen/fetch).
	plan *fetch.Plan
	// filters is what the tests of every program share (codegen/filter).
	filters *filter.Plan

	hooks    []bpf.Hook
	maps     []*object.Map // policy maps and per-hook state maps
	mapNames map[*ir.Map]string
	inits    []bpf.MapInit
	fileIDs  []bpf.FileIDMap // filled by the loader (fileid.go)
	features map[string]bool
	vars     map[string]int // load-time variables: their sizes in bytes (4 or 8)

	// Sizes of the shared scratch values, the largest any program needs.
	recSize, outSize int
	usesOut          bool
	// verdictSlots are the entries of the process-filter verdict cache,
	// by the process tests they hold the bits of; each is at most
	// verdictSize bytes (verdicts.go).
	verdictSlots map[string]int32
	verdictSize  int

	// policyHook: the policy's own hooks (not enforcers, not the loader
	// sensor). multiCands are those that may share a kprobe.multi
	// program, multi the multi programs made of them (kmulti.go).
	policyHook  map[*ir.Hook]bool
	multiCands  []*multiCand
	multi       []bpf.MultiProgram
	multiGroups int

	// set: the members of a policy set, nil for one policy (set.go).
	set *setInfo
}

// Object-level names every bundle uses.
const (
	recMap = "polc_rec" // per-CPU scratch record
	outMap = "polc_out" // per-CPU packed record, when slots need compacting
)

// SharedMaps are the base's maps, declared in every bundle exactly as in
// the base object so that the loader can reuse the pinned ones.
func SharedMaps() []*object.Map {
	return []*object.Map{
		{Name: bpf.EventsMap, Type: ebpf.RingBuf, MaxEntries: bpf.EventsRingBytes, Pinning: ebpf.PinByName},
		{Name: bpf.ProcsMap, Type: ebpf.Hash, KeySize: 4, ValueSize: bpf.ProcSize,
			MaxEntries: bpf.ProcsMaxEntries, Pinning: ebpf.PinByName},
		{Name: bpf.DropsMap, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: 1, Pinning: ebpf.PinByName},
		{Name: bpf.ProcsGenMap, Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1, Pinning: ebpf.PinByName},
		{Name: bpf.ProcGensMap, Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: bpf.ProcGenBuckets, Pinning: ebpf.PinByName},
	}
}

func (g *gen) finish() (*Bundle, error) {
	obj := &object.Object{License: "GPL", Programs: g.progs, Funcs: append(g.lib.Funcs(), g.funcs...)}
	if !g.opts.NoOptimize {
		Optimize(obj)
	}
	obj.Maps = append(obj.Maps, SharedMaps()...)
	if g.recSize > maxScratch {
		return nil, Errors{{Pos: g.pol.Pos, Msg: fmt.Sprintf("the records of this policy need %d bytes, more than the %d bytes of scratch space a program has", g.recSize, maxScratch)}}
	}
	if len(g.progs) > 0 {
		obj.Maps = append(obj.Maps, &object.Map{Name: recMap, Type: ebpf.PerCPUArray, KeySize: 4,
			ValueSize: uint32(g.recSize), MaxEntries: 1})
	}
	if g.usesOut {
		obj.Maps = append(obj.Maps, &object.Map{Name: outMap, Type: ebpf.PerCPUArray, KeySize: 4,
			ValueSize: uint32(g.outSize), MaxEntries: 1})
	}
	g.declareVerdicts(obj)
	obj.Maps = append(obj.Maps, g.maps...)
	obj.Maps = append(obj.Maps, g.lib.Maps()...)

	// Load-time variables, sorted by name for determinism.
	vars := make([]string, 0, len(g.vars))
	for v := range g.vars {
		vars = append(vars, v)
	}
	sort.Strings(vars)
	for _, v := range vars {
		typ := &btf.Int{Name: "__u32", Size: 4}
		if g.vars[v] == 8 {
			typ = &btf.Int{Name: "__s64", Size: 8, Encoding: btf.Signed}
		}
		obj.Rodata = append(obj.Rodata, &object.Var{Name: v, Type: typ})
	}
	// bpf_loop is needed by a program or function calling it, not by
	// every function: the dns parser is one called directly.
	for _, f := range obj.Funcs {
		if slices.ContainsFunc(f.Insns, isLoopCall) {
			g.features[bpf.FeatureBpfLoop] = true
		}
	}
	for _, p := range obj.Programs {
		if slices.ContainsFunc(p.Insns, isLoopCall) {
			g.features[bpf.FeatureBpfLoop] = true
		}
	}

	m := &bpf.Manifest{
		Format:   bpf.ManifestFormat,
		Policy:   g.pol.Name,
		Compiler: g.opts.Compiler,
		Source:   g.opts.Source,
		Arch:     string(g.arch),
		Hooks:    g.hooks,
		Maps:     g.inits,
		FileIDs:  g.fileIDs,
		Vars:     vars,
		Multi:    g.multi,
	}
	if g.pol.Namespace != "" {
		m.Namespace = g.pol.Namespace
	}
	m.PodSelectors = g.pol.PodSelectors // the loader refuses these
	if ns := g.pol.NodeSelector; ns != nil {
		m.NodeSelector = &bpf.LabelSelector{MatchLabels: ns.MatchLabels}
		for _, r := range ns.MatchExpressions {
			m.NodeSelector.MatchExpressions = append(m.NodeSelector.MatchExpressions, bpf.LabelRequirement(r))
		}
	}
	g.setManifest(m) // set.go
	if g.hasModeMap() {
		m.Mode = g.pol.Mode.String() // codegen/action/mode.go
	}
	m.SourceSHA256 = g.opts.SourceSHA256
	if m.SourceSHA256 == "" {
		sum := sha256.Sum256(g.opts.SourceData)
		m.SourceSHA256 = hex.EncodeToString(sum[:])
	}
	for f := range g.features {
		m.Features = append(m.Features, f)
	}
	sort.Strings(m.Features)

	if js, err := m.Marshal(); err == nil && len(js) > bpf.MaxManifestSize {
		return nil, Errors{{Pos: g.pol.Pos, Msg: fmt.Sprintf("the bundle's manifest would be %d bytes, more than the %d polrun reads: split the policy", len(js), bpf.MaxManifestSize)}}
	}
	if n, big, bigBytes := bundleMapBytes(obj.Maps); n > bpf.MaxBundleMapBytes {
		return nil, Errors{{Pos: g.pol.Pos, Msg: fmt.Sprintf("the bundle's maps would take %d bytes, more than the %d polc builds (the largest, %s, %d bytes): split the policy",
			n, bpf.MaxBundleMapBytes, big, bigBytes)}}
	}
	progs, funcs, maps := obj.Programs, obj.Funcs, obj.Maps
	noCookie, err := AddNoCookie(obj, m) // nocookie.go
	if err != nil {
		return nil, fmt.Errorf("codegen: %w", err)
	}
	fallbacks, err := AddFallbacks(obj, m) // noloop.go
	if err != nil {
		return nil, fmt.Errorf("codegen: %w", err)
	}
	data, err := Seal(obj, m)
	if err != nil {
		return nil, fmt.Errorf("codegen: %w", err)
	}
	return &Bundle{Name: g.pol.Name, Object: data, Manifest: m, Programs: progs,
		Funcs: funcs, Maps: maps, NoCookie: noCookie, Fallbacks: fallbacks}, nil
}

// Optimize runs the peephole optimizer on every program and function of
// obj, replacing them with optimized copies (the originals may be shared,
// like the routine library's functions).
func Optimize(obj *object.Object) {
	for i, p := range obj.Programs {
		c := *p
		c.Insns = emit.Optimize(p.Insns)
		obj.Programs[i] = &c
	}
	for i, f := range obj.Funcs {
		c := *f
		c.Insns = emit.Optimize(f.Insns)
		obj.Funcs[i] = &c
	}
}

// bundleMapBytes is the memory of the maps a bundle declares itself (the
// base's shared maps are not its own), per-CPU maps counted for one CPU.
func bundleMapBytes(maps []*object.Map) (n uint64, largest string, largestBytes uint64) {
	for _, m := range maps {
		if bpf.IsSharedMap(m.Name) {
			continue
		}
		ks, vs := m.KeySize, m.ValueSize
		if m.Key != nil {
			if sz, err := btf.Sizeof(m.Key); err == nil {
				ks = uint32(sz)
			}
		}
		if m.Value != nil {
			if sz, err := btf.Sizeof(m.Value); err == nil {
				vs = uint32(sz)
			}
		}
		b := bpf.MapBytes(m.Type, ks, vs, m.MaxEntries, m.Flags, 1)
		n += b
		if b > largestBytes {
			largest, largestBytes = m.Name, b
		}
	}
	return n, largest, largestBytes
}

// Seal writes obj with the manifest m in its manifest section, and seals
// it: m.ObjectSHA256 becomes the digest of the whole bundle (bpf.Seal).
// Every bundle polc writes, the base object included, is written by it.
func Seal(obj *object.Object, m *bpf.Manifest) ([]byte, error) {
	m.ObjectSHA256 = bpf.DigestPlaceholder
	js, err := m.Marshal()
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	o := *obj
	o.Extra = []object.Section{{Name: bpf.ManifestSection, Data: js}}
	data, err := object.Marshal(&o)
	if err != nil {
		return nil, err
	}
	data, m.ObjectSHA256, err = bpf.Seal(data)
	return data, err
}

// symbolName turns s into a C identifier fragment.
func symbolName(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// line is the source line shown for code generated for pos.
func (g *gen) line(pos ir.Pos, what string) object.Line {
	text := what
	if g.opts.SourceLine != nil {
		if t := strings.TrimSpace(g.opts.SourceLine(pos)); t != "" {
			text = t
		}
	}
	return object.Line{File: pos.File, Line: uint32(max(pos.Line, 0)), Column: uint32(min(max(pos.Col, 0), 1023)), Text: text}
}

// gen is the prog.Host of the programs it generates.
var _ prog.Host = (*gen)(nil)

// Errorf records an error at pos.
func (g *gen) Errorf(pos ir.Pos, format string, args ...any) { g.errs.add(pos, format, args...) }

// Need records a kernel feature the bundle needs.
func (g *gen) Need(feature string) { g.features[feature] = true }

// Line is the source line shown for code generated for pos.
func (g *gen) Line(pos ir.Pos, what string) object.Line { return g.line(pos, what) }

// FuncSeq numbers the bundle's generated functions.
func (g *gen) FuncSeq() int { g.nfuncs++; return g.nfuncs }

// CallConv is the calling convention of the bundle's architecture.
func (g *gen) CallConv() arch.CallConv { return g.cc }

// Var declares the load-time variable name, of size bytes (4 or 8).
func (g *gen) Var(name string, size int) { g.vars[name] = size }

// AddFunc adds a generated function to the bundle.
func (g *gen) AddFunc(f *object.Func) { g.funcs = append(g.funcs, f) }

// HasFunc says whether a function of that name was added.
func (g *gen) HasFunc(name string) bool {
	return slices.ContainsFunc(g.funcs, func(f *object.Func) bool { return f.Name == name })
}
