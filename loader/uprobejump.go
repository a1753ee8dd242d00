package loader

import (
	"debug/elf"
	"fmt"
	"os"
	"strconv"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// setUprobeJumps sets, for each uprobe hook whose Override jumps
// elsewhere in the binary (bpf.Hook.Jump), its load-time variable
// (bpf.VarUprobeJumpPrefix + ID): the distance from the instruction the
// hook probes to the code the jump goes to, both virtual addresses read
// from the binary the hook attaches to (the verified file, for hooks with
// binaryDigests), as Tetragon computes it when it loads the policy. The
// program adds the distance to the task's instruction pointer; ASLR moves
// the whole binary, so it holds in every process. Skipped hooks are left
// alone: their programs are not loaded.
func setUprobeJumps(spec *ebpf.CollectionSpec, m *bpf.Manifest, skip map[int]bool, verified map[int]*os.File) error {
	for _, h := range m.Hooks {
		if h.Jump == nil || skip[h.ID] {
			continue
		}
		name := bpf.VarUprobeJumpPrefix + strconv.Itoa(h.ID)
		v := spec.Variables[name]
		if v == nil {
			return fmt.Errorf("%w: hook %s jumps, and the bundle has no variable %s", ErrBadBundle, hookLabel(h), name)
		}
		d, err := uprobeJumpDistance(h, verified[h.ID])
		if err != nil {
			return &ProgramError{Policy: m.PolicyName(&h), Hook: hookLabel(h), Pos: h.Pos, Step: "Override jumping elsewhere in the binary", Err: err}
		}
		if err := v.Set(d); err != nil {
			return fmt.Errorf("set %s: %w", name, err)
		}
	}
	return nil
}

// uprobeJumpDistance reads the distance of h's jump from its binary: the
// file verified, or else the one at h's path.
func uprobeJumpDistance(h bpf.Hook, verified *os.File) (int64, error) {
	var f *elf.File
	var err error
	if verified != nil {
		f, err = elf.NewFile(verified)
	} else {
		f, err = elf.Open(h.Target)
	}
	if err != nil {
		return 0, err
	}
	defer func() {
		if verified == nil {
			f.Close()
		}
	}()
	from, err := probedAddress(f, &h)
	if err != nil {
		return 0, fmt.Errorf("the probed address: %w", err)
	}
	var to uint64
	switch j := h.Jump; {
	case j.Symbol != "":
		to, err = symbolAddress(f, j.Symbol)
	case j.Addr != 0:
		to = j.Addr
	default:
		to, err = offsetAddress(f, j.Offset)
	}
	if err != nil {
		return 0, fmt.Errorf("where the call is to go: %w", err)
	}
	return int64(to - from), nil
}

// probedAddress is the virtual address of the instruction uprobe hook h
// probes in f: its symbol's plus its offset, its address (addrs), or the
// address of its file offset (as link.Executable attaches it).
func probedAddress(f *elf.File, h *bpf.Hook) (uint64, error) {
	if h.Symbol == "" && h.Addr != 0 {
		return h.Addr, nil
	}
	if h.Symbol == "" {
		return offsetAddress(f, h.Offset)
	}
	a, err := symbolAddress(f, h.Symbol)
	return a + h.Offset, err
}
