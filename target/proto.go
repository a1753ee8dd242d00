package target

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// Kind is what sort of C type a value has, as far as reading it goes.
type Kind int

const (
	KindUnknown Kind = iota // the type could not be resolved
	KindVoid
	KindInt // integers, enums, bool, char
	KindFloat
	KindPointer
	KindArray
	KindStruct
	KindUnion
	KindFunc
	KindDataLoc // a tracepoint's __data_loc field: a dynamic array
)

func (k Kind) String() string {
	return [...]string{"unknown", "void", "integer", "float", "pointer", "array", "struct", "union", "function", "__data_loc"}[k]
}

// CType is a C type resolved through typedefs and qualifiers, with its
// spelling as the kernel writes it.
type CType struct {
	// C is the type as declared: "struct file *", "unsigned int",
	// "size_t", "const char *".
	C    string
	Kind Kind
	// Size is the width in bytes; 0 when unknown.
	Size int
	// Signed is true for signed integers.
	Signed bool
	// Name is the tag of a struct, union or enum ("file"), or the base
	// name of an integer ("unsigned int").
	Name string
	// Elem is what a pointer points at, or what an array holds, resolved
	// one level deep (a pointer to a pointer has an Elem of KindPointer
	// without Elem).
	Elem *CType

	btf btf.Type // where it came from, for Resolve; nil if not from BTF
}

func (t CType) String() string { return t.C }

// Param is one parameter of a function.
type Param struct {
	Name string
	Type CType
}

// Proto is a function's prototype.
type Proto struct {
	Name     string
	Return   CType
	Params   []Param
	Variadic bool
}

// String is the prototype in C, without the return type:
// "fd_install(unsigned int fd, struct file *file)".
func (p *Proto) String() string {
	var b strings.Builder
	b.WriteString(p.Name)
	b.WriteByte('(')
	for i, prm := range p.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(declare(prm.Type.C, prm.Name))
	}
	if p.Variadic {
		if len(p.Params) > 0 {
			b.WriteString(", ")
		}
		b.WriteString("...")
	}
	if len(p.Params) == 0 && !p.Variadic {
		b.WriteString("void")
	}
	b.WriteByte(')')
	return b.String()
}

// declare joins a type and a name as C does: "struct file *file", "int fd".
func declare(typ, name string) string {
	switch {
	case name == "":
		return typ
	case strings.HasSuffix(typ, "*"):
		return typ + name
	}
	return typ + " " + name
}

// FuncProto returns the prototype of kernel function name from the BTF.
// The error wraps ErrNotFound when the BTF has no such function, and
// ErrUnknown when the profile has no BTF.
func (p *Profile) FuncProto(name string) (*Proto, error) {
	spec, err := p.Spec()
	if err != nil {
		return nil, fmt.Errorf("prototype of %s: %w", name, err)
	}
	fn, err := funcByName(spec, name)
	if err != nil {
		if errors.Is(err, btf.ErrNotFound) {
			return nil, fmt.Errorf("prototype of %s: %w in the kernel BTF", name, ErrNotFound)
		}
		return nil, fmt.Errorf("prototype of %s: %w", name, err)
	}
	fp, ok := fn.Type.(*btf.FuncProto)
	if !ok {
		return nil, fmt.Errorf("prototype of %s: BTF gives %T, not a function prototype", name, fn.Type)
	}
	proto := &Proto{Name: name, Return: fromBTF(fp.Return, 0)}
	for i, prm := range fp.Params {
		if _, void := prm.Type.(*btf.Void); void && i == len(fp.Params)-1 && prm.Name == "" {
			proto.Variadic = true
			break
		}
		proto.Params = append(proto.Params, Param{Name: prm.Name, Type: fromBTF(prm.Type, 0)})
	}
	return proto, nil
}

// SyscallProto returns the prototype of the syscall whose wrapper is
// symbol (__x64_sys_openat, __ia32_compat_sys_openat, __arm64_sys_dup), as
// SYSCALL_DEFINE declares it and named after its body without "sys_"
// ("openat(int dfd, ...)", "compat_sys_openat(...)"): the wrapper itself
// takes only a struct pt_regs. The BTF's __do_sys_NAME
// gives it where the compiler kept that function; otherwise the format of
// tracepoint syscalls/sys_enter_NAME does, for native syscalls.
func (p *Profile) SyscallProto(symbol string) (*Proto, error) {
	_, fn, ok := splitWrapper(symbol)
	if !ok {
		return nil, fmt.Errorf("prototype of %s: not a syscall wrapper", symbol)
	}
	display := strings.TrimPrefix(fn, "sys_")
	proto, err := p.FuncProto("__do_" + fn)
	if err == nil {
		proto.Name = display
		// SYSCALL_DEFINE0 gives the body the wrapper's unused pt_regs.
		if len(proto.Params) == 1 && proto.Params[0].Name == "__unused" {
			proto.Params = nil
		}
		return proto, nil
	}
	if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrUnknown) {
		return nil, err
	}
	name, native := strings.CutPrefix(fn, "sys_")
	if !native {
		return nil, fmt.Errorf("prototype of %s: %w (no __do_%s in the BTF, and compat syscalls have no tracepoints)", fn, ErrUnknown, fn)
	}
	ev, terr := p.Event("syscalls", "sys_enter_"+name)
	if terr != nil {
		return nil, fmt.Errorf("prototype of %s: no __do_%s in the BTF, and %w", fn, fn, terr)
	}
	spec, _ := p.Spec()
	proto = &Proto{Name: display, Return: CType{C: "long", Kind: KindInt, Size: 8, Signed: true, Name: "long"}}
	args := false
	for _, f := range ev.Fields {
		if args {
			proto.Params = append(proto.Params, Param{Name: f.Name, Type: ParseCType(f.Type, spec)})
		}
		args = args || f.Name == "__syscall_nr"
	}
	return proto, nil
}

// fromBTF resolves a BTF type; depth limits how far Elem goes.
func fromBTF(t btf.Type, depth int) CType {
	c := CType{C: spelling(t), btf: t}
	switch u := btf.UnderlyingType(t).(type) {
	case *btf.Void:
		c.Kind = KindVoid
	case *btf.Int:
		c.Kind, c.Size, c.Signed, c.Name = KindInt, int(u.Size), u.Encoding&btf.Signed != 0, u.Name
	case *btf.Enum:
		c.Kind, c.Size, c.Signed, c.Name = KindInt, int(u.Size), u.Signed, u.Name
	case *btf.Float:
		c.Kind, c.Size, c.Name = KindFloat, int(u.Size), u.Name
	case *btf.Pointer:
		c.Kind, c.Size = KindPointer, 8
		if depth == 0 {
			e := fromBTF(u.Target, depth+1)
			c.Elem = &e
		}
	case *btf.Array:
		c.Kind = KindArray
		e := fromBTF(u.Type, depth+1)
		if depth == 0 {
			c.Elem = &e
		}
		c.Size = e.Size * int(u.Nelems)
	case *btf.Struct:
		c.Kind, c.Size, c.Name = KindStruct, int(u.Size), u.Name
	case *btf.Union:
		c.Kind, c.Size, c.Name = KindUnion, int(u.Size), u.Name
	case *btf.Fwd:
		c.Kind, c.Name = KindStruct, u.Name
		if u.Kind == btf.FwdUnion {
			c.Kind = KindUnion
		}
	case *btf.FuncProto:
		c.Kind = KindFunc
	}
	return c
}

// spelling writes t as C does in a declaration without a name.
func spelling(t btf.Type) string {
	switch u := t.(type) {
	case nil, *btf.Void:
		return "void"
	case *btf.Int:
		return u.Name
	case *btf.Float:
		return u.Name
	case *btf.Typedef:
		return u.Name
	case *btf.Struct:
		return tagged("struct", u.Name)
	case *btf.Union:
		return tagged("union", u.Name)
	case *btf.Enum:
		return tagged("enum", u.Name)
	case *btf.Fwd:
		return tagged(u.Kind.String(), u.Name)
	case *btf.Const:
		return qualify("const", spelling(u.Type))
	case *btf.Volatile:
		return qualify("volatile", spelling(u.Type))
	case *btf.Restrict:
		return spelling(u.Type)
	case *btf.TypeTag: // __user, __rcu: annotations, not types
		return spelling(u.Type)
	case *btf.Pointer:
		if fp, ok := btf.UnderlyingType(u.Target).(*btf.FuncProto); ok {
			return spelling(fp.Return) + " (*)()"
		}
		inner := spelling(u.Target)
		if strings.HasSuffix(inner, "*") {
			return inner + "*"
		}
		return inner + " *"
	case *btf.Array:
		return fmt.Sprintf("%s[%d]", spelling(u.Type), u.Nelems)
	case *btf.FuncProto:
		return spelling(u.Return) + " ()"
	}
	return fmt.Sprintf("%T", t)
}

func tagged(kind, name string) string {
	if name == "" {
		return kind + " {...}"
	}
	return kind + " " + name
}

// qualify puts a qualifier where C reads it: before a base type ("const
// char"), after a pointer ("char *const").
func qualify(q, inner string) string {
	if strings.HasSuffix(inner, "*") {
		return inner + q
	}
	return q + " " + inner
}

// Resolve follows a member path such as "mm.owner.real_parent.comm" or
// "f_path.dentry" from a value of type from, through pointers, as an
// argument's resolve does, and returns the type of the last member. The
// error wraps ErrNotFound when a member does not exist, ErrUnknown when
// from did not come from the BTF.
func (p *Profile) Resolve(from CType, path string) (CType, error) {
	t := from.btf
	if t == nil {
		return CType{}, fmt.Errorf("resolve %s: the type of %s is %w", path, from.C, ErrUnknown)
	}
	for _, step := range strings.Split(path, ".") {
		name, index := step, -1
		if m := memberIndex.FindStringSubmatch(step); m != nil {
			name = m[1]
			index, _ = strconv.Atoi(m[2])
		}
		u := btf.UnderlyingType(t)
		if ptr, ok := u.(*btf.Pointer); ok {
			u = btf.UnderlyingType(ptr.Target)
		}
		var members []btf.Member
		switch c := u.(type) {
		case *btf.Struct:
			members = c.Members
		case *btf.Union:
			members = c.Members
		default:
			return CType{}, fmt.Errorf("resolve %s: %s is not a struct, so it has no member %s", path, spelling(t), name)
		}
		m, ok := findMember(members, name)
		if !ok {
			return CType{}, notFound(fmt.Sprintf("resolve %s: %s has no member %s", path, spelling(u), name))
		}
		t = m.Type
		if index >= 0 {
			arr, ok := btf.UnderlyingType(t).(*btf.Array)
			if !ok {
				return CType{}, fmt.Errorf("resolve %s: member %s is %s, not an array", path, name, spelling(t))
			}
			if index >= int(arr.Nelems) {
				return CType{}, fmt.Errorf("resolve %s: index %d is beyond %s %s", path, index, spelling(t), name)
			}
			t = arr.Type
		}
	}
	return fromBTF(t, 0), nil
}

var memberIndex = regexp.MustCompile(`^(.*)\[(\d+)\]$`)

// findMember finds a member by name, inside anonymous structs and unions
// too, as C does.
func findMember(members []btf.Member, name string) (btf.Member, bool) {
	for _, m := range members {
		if m.Name == name {
			return m, true
		}
		if m.Name != "" {
			continue
		}
		switch inner := btf.UnderlyingType(m.Type).(type) {
		case *btf.Struct:
			if found, ok := findMember(inner.Members, name); ok {
				return found, true
			}
		case *btf.Union:
			if found, ok := findMember(inner.Members, name); ok {
				return found, true
			}
		}
	}
	return btf.Member{}, false
}

var arrayType = regexp.MustCompile(`^(.*?)\s*\[(\d*)\]$`)

// ParseCType resolves a C type as tracefs formats spell it ("const char *",
// "umode_t", "char[16]", "__data_loc char[]"), looking typedefs up in spec
// when it is not nil, else in a table of the common kernel ones. What it
// cannot resolve has KindUnknown.
func ParseCType(s string, spec *btf.Spec) CType {
	return parseCType(strings.TrimSpace(s), spec, 0)
}

func parseCType(s string, spec *btf.Spec, depth int) CType {
	c := CType{C: s}
	if strings.HasPrefix(s, "__data_loc ") {
		c.Kind = KindDataLoc
		return c
	}
	if m := arrayType.FindStringSubmatch(s); m != nil {
		e := parseCType(m[1], spec, depth+1)
		c.Kind = KindArray
		if n, err := strconv.Atoi(m[2]); err == nil {
			c.Size = n * e.Size
		}
		if depth == 0 {
			c.Elem = &e
		}
		return c
	}
	// "char *const": a qualifier after the last star qualifies the pointer.
	stripped := s
	for _, q := range []string{"const", "volatile", "restrict", "__restrict"} {
		if strings.HasSuffix(stripped, "*"+q) || strings.HasSuffix(stripped, "* "+q) {
			stripped = strings.TrimSpace(strings.TrimSuffix(stripped, q))
		}
	}
	if rest, ok := strings.CutSuffix(stripped, "*"); ok {
		c.Kind, c.Size = KindPointer, 8
		if depth == 0 {
			e := parseCType(strings.TrimSpace(rest), spec, depth+1)
			c.Elem = &e
		}
		return c
	}
	var words []string
	for _, w := range strings.Fields(s) {
		switch w {
		case "const", "volatile", "restrict", "__restrict", "__user", "__kernel", "__iomem", "__rcu", "__percpu":
		default:
			words = append(words, w)
		}
	}
	base := strings.Join(words, " ")
	if len(words) == 2 && (words[0] == "struct" || words[0] == "union" || words[0] == "enum") {
		return resolveTagged(c, words[0], words[1], spec)
	}
	if base == "void" {
		c.Kind = KindVoid
		return c
	}
	if size, signed, ok := cInteger(base); ok {
		c.Kind, c.Size, c.Signed, c.Name = KindInt, size, signed, base
		return c
	}
	if spec != nil {
		if types, err := spec.AnyTypesByName(base); err == nil {
			for _, t := range types {
				if td, ok := t.(*btf.Typedef); ok {
					r := fromBTF(td, depth)
					r.C = s
					return r
				}
			}
		}
	}
	if size, signed, ok := kernelInteger(base); ok {
		c.Kind, c.Size, c.Signed, c.Name = KindInt, size, signed, base
	}
	return c
}

func resolveTagged(c CType, kind, name string, spec *btf.Spec) CType {
	c.Name = name
	switch kind {
	case "struct":
		c.Kind = KindStruct
	case "union":
		c.Kind = KindUnion
	case "enum":
		c.Kind, c.Size, c.Signed = KindInt, 4, true
	}
	if spec == nil {
		return c
	}
	types, err := spec.AnyTypesByName(name)
	if err != nil {
		return c
	}
	for _, t := range types {
		switch u := t.(type) {
		case *btf.Struct:
			if kind == "struct" {
				c.Size = int(u.Size)
			}
		case *btf.Union:
			if kind == "union" {
				c.Size = int(u.Size)
			}
		case *btf.Enum:
			if kind == "enum" {
				c.Size, c.Signed = int(u.Size), u.Signed
			}
		}
	}
	return c
}

// cInteger knows C's own integer types, in the spellings of tracefs and
// of BTF (which writes "long unsigned int").
func cInteger(s string) (size int, signed, ok bool) {
	words := strings.Fields(s)
	if len(words) == 0 {
		return 0, false, false
	}
	signed = true
	longs, short, char, sawInt := 0, false, false, false
	for _, w := range words {
		switch w {
		case "unsigned":
			signed = false
		case "signed":
		case "long":
			longs++
		case "short":
			short = true
		case "char":
			char = true
		case "int":
			sawInt = true
		case "_Bool", "bool":
			return 1, false, len(words) == 1
		default:
			return 0, false, false
		}
	}
	switch {
	case char:
		return 1, signed, longs == 0 && !short && !sawInt
	case short:
		return 2, signed, longs == 0
	case longs > 0:
		return 8, signed, longs <= 2
	}
	return 4, signed, true // int, unsigned, signed
}

// kernelInteger knows the kernel's integer typedefs, for profiles without
// BTF.
func kernelInteger(s string) (size int, signed, ok bool) {
	switch s {
	case "u8", "__u8", "uint8_t":
		return 1, false, true
	case "s8", "__s8", "int8_t":
		return 1, true, true
	case "u16", "__u16", "uint16_t", "umode_t", "__be16", "__le16":
		return 2, false, true
	case "s16", "__s16", "int16_t":
		return 2, true, true
	case "u32", "__u32", "uint32_t", "uid_t", "gid_t", "__be32", "__le32", "dev_t", "qid_t", "u_int":
		return 4, false, true
	case "s32", "__s32", "int32_t", "pid_t", "key_serial_t", "clockid_t", "timer_t", "rwf_t", "mqd_t", "key_t":
		return 4, true, true
	case "u64", "__u64", "uint64_t", "size_t", "aio_context_t", "__be64", "__le64":
		return 8, false, true
	case "s64", "__s64", "int64_t", "ssize_t", "loff_t", "off_t", "time_t", "__kernel_old_time_t":
		return 8, true, true
	}
	return 0, false, false
}

// StructType is a pointer to the struct or union of the kernel named
// name, which Resolve can follow: "task_struct" for the current task, or
// a btfType. The error wraps ErrNotFound when the BTF has no such struct.
func (p *Profile) StructType(name string) (CType, error) {
	spec, err := p.Spec()
	if err != nil {
		return CType{}, err
	}
	types, err := spec.AnyTypesByName(name)
	if err != nil {
		return CType{}, notFound(fmt.Sprintf("%s has no type %s", p.Kernel(), name))
	}
	for _, t := range types {
		switch u := btf.UnderlyingType(t).(type) {
		case *btf.Struct, *btf.Union:
			return fromBTF(&btf.Pointer{Target: u}, 0), nil
		}
	}
	return CType{}, notFound(fmt.Sprintf("type %s of %s is not a struct or union", name, p.Kernel()))
}
