package loader

import (
	"debug/elf"
	"fmt"
)

// Addresses in the ELF binaries uprobes attach to: the virtual addresses
// of symbols, and the mapping between virtual addresses and file offsets
// that the binary's loadable segments (program headers) give. uprobe
// addrs and the jumps of Override (uprobejump.go) read them, as Tetragon
// does, when the policy is loaded.

// symbolAddress is the value of the symbol name defined in f's symbol
// table, or else in its dynamic symbol table.
func symbolAddress(f *elf.File, name string) (uint64, error) {
	for _, read := range []func() ([]elf.Symbol, error){f.Symbols, f.DynamicSymbols} {
		syms, err := read()
		if err != nil {
			continue // no such table
		}
		for _, s := range syms {
			if s.Name == name && s.Section != elf.SHN_UNDEF && s.Value != 0 {
				return s.Value, nil
			}
		}
	}
	return 0, fmt.Errorf("the binary defines no symbol %q", name)
}

// offsetAddress is the virtual address the file offset off is loaded at:
// the loadable segment holding it says where.
func offsetAddress(f *elf.File, off uint64) (uint64, error) {
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && off >= p.Off && off < p.Off+p.Filesz {
			return off - p.Off + p.Vaddr, nil
		}
	}
	return 0, fmt.Errorf("file offset %#x is in no loadable segment of the binary", off)
}

// addrFileOffset is the file offset the virtual address addr of the
// binary at path is loaded from (spec.uprobes addrs): the loadable segment
// holding it says where.
func addrFileOffset(path string, addr uint64) (uint64, error) {
	f, err := elf.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && addr >= p.Vaddr && addr < p.Vaddr+p.Filesz {
			return addr - p.Vaddr + p.Off, nil
		}
	}
	return 0, fmt.Errorf("address %#x is in no loadable segment of the binary", addr)
}
