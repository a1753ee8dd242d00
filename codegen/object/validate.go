package object

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// validate checks what Marshal cannot check while encoding: names,
// sections, map and variable declarations.
func validate(obj *Object) error {
	if obj == nil {
		return errors.New("nil object")
	}
	if obj.License == "" {
		return errors.New("license is empty")
	}
	if strings.IndexByte(obj.License, 0) >= 0 {
		return errors.New("license contains NUL")
	}

	// Programs, functions, maps and variables share the ELF symbol table.
	symbols := make(map[string]string)
	declare := func(what, name string) error {
		if !isIdentifier(name) {
			return fmt.Errorf("%s name %q is not a C identifier", what, name)
		}
		if prev, dup := symbols[name]; dup {
			return fmt.Errorf("%s %q: name already used by a %s", what, name, prev)
		}
		symbols[name] = what
		return nil
	}
	sections := make(map[string]string)
	section := func(what, name string) error {
		if err := checkSectionName(name); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if prev, dup := sections[name]; dup {
			return fmt.Errorf("%s: section %q already used by %s", what, name, prev)
		}
		sections[name] = what
		return nil
	}

	for i, p := range obj.Programs {
		if p == nil {
			return fmt.Errorf("program %d is nil", i)
		}
		if err := declare("program", p.Name); err != nil {
			return err
		}
		if err := section("program "+p.Name, p.Section); err != nil {
			return err
		}
		if len(p.Insns) == 0 {
			return fmt.Errorf("program %s has no instructions", p.Name)
		}
	}
	for i, f := range obj.Funcs {
		if f == nil {
			return fmt.Errorf("function %d is nil", i)
		}
		if err := declare("function", f.Name); err != nil {
			return err
		}
		if len(f.Insns) == 0 {
			return fmt.Errorf("function %s has no instructions", f.Name)
		}
	}
	for i, m := range obj.Maps {
		if m == nil {
			return fmt.Errorf("map %d is nil", i)
		}
		if err := declare("map", m.Name); err != nil {
			return err
		}
		if err := checkMap(m); err != nil {
			return fmt.Errorf("map %s: %w", m.Name, err)
		}
	}
	for i, v := range obj.Rodata {
		if v == nil {
			return fmt.Errorf("variable %d is nil", i)
		}
		if err := declare("variable", v.Name); err != nil {
			return err
		}
		if v.Type == nil {
			return fmt.Errorf("variable %s has no type", v.Name)
		}
		size, err := btf.Sizeof(v.Type)
		if err != nil {
			return fmt.Errorf("variable %s: %w", v.Name, err)
		}
		if size == 0 {
			return fmt.Errorf("variable %s has size 0", v.Name)
		}
		if v.Value != nil && len(v.Value) != size {
			return fmt.Errorf("variable %s: value has %d bytes, type %s has %d", v.Name, len(v.Value), typeName(v.Type), size)
		}
		if _, err := alignOf(v.Type); err != nil {
			return fmt.Errorf("variable %s: %w", v.Name, err)
		}
	}
	for _, s := range obj.Extra {
		if !strings.HasPrefix(s.Name, ".") {
			return fmt.Errorf("extra section %q: name must start with a dot", s.Name)
		}
		if err := section("extra section", s.Name); err != nil {
			return err
		}
	}
	return nil
}

func checkMap(m *Map) error {
	if m.Type == ebpf.UnspecifiedMap {
		return errors.New("no map type")
	}
	for _, kv := range []struct {
		what string
		typ  btf.Type
		size uint32
	}{{"key", m.Key, m.KeySize}, {"value", m.Value, m.ValueSize}} {
		if kv.typ == nil {
			continue
		}
		size, err := btf.Sizeof(kv.typ)
		if err != nil {
			return fmt.Errorf("%s type: %w", kv.what, err)
		}
		if size == 0 {
			return fmt.Errorf("%s type %s has size 0", kv.what, typeName(kv.typ))
		}
		if kv.size != 0 && uint32(size) != kv.size {
			return fmt.Errorf("%s type %s has %d bytes but %s size is %d", kv.what, typeName(kv.typ), size, kv.what, kv.size)
		}
	}
	if m.Type == ebpf.RingBuf && (m.Key != nil || m.Value != nil || m.KeySize != 0 || m.ValueSize != 0) {
		return errors.New("ring buffers have no keys or values")
	}
	switch m.Pinning {
	case ebpf.PinNone, ebpf.PinByName:
	default:
		return fmt.Errorf("unsupported pinning %d", m.Pinning)
	}
	return nil
}

// isIdentifier reports whether s is a C identifier, which BTF requires of
// function and variable names.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return true
}

// Section names the loaders give a meaning to, which programs and extra
// sections must therefore not use.
var (
	reservedSections = []string{".text", ".maps", ".symtab", ".strtab", ".shstrtab", ".bss",
		".kconfig", ".ksyms", ".struct_ops", ".struct_ops.link", ".addrsig", ".llvm_addrsig"}
	reservedPrefixes = []string{".rodata", ".data", ".rel", ".BTF", ".debug", "license", "version", "maps"}
)

func checkSectionName(name string) error {
	if name == "" {
		return errors.New("empty section name")
	}
	for _, c := range name {
		if c == 0 || c == ' ' || c > '~' || c < ' ' {
			return fmt.Errorf("section name %q has a character other than printable ASCII", name)
		}
	}
	for _, r := range reservedSections {
		if name == r {
			return fmt.Errorf("section name %q is reserved", name)
		}
	}
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(name, p) {
			return fmt.Errorf("section name %q is reserved (prefix %q)", name, p)
		}
	}
	return nil
}
