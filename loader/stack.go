package loader

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// StackTraceEntry is one frame of a stack, as Tetragon's StackTraceEntry
// marshals: the address, and where it is: a kernel symbol and the offset
// into it, or a user mapping's file (module) and the offset into it.
type StackTraceEntry struct {
	Address uint64 `json:"address,omitempty,string"`
	Offset  uint64 `json:"offset,omitempty,string"`
	Symbol  string `json:"symbol,omitempty"`
	Module  string `json:"module,omitempty"`
}

// stackFrames reads stack id of a policy's StackMap: its return
// addresses, up to the first zero.
func stackFrames(m *ebpf.Map, id int32) ([]uint64, error) {
	if id < 0 {
		return nil, nil
	}
	raw := make([]byte, 8*bpf.StackDepth)
	if err := m.Lookup(uint32(id), raw); err != nil {
		return nil, fmt.Errorf("stack %d: %w", id, err)
	}
	var out []uint64
	for i := 0; i < bpf.StackDepth; i++ {
		a := binary.LittleEndian.Uint64(raw[8*i:])
		if a == 0 {
			break
		}
		out = append(out, a)
	}
	return out, nil
}

// stacks names the stacks of a record of a hook with StackIDs, reading
// the policy's StackMap (opened on first use).
func (s *Stream) stacks(pol *policyEntry, rec []byte, tgid uint32) (kernel, user []StackTraceEntry) {
	ids, ok := bpf.ParseStackIDs(rec)
	if !ok || ids.Kernel < 0 && ids.User < 0 {
		return nil, nil
	}
	if pol.stacks == nil {
		path := filepath.Join(s.o.PinRoot, bpf.PoliciesDir, pol.dir, bpf.MapsDir, bpf.PinName(bpf.StackMap))
		m, err := ebpf.LoadPinnedMap(path, &ebpf.LoadPinOptions{ReadOnly: true})
		if err != nil {
			return nil, nil
		}
		pol.stacks = m
	}
	if addrs, err := stackFrames(pol.stacks, ids.Kernel); err == nil {
		syms := s.kallsyms()
		for _, a := range addrs {
			e := StackTraceEntry{Address: a}
			if sym, ok := syms.lookup(a); ok {
				e.Symbol, e.Offset = sym.name, a-sym.addr
			}
			kernel = append(kernel, e)
		}
	}
	if addrs, err := stackFrames(pol.stacks, ids.User); err == nil && len(addrs) > 0 {
		maps := readProcMaps(filepath.Join(s.o.Procfs, strconv.FormatUint(uint64(tgid), 10), "maps"))
		for _, a := range addrs {
			e := StackTraceEntry{Address: a}
			if m, ok := maps.lookup(a); ok {
				e.Module, e.Offset = m.path, a-m.start+m.offset
			}
			user = append(user, e)
		}
	}
	return kernel, user
}

// ksym is a kernel text symbol.
type ksym struct {
	addr uint64
	name string
}

type ksyms []ksym

// kallsyms reads /proc/kallsyms once: the kernel's and modules' text
// symbols, sorted by address.
func (s *Stream) kallsyms() ksyms {
	s.ksymsOnce.Do(func() {
		f, err := os.Open(filepath.Join(s.o.Procfs, "kallsyms"))
		if err != nil {
			return
		}
		defer f.Close()
		s.ksyms = parseKallsyms(f)
	})
	return s.ksyms
}

// parseKallsyms reads kallsyms lines ("ffffffff81000000 T _stext [mod]").
func parseKallsyms(r io.Reader) ksyms {
	var out ksyms
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || !strings.ContainsAny(f[1], "tTwW") {
			continue
		}
		a, err := strconv.ParseUint(f[0], 16, 64)
		if err != nil || a == 0 {
			continue
		}
		out = append(out, ksym{a, f[2]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].addr < out[j].addr })
	return out
}

// lookup finds the symbol an address is in: the last one at or below it.
func (k ksyms) lookup(a uint64) (ksym, bool) {
	i := sort.Search(len(k), func(i int) bool { return k[i].addr > a })
	if i == 0 {
		return ksym{}, false
	}
	return k[i-1], true
}

// procMapping is a file mapping of a process.
type procMapping struct {
	start, end, offset uint64
	path               string
}

type procMaps []procMapping

// readProcMaps reads the file mappings of /proc/PID/maps; none when the
// process is gone.
func readProcMaps(path string) procMaps {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	return parseProcMaps(f)
}

// parseProcMaps reads maps lines: "55d0-55d1 r-xp 00001000 08:01 1234 /usr/bin/x".
func parseProcMaps(r io.Reader) procMaps {
	var out procMaps
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || !strings.HasPrefix(f[5], "/") {
			continue
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		off, err3 := strconv.ParseUint(f[2], 16, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		out = append(out, procMapping{start, end, off, strings.Join(f[5:], " ")})
	}
	return out
}

func (m procMaps) lookup(a uint64) (procMapping, bool) {
	for _, p := range m {
		if a >= p.start && a < p.end {
			return p, true
		}
	}
	return procMapping{}, false
}
