package codegen

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
	"github.com/cilium/ebpf/rlimit"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/loader"
)

// loaded is a bundle in the kernel, for tests.
type loaded struct {
	coll  *ebpf.Collection
	stats map[string]progStats
}

// progStats are a program's verifier figures.
type progStats struct {
	Verified uint32        // instructions the verifier processed
	Load     time.Duration // the verifier's time for the program
}

// verifierStats matches the statistics lines of a verifier log:
// "verification time 1234 usec" then "processed 567 insns ...".
var verifierStats = regexp.MustCompile(`verification time (\d+) usec[\s\S]*?processed (\d+) insns`)

// loadBundle loads b the way polrun does, with its shared maps pinned in a
// fresh directory of bpffs (removed at cleanup), the policy ID set, and
// the host namespace variables set to this process's namespaces.
func loadBundle(t testing.TB, b *Bundle) *loaded {
	t.Helper()
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(b.Object))
	if err != nil {
		t.Fatalf("read back %s: %v", b.FileName(), err)
	}
	return loadSpec(t, b, spec)
}

func loadSpec(t testing.TB, b *Bundle, spec *ebpf.CollectionSpec) *loaded {
	t.Helper()
	return loadSpecIn(t, b, spec, pinDir(t))
}

// pinDir makes a fresh directory in bpffs for a test's shared maps.
func pinDir(t testing.TB) string {
	t.Helper()
	pin := testenv.PinDir(t, "polc-codegen-test", false)
	if err := os.MkdirAll(pin, 0o700); err != nil {
		t.Fatal(err)
	}
	return pin
}

// loadSpecIn loads spec with its shared maps pinned in pin.
func loadSpecIn(t testing.TB, b *Bundle, spec *ebpf.CollectionSpec, pin string) *loaded {
	t.Helper()
	removeMemlock(t)
	for name, v := range spec.Variables {
		switch {
		case name == bpf.VarPolicyID:
			if err := v.Set(uint32(7)); err != nil {
				t.Fatal(err)
			}
		case len(name) > len(bpf.VarHostNSPrefix) && name[:len(bpf.VarHostNSPrefix)] == bpf.VarHostNSPrefix:
			if err := v.Set(hostNS(t, name[len(bpf.VarHostNSPrefix):])); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Fallbacks without bpf_loop load as the loader loads them: with their
	// program's section and target (an fmod_ret or LSM function). On a
	// kernel without bpf_loop the programs that need it are left out, and
	// their fallbacks answer to their names too (aliases, below).
	// The USDT variants without bpf_get_attach_cookie likewise, on a
	// kernel without it (as is, with their place key still the marker).
	noLoop, noCookie := !haveBpfLoop(), !haveAttachCookie()
	aliases := map[string]string{}
	for _, h := range b.Manifest.Hooks {
		for _, p := range h.Programs {
			main := spec.Programs[p.Name]
			if main == nil {
				continue
			}
			for _, v := range []string{p.Fallback, p.NoCookie, p.NoCookieFallback} {
				if vs := spec.Programs[v]; v != "" && vs != nil {
					vs.SectionName, vs.AttachTo = main.SectionName, main.AttachTo
				}
			}
			// What the loader picks (loader.PickPrograms); the others
			// are loaded too where the kernel can.
			pick := p.Name
			switch {
			case noCookie && noLoop && p.NoCookieFallback != "":
				pick = p.NoCookieFallback
			case noCookie && p.NoCookie != "":
				pick = p.NoCookie
			case noLoop && p.Fallback != "":
				pick = p.Fallback
			}
			if noLoop {
				if p.Fallback != "" {
					delete(spec.Programs, p.Name)
				}
				if p.NoCookieFallback != "" {
					delete(spec.Programs, p.NoCookie)
				}
			}
			if noCookie && p.NoCookie != "" {
				delete(spec.Programs, p.Name)
				delete(spec.Programs, p.Fallback)
			}
			if pick != p.Name {
				aliases[p.Name] = pick
			}
		}
	}
	// The kprobe.multi programs load where the kernel has kprobe_multi
	// (as polrun picks them, loader/kmulti.go).
	if features.HaveBPFLinkKprobeMulti() != nil {
		for _, mp := range b.Manifest.Multi {
			delete(spec.Programs, mp.Name)
		}
	}
	// Hash maps preallocated where the kernel wants them so, as polrun
	// loads them.
	loader.PreallocHashMaps(spec)
	l := &loaded{stats: make(map[string]progStats)}
	start := time.Now()
	coll, err := ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{Maps: ebpf.MapOptions{PinPath: pin},
		Programs: ebpf.ProgramOptions{LogLevel: ebpf.LogLevelStats}})
	elapsed := time.Since(start)
	if err != nil {
		var verr *ebpf.VerifierError
		if errors.As(err, &verr) {
			t.Fatalf("load %s: %+v", b.FileName(), verr)
		}
		t.Fatalf("load %s: %v", b.FileName(), err)
	}
	t.Cleanup(func() { coll.Close() })
	for name, fb := range aliases {
		defer func() { coll.Programs[name] = coll.Programs[fb] }() // after the stats
	}
	l.coll = coll
	for name, p := range coll.Programs {
		// The verifier's own figures (LogLevelStats): instructions
		// processed and verification time; else the collection's load time
		// shared out.
		st := progStats{Load: elapsed / time.Duration(len(coll.Programs))}
		if m := verifierStats.FindStringSubmatch(p.VerifierLog); m != nil {
			n, _ := strconv.Atoi(m[2])
			st.Verified = uint32(n)
			us, _ := strconv.Atoi(m[1])
			st.Load = time.Duration(us) * time.Microsecond
		} else if info, err := p.Info(); err == nil {
			st.Verified, _ = info.VerifiedInstructions()
		}
		l.stats[name] = st
	}
	// The files of SameFile tests, identified on this machine as polrun
	// identifies them.
	fileIDs, err := loader.FileIDEntries(b.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	for _, init := range append(append([]bpf.MapInit(nil), b.Manifest.Maps...), fileIDs...) {
		m := coll.Maps[init.Map]
		for _, e := range init.Entries {
			if err := m.Put(e.Key, e.Value); err != nil {
				t.Fatalf("fill map %s: %v", init.Map, err)
			}
		}
	}
	return l
}

// hostNS returns the inode of this process's namespace of a kind, as
// polc_host_ns_<kind> wants it.
func hostNS(t testing.TB, kind string) uint32 {
	file := map[string]string{"uts": "uts", "ipc": "ipc", "mnt": "mnt", "pid": "pid",
		"pidforchildren": "pid_for_children", "net": "net", "time": "time",
		"timeforchildren": "time_for_children", "cgroup": "cgroup", "user": "user"}[kind]
	fi, err := os.Stat(filepath.Join("/proc/self/ns", file))
	if err != nil {
		t.Fatalf("namespace %s: %v", kind, err)
	}
	return uint32(inode(fi))
}

// record is a decoded ring buffer record.
type record struct {
	bpf.Header
	Args [][]byte // raw encoded arguments
}

// readRecords reads records from the events ring buffer until stop
// returns true for one or the deadline passes.
func readRecords(t testing.TB, l *loaded, b *Bundle, timeout time.Duration, stop func(record) bool) []record {
	t.Helper()
	rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	rd.SetDeadline(time.Now().Add(timeout))
	var out []record
	for {
		raw, err := rd.Read()
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return out
			}
			t.Fatal(err)
		}
		rec, err := decodeRecord(raw.RawSample, b)
		if err != nil {
			t.Fatalf("decode record: %v", err)
		}
		out = append(out, rec)
		if stop != nil && stop(rec) {
			return out
		}
	}
}

// decodeRecord splits a record into header and arguments per the manifest.
func decodeRecord(raw []byte, b *Bundle) (record, error) {
	var r record
	if len(raw) < bpf.HeaderSize {
		return r, fmt.Errorf("record of %d bytes", len(raw))
	}
	if err := binary.Read(bytes.NewReader(raw[:bpf.HeaderSize]), binary.LittleEndian, &r.Header); err != nil {
		return r, err
	}
	if int(r.Size) > len(raw) {
		return r, fmt.Errorf("header size %d, record %d bytes", r.Size, len(raw))
	}
	if r.Kind != bpf.EventPolicy {
		return r, nil
	}
	if int(r.HookID) >= len(b.Manifest.Hooks) {
		return r, fmt.Errorf("hook %d", r.HookID)
	}
	off := bpf.HeaderSize
	hook := b.Manifest.Hooks[r.HookID]
	specs := hook.Args
	if hook.Return != nil && hook.Return.Encoding != bpf.EncInt && r.Flags&bpf.FlagReturn != 0 {
		specs = append(append([]bpf.Arg(nil), specs...), *hook.Return)
	}
	for _, a := range specs {
		var n int
		switch a.Encoding {
		case bpf.EncNone:
			r.Args = append(r.Args, nil)
			continue
		case bpf.EncInt:
			n = 8
		case bpf.EncBytes:
			if off+bpf.BytesHeaderSize > int(r.Size) {
				return r, fmt.Errorf("slot %d: bytes header past the end", a.Slot)
			}
			n = bpf.BytesHeaderSize + bpf.Align8(int(binary.LittleEndian.Uint32(raw[off:])))
		default:
			n = prog.EncodedSize(a.Encoding, 0)
		}
		if off+n > int(r.Size) {
			return r, fmt.Errorf("slot %d: %d bytes at %d past the end (%d)", a.Slot, n, off, r.Size)
		}
		r.Args = append(r.Args, raw[off:off+n])
		off += n
	}
	if hook.StackIDs {
		// The stack ids end the record (bpf/stack.go).
		if off+bpf.StackIDsSize > int(r.Size) {
			return r, fmt.Errorf("stack ids past the end")
		}
		r.Args = append(r.Args, raw[off:off+bpf.StackIDsSize])
		off += bpf.StackIDsSize
	}
	if off != int(r.Size) {
		return r, fmt.Errorf("arguments end at %d, record at %d", off, r.Size)
	}
	return r, nil
}

// bytesArg decodes an EncBytes argument.
func bytesArg(raw []byte) (data []byte, flags uint32, total uint64) {
	n := binary.LittleEndian.Uint32(raw)
	return raw[bpf.BytesHeaderSize : bpf.BytesHeaderSize+int(n)], binary.LittleEndian.Uint32(raw[4:]), binary.LittleEndian.Uint64(raw[8:])
}

func intArg(raw []byte) int64 { return int64(binary.LittleEndian.Uint64(raw)) }

// removeMemlock lifts RLIMIT_MEMLOCK, which kernels before 5.11 charge
// maps to, for a test that creates maps whatever ran before it.
func removeMemlock(t testing.TB) {
	t.Helper()
	if err := rlimit.RemoveMemlock(); err != nil {
		t.Fatal(err)
	}
}

// loadBaseIn loads and attaches the committed base object with its maps in
// pin, so that bundles loaded in the same directory share its process
// table.
func loadBaseIn(t testing.TB, pin string) *ebpf.Collection {
	t.Helper()
	removeMemlock(t)
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(bpf.BaseObject))
	if err != nil {
		t.Fatal(err)
	}
	m, err := bpf.ReadManifest(bpf.BaseObject)
	if err != nil {
		t.Fatal(err)
	}
	// The programs polrun would load here: the fallbacks without
	// bpf_loop where the kernel lacks it.
	if _, err := loader.PickPrograms(m, spec); err != nil {
		t.Fatal(err)
	}
	coll, err := ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{Maps: ebpf.MapOptions{PinPath: pin}})
	if err != nil {
		t.Fatalf("load base: %v", err)
	}
	t.Cleanup(func() { coll.Close() })
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			l, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: p.Target, Program: coll.Programs[p.Name]})
			if err != nil {
				t.Fatalf("attach %s: %v", p.Name, err)
			}
			t.Cleanup(func() { l.Close() })
		}
	}
	return coll
}
