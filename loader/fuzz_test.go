package loader

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/loader/testbundle"
)

// bundleSeeds are real bundles to mutate: the test bundles and codegen bundles of small IR policies (maps filled from the
// manifest, strings, process filters, return probes).
func bundleSeeds(f testing.TB) [][]byte {
	var out [][]byte
	for _, s := range []*testbundle.Spec{
		testbundle.Syscalls("fuzz-syscalls", "fuzz_enter", 1, 2),
		testbundle.Uprobe("fuzz-uprobe", "fuzz_uprobe", "/bin/true", "main", 1),
	} {
		data, err := s.Write()
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	base, err := testbundle.Base("fuzz_base", true)
	if err != nil {
		f.Fatal(err)
	}
	out = append(out, base)
	for _, pol := range seedPolicies() {
		b, err := codegen.Build(pol, codegen.Options{Arch: arch.Host(), Source: "fuzz.yaml", Compiler: "fuzz"})
		if err != nil {
			f.Fatalf("build seed %s: %v", pol.Name, err)
		}
		out = append(out, b.Object)
	}
	return out
}

// seedPolicies are IR policies covering what bundles hold: value maps
// filled by the loader, string and prefix maps, process filters with
// load-time variables, and a kprobe with a return program.
func seedPolicies() []*ir.Policy {
	ints := &ir.Map{Name: "ints_0", Kind: ir.MapIntSet, KeySize: 8, MaxEntries: 3,
		Values: []ir.Value{{Kind: ir.ValInt, Int: 1}, {Kind: ir.ValInt, Int: 7}, {Kind: ir.ValRange, Int: 10, Hi: 20}}}
	strs := &ir.Map{Name: "strs_0", Kind: ir.MapStringPrefix, KeySize: 16, MaxEntries: 2,
		Values: []ir.Value{{Kind: ir.ValString, Str: "/etc/"}, {Kind: ir.ValString, Str: "/tmp/x"}}}
	raw := &ir.Hook{Kind: ir.HookRawTracepoint, Target: "sys_enter", Call: "sys_enter",
		Args: []*ir.Arg{{Slot: 0, Index: 1, Type: ir.TypeInt64, SizeSlot: ir.NoSize}},
		Selectors: []*ir.Selector{{Index: 0, Tests: []*ir.Test{
			{Kind: ir.TestArg, Op: ir.OpInMap, Slot: 0, Type: ir.TypeInt64, Map: ints},
			{Kind: ir.TestNamespace, Op: ir.OpNotIn, Namespace: ir.NsPid, HostNS: true},
		}}}}
	open := &ir.Hook{Kind: ir.HookTracepoint, Target: "syscalls/sys_enter_openat", Call: "syscalls/sys_enter_openat",
		Args: []*ir.Arg{
			{Slot: 0, Index: 5, Type: ir.TypeInt, SizeSlot: ir.NoSize},
			{Slot: 1, Index: 6, Type: ir.TypeString, SizeSlot: ir.NoSize},
		},
		Selectors: []*ir.Selector{{Index: 0, Tests: []*ir.Test{
			{Kind: ir.TestArg, Op: ir.OpPrefix, Slot: 1, Type: ir.TypeString, Map: strs},
			{Kind: ir.TestPID, Op: ir.OpNotIn, Values: []ir.Value{{Kind: ir.ValInt, Int: 1}}, FollowForks: true},
		}}}}
	kprobe := &ir.Hook{Kind: ir.HookKprobe, Target: "fd_install", Call: "fd_install", Return: true,
		Args: []*ir.Arg{{Slot: 0, Index: 0, Type: ir.TypeInt, SizeSlot: ir.NoSize}},
		Ret:  &ir.Arg{Slot: -1, Type: ir.TypeInt, SizeSlot: ir.NoSize}}
	return []*ir.Policy{
		{Name: "fuzz-raw", Arch: string(arch.Host()), Hooks: []*ir.Hook{raw}, Maps: []*ir.Map{ints}},
		{Name: "fuzz-open", Arch: string(arch.Host()), Hooks: []*ir.Hook{open}, Maps: []*ir.Map{strs}},
		{Name: "fuzz-kprobe", Arch: string(arch.Host()), Hooks: []*ir.Hook{kprobe},
			Maps: []*ir.Map{{Name: "retprobe", Kind: ir.MapRetProbe, MaxEntries: 32768}}},
	}
}

// checkReadBundle reads data as polrun does and fails t on a panic (by
// not catching it) or on a bundle accepted against its own rules.
func checkReadBundle(t *testing.T, data []byte) {
	b, err := ReadBundle(data)
	if err != nil {
		if b != nil {
			t.Fatalf("ReadBundle returned a bundle and an error: %v", err)
		}
		return
	}
	m := b.Manifest
	if !ValidPolicyName(m.Policy) || m.Arch != string(arch.Host()) || len(m.Hooks) == 0 {
		t.Fatalf("accepted manifest: policy %q arch %q, %d hooks", m.Policy, m.Arch, len(m.Hooks))
	}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if b.Spec.Programs[p.Name] == nil {
				t.Fatalf("accepted a manifest naming program %s, which the object lacks", p.Name)
			}
		}
	}
	// What Load does before touching the kernel.
	spec := b.Spec.Copy()
	if len(spec.Programs) != len(b.Spec.Programs) {
		t.Fatal("spec copy lost programs")
	}
	if _, err := m.Marshal(); err != nil {
		t.Fatalf("an accepted manifest does not marshal: %v", err)
	}
}

// FuzzReadBundle: mutated bundles are refused with an error (almost all by
// the integrity check), never a panic.
func FuzzReadBundle(f *testing.F) {
	f.Add(bpf.BaseObject) // built for any arch: refused, as a policy
	for _, data := range bundleSeeds(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReadBundle(t, data)
	})
}

// digestDigits finds the manifest's objectSha256 digits, as bpf.Seal does.
var digestDigits = regexp.MustCompile(`"objectSha256":\s*"([0-9a-f]{64})"`)

// reseal writes the digest of data into its manifest, as if whoever
// changed the bundle had sealed it again, so that the checks behind the
// integrity check see the change. It returns data unchanged when it has no
// manifest section with one digest.
func reseal(data []byte) []byte {
	sum, err := bpf.ObjectDigest(data)
	if err != nil {
		return data
	}
	loc := digestDigits.FindAllSubmatchIndex(data, -1)
	if len(loc) != 1 {
		return data
	}
	out := bytes.Clone(data)
	copy(out[loc[0][2]:loc[0][3]], sum)
	return out
}

// FuzzReadBundleSealed: bundles changed and sealed again pass the integrity
// check, so that the manifest checks, cilium/ebpf's ELF reader and the
// checks of the object against the manifest see hostile input; each
// refuses it with an error or accepts a bundle that keeps polrun's rules.
func FuzzReadBundleSealed(f *testing.F) {
	f.Add(bpf.BaseObject)
	for _, data := range bundleSeeds(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReadBundle(t, reseal(data))
	})
}

// fuzzEncodings are the argument types the event fuzzer picks from, with
// the encoding codegen gives each.
var fuzzEncodings = []bpf.Arg{
	{Type: "int", Encoding: bpf.EncInt}, {Type: "uint64", Encoding: bpf.EncInt},
	{Type: "syscall64", Encoding: bpf.EncInt}, {Type: "capability", Encoding: bpf.EncInt},
	{Type: "kernel_cap_t", Encoding: bpf.EncInt}, {Type: "bpf_cmd", Encoding: bpf.EncInt},
	{Type: "fd", Encoding: bpf.EncInt}, {Type: "nop", Encoding: bpf.EncNone},
	{Type: "string", Encoding: bpf.EncBytes, MaxBytes: 64}, {Type: "file", Encoding: bpf.EncBytes, MaxBytes: 4096},
	{Type: "char_buf", Encoding: bpf.EncBytes}, {Type: "char_iovec", Encoding: bpf.EncBytes, MaxBytes: 16},
	{Type: "linux_binprm", Encoding: bpf.EncBytes}, {Type: "sock", Encoding: bpf.EncSock},
	{Type: "skb", Encoding: bpf.EncSkb}, {Type: "sockaddr", Encoding: bpf.EncSockaddr},
	{Type: "cred", Encoding: bpf.EncCred}, {Type: "user_namespace", Encoding: bpf.EncUserNamespace},
	{Type: "bpf_attr", Encoding: bpf.EncBpfAttr}, {Type: "bpf_map", Encoding: bpf.EncBpfMap},
	{Type: "perf_event", Encoding: bpf.EncPerfEvent}, {Type: "bpf_prog", Encoding: bpf.EncBpfProg},
	{Type: "int32_arr", Encoding: bpf.EncInt32Arr},
	{Type: "string", Encoding: bpf.Encoding(200)},
}

// fuzzManifest makes a manifest of two hooks from layout: each byte picks
// an argument of hook 0; a byte of 0xff switches to hook 1, whose last
// argument becomes its return value.
func fuzzManifest(layout []byte) *bpf.Manifest {
	hooks := []bpf.Hook{
		{ID: 0, Kind: "kprobe", Target: "__x64_sys_fuzz", Call: "sys_fuzz", Syscall: true, Args: []bpf.Arg{}},
		{ID: 1, Kind: "tracepoint", Target: "fuzz/event", Call: "event", Args: []bpf.Arg{}},
	}
	h := &hooks[0]
	for i, b := range layout {
		if b == 0xff {
			h = &hooks[1]
			continue
		}
		a := fuzzEncodings[int(b)%len(fuzzEncodings)]
		a.Index, a.Slot = i, len(h.Args)
		h.Args = append(h.Args, a)
	}
	if n := len(hooks[1].Args); n > 0 {
		r := hooks[1].Args[n-1]
		hooks[1].Args = hooks[1].Args[:n-1]
		hooks[1].Return = &r
	}
	return &bpf.Manifest{Format: bpf.ManifestFormat, Policy: "fuzz", Arch: string(arch.X86_64), Hooks: hooks}
}

// FuzzStream: records of any bytes, for hooks of any layout, go through
// what a Stream does with them — base records into the process cache,
// policy records decoded with their manifest — and come out as an Event
// that marshals to valid JSON and prints, or as a DecodeError; never a
// panic. records holds several records, each as long as its header says.
func FuzzStream(f *testing.F) {
	every := make([]byte, len(fuzzEncodings)+1)
	for i := range fuzzEncodings {
		every[i] = byte(i)
	}
	every[len(fuzzEncodings)] = 0xff
	sock := bpf.Sock{Family: 2, Protocol: 6, Sport: 1, Dport: 2}
	rec := func(hook uint16, flags uint16, args ...any) []byte {
		r := newRecord(hook, flags)
		for _, a := range args {
			switch v := a.(type) {
			case uint64:
				r.int(v)
			case string:
				r.bytes(v, uint64(len(v)), 0)
			default:
				r.fixed(v)
			}
		}
		return r.raw()
	}
	exec := func(kind bpf.EventKind, pid, ppid uint32, bin string) []byte {
		var pe bpf.ProcEvent
		pe.Proc.Tgid, pe.Proc.Ppid = pid, ppid
		copy(pe.Proc.Binary[:], bin)
		r := newRecord(0, 0)
		r.h.Kind = kind
		r.fixed(pe)
		return r.raw()
	}
	f.Add([]byte{0, 8}, rec(0, 0, uint64(3), "abc"))
	f.Add([]byte{13, 0xff, 0, 1}, append(rec(0, 0, sock), rec(1, bpf.FlagReturn, uint64(1), uint64(2))...))
	f.Add(every, bytes.Join([][]byte{
		exec(bpf.EventExec, 4242, 1, "/bin/sh"), exec(bpf.EventFork, 4243, 4242, "/bin/sh"),
		rec(0, 0, uint64(1)), exec(bpf.EventExit, 4242, 1, ""),
	}, nil))
	procfs := f.TempDir() // an empty /proc: processes come from records only
	f.Fuzz(func(t *testing.T, layout, records []byte) {
		m := fuzzManifest(layout)
		s := &Stream{arch: arch.X86_64, o: StreamOptions{NodeName: "fuzz"},
			policies: map[uint32]*policyEntry{7: {name: m.Policy, manifest: m}}, pendingIDs: map[uint32]int{},
			lastScan: time.Now().Add(time.Hour), bootWall: time.Unix(1_700_000_000, 0), bootWallK: 1 << 62}
		s.cache = newProcCache("fuzz", procfs, s.toWall, nil)
		for len(records) > 0 {
			raw := records
			if len(raw) >= 8 {
				if n := int(binary.LittleEndian.Uint32(raw[4:8])); n >= 8 && n < len(raw) {
					raw = raw[:n]
				}
			}
			records = records[len(raw):]
			ev, err := s.decode(raw)
			if err != nil {
				var de *DecodeError
				var unknown errUnknownPolicy
				if !errors.As(err, &de) && !errors.As(err, &unknown) {
					t.Fatalf("error %v (%T) is not a DecodeError", err, err)
				}
				continue
			}
			if ev == nil {
				continue
			}
			js, err := json.Marshal(ev)
			if err != nil || !json.Valid(js) {
				t.Fatalf("event does not marshal: %v\n%s", err, js)
			}
			_ = ev.Compact()
		}
	})
}

// The bundle seeds are bundles polrun accepts, so that the fuzzers start
// from inputs that reach every check; sealing one again changes nothing.
func TestFuzzSeedsAccepted(t *testing.T) {
	for i, data := range bundleSeeds(t) {
		if _, err := ReadBundle(data); err != nil {
			t.Errorf("seed %d: %v", i, err)
		}
		if !bytes.Equal(reseal(data), data) {
			t.Errorf("seed %d: sealing it again changed it", i)
		}
	}
}
