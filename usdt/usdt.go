package usdt

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
)

// ErrNoNotes: the binary has no .note.stapsdt section.
var ErrNoNotes = errors.New("no USDT probes (no .note.stapsdt section)")

// Probe is one place of a USDT probe. A probe written several times in
// the source, or inlined, has several places, each with its own argument
// locations.
type Probe struct {
	Provider, Name string
	// Address is where the probe is in the binary's address space (as
	// linked), Location the file offset of that address: where a uprobe
	// attaches.
	Address, Location uint64
	// SemaphoreAddress and Semaphore (its file offset) locate the probe's
	// semaphore; 0 when it has none.
	SemaphoreAddress, Semaphore uint64
	// ArgText is the note's argument string; Args its arguments. Err says
	// why they could not all be read: the probe can be listed, but not
	// attached.
	ArgText string
	Args    []Arg
	Err     error
}

// String is "provider:name@0xLOCATION".
func (p *Probe) String() string { return fmt.Sprintf("%s:%s@%#x", p.Provider, p.Name, p.Location) }

// Spec is where the probe's arguments are, for the programs.
func (p *Probe) Spec() (bpf.USDTSpec, error) {
	var s bpf.USDTSpec
	if p.Err != nil {
		return s, p.Err
	}
	if len(p.Args) > bpf.USDTMaxArgs {
		return s, fmt.Errorf("USDT probe %s has %d arguments, more than %d", p, len(p.Args), bpf.USDTMaxArgs)
	}
	for i, a := range p.Args {
		s[i] = a.Spec()
	}
	return s, nil
}

// ReadFile reads the USDT probes of the ELF file at path, whose arguments
// are in the registers of architecture a.
func ReadFile(path string, a arch.Arch) ([]Probe, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	probes, err := Read(f, a)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return probes, nil
}

// noteType is NT_STAPSDT, the type of SystemTap's notes.
const noteType = 3

// Read reads the USDT probes of the ELF file r.
func Read(r io.ReaderAt, a arch.Arch) ([]Probe, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("read ELF: %w", err)
	}
	defer f.Close()
	sec := f.Section(".note.stapsdt")
	if sec == nil {
		return nil, ErrNoNotes
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("read .note.stapsdt: %w", err)
	}
	// Prelinking moves the binary but not the notes: the difference
	// between .stapsdt.base now and as the note saw it moves them back.
	var baseAddr uint64
	if b := f.Section(".stapsdt.base"); b != nil {
		baseAddr = b.Addr
	}
	syms := symbols(f)
	word := 8
	if f.Class == elf.ELFCLASS32 {
		word = 4
	}
	var probes []Probe
	for len(data) > 0 {
		n, err := readNote(f.ByteOrder, data)
		if err != nil {
			return nil, fmt.Errorf(".note.stapsdt: %w", err)
		}
		data = data[n.size:]
		if n.owner != "stapsdt" || n.typ != noteType {
			continue
		}
		p, err := parseNote(f, n.desc, word, baseAddr)
		if err != nil {
			return nil, fmt.Errorf(".note.stapsdt: %w", err)
		}
		p.Args, p.Err = ParseArgs(p.ArgText, a, syms, p.Address)
		if p.Err != nil {
			p.Err = fmt.Errorf("USDT probe %s: %w", &p, p.Err)
		}
		probes = append(probes, p)
	}
	return probes, nil
}

type note struct {
	owner string
	typ   uint32
	desc  []byte
	size  int // bytes the note takes, with padding
}

// readNote reads the ELF note at the start of data: namesz, descsz, type,
// then name and desc, each padded to 4 bytes.
func readNote(order binary.ByteOrder, data []byte) (note, error) {
	if len(data) < 12 {
		return note{}, fmt.Errorf("truncated note header (%d bytes)", len(data))
	}
	nameSize, descSize := int(order.Uint32(data)), int(order.Uint32(data[4:]))
	typ := order.Uint32(data[8:])
	pad := func(n int) int { return (n + 3) &^ 3 }
	if end := 12 + pad(nameSize) + descSize; end > len(data) {
		return note{}, fmt.Errorf("note of %d+%d bytes in %d", nameSize, descSize, len(data))
	}
	name := data[12 : 12+nameSize]
	desc := data[12+pad(nameSize) : 12+pad(nameSize)+descSize]
	size := min(12+pad(nameSize)+pad(descSize), len(data))
	return note{owner: string(bytes.TrimRight(name, "\x00")), typ: typ, desc: desc, size: size}, nil
}

// parseNote reads a stapsdt note's description: the probe's address, the
// .stapsdt.base address it was written against, the semaphore's address,
// then provider, name and arguments as NUL-terminated strings.
func parseNote(f *elf.File, desc []byte, word int, baseAddr uint64) (Probe, error) {
	if len(desc) < 3*word {
		return Probe{}, fmt.Errorf("note of %d bytes", len(desc))
	}
	addr := func(i int) uint64 {
		if word == 4 {
			return uint64(f.ByteOrder.Uint32(desc[i*4:]))
		}
		return f.ByteOrder.Uint64(desc[i*8:])
	}
	pc, base, sema := addr(0), addr(1), addr(2)
	strs := bytes.SplitN(desc[3*word:], []byte{0}, 4)
	if len(strs) < 3 {
		return Probe{}, fmt.Errorf("note at %#x: provider, name and arguments are not NUL-terminated strings", pc)
	}
	p := Probe{Provider: string(strs[0]), Name: string(strs[1]), ArgText: string(strs[2])}
	if baseAddr != 0 && base != 0 {
		pc += baseAddr - base
		if sema != 0 {
			sema += baseAddr - base
		}
	}
	p.Address = pc
	loc, err := fileOffset(f, pc, elf.PF_X)
	if err != nil {
		return Probe{}, fmt.Errorf("probe %s:%s: %w", p.Provider, p.Name, err)
	}
	p.Location = loc
	if sema != 0 {
		p.SemaphoreAddress = sema
		if p.Semaphore, err = fileOffset(f, sema, 0); err != nil {
			return Probe{}, fmt.Errorf("semaphore of probe %s:%s: %w", p.Provider, p.Name, err)
		}
	}
	return p, nil
}

// fileOffset turns an address of the binary into the offset in the file
// of the loadable segment holding it (with flag, when not 0).
func fileOffset(f *elf.File, addr uint64, flag elf.ProgFlag) (uint64, error) {
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD || flag != 0 && p.Flags&flag == 0 {
			continue
		}
		if addr >= p.Vaddr && addr < p.Vaddr+p.Memsz {
			return addr - p.Vaddr + p.Off, nil
		}
	}
	return 0, fmt.Errorf("address %#x is in no loadable segment", addr)
}

// symbols returns the addresses of the binary's symbols by name, for
// arguments addressed relative to one ("counter(%rip)").
func symbols(f *elf.File) map[string]uint64 {
	out := map[string]uint64{}
	for _, read := range []func() ([]elf.Symbol, error){f.DynamicSymbols, f.Symbols} {
		syms, _ := read()
		for _, s := range syms {
			if s.Name != "" && s.Value != 0 && elf.ST_TYPE(s.Info) == elf.STT_OBJECT {
				out[s.Name] = s.Value
			}
		}
	}
	return out
}
