package target

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// Dynamic fields of tracepoint formats: "__data_loc char[] filename" holds
// (length << 16 | offset from the record's start); "__rel_loc" (Linux
// 5.19+) the same, with the offset from the end of the field.
const (
	DataLocPrefix = "__data_loc "
	RelLocPrefix  = "__rel_loc "
)

// IsDynamic reports whether f is a __data_loc or __rel_loc field, whose
// data follows the fixed fields of the record.
func (f *Field) IsDynamic() bool {
	return strings.HasPrefix(f.Type, DataLocPrefix) || strings.HasPrefix(f.Type, RelLocPrefix)
}

// IsRelative reports whether f is a __rel_loc field.
func (f *Field) IsRelative() bool { return strings.HasPrefix(f.Type, RelLocPrefix) }

// ElemType is what an array or dynamic field holds: "char" for
// "char[16]" and "__data_loc char[]"; "" for other fields.
func (f *Field) ElemType() string {
	t := strings.TrimPrefix(strings.TrimPrefix(f.Type, DataLocPrefix), RelLocPrefix)
	if m := arrayType.FindStringSubmatch(t); m != nil {
		return strings.TrimSpace(m[1])
	}
	return ""
}

// IsCharArray reports whether f is an array or dynamic field of chars,
// which hold text (a comm, a device name, a file name).
func (f *Field) IsCharArray() bool {
	switch strings.TrimPrefix(f.ElemType(), "const ") {
	case "char", "unsigned char", "signed char":
		return true
	}
	return false
}

// LongArray is the number of elements of f when it is a fixed array of
// longs ("unsigned long args[6]" of raw_syscalls/sys_enter), 0 otherwise.
// Tetragon decodes such a field, read by type auto (const_buf), as one
// 64-bit unsigned value per element, and reads its first element when the
// policy declares an integer type; it decodes no other array element by
// element. Only "long" and "unsigned long" (const or not) are longs there,
// as in Tetragon's format parser: "long long" and "u64" are not.
func (f *Field) LongArray() int {
	if f.IsDynamic() {
		return 0
	}
	m := arrayType.FindStringSubmatch(strings.TrimSpace(f.Type))
	if m == nil {
		return 0
	}
	switch strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m[1]), "const ")) {
	case "long", "unsigned long":
	default:
		return 0
	}
	n, err := strconv.Atoi(m[2])
	if err != nil || n <= 0 || f.Size != 8*n {
		return 0
	}
	return n
}

// AutoType is the argument type a policy's "type: auto" (or no type) reads
// field f of a tracepoint as, by the field's type in the format (spec, the
// kernel's BTF, resolves typedefs; it may be nil):
//
//   - integers (and enums, bool, and typedefs of them): the integer type of
//     the format's size and signedness (int8 … uint64), size_t for size_t;
//   - char pointers: char_buf, which needs a size argument (sizeArgIndex),
//     as in Tetragon; other pointers: uint64, their address;
//   - char arrays ("char comm[16]"): string; other arrays: const_buf, their
//     bytes;
//   - __data_loc and __rel_loc char arrays: data_loc (a string); of other
//     elements: const_buf.
//
// Tetragon reads only 32- and 64-bit integers, char pointers and arrays
// this way; polc reads every field whose type it can tell. The error says
// why a field cannot be read without a declared type.
func AutoType(f Field, spec *btf.Spec) (string, error) {
	if f.IsDynamic() {
		if f.IsCharArray() {
			return "data_loc", nil
		}
		return "const_buf", nil
	}
	ct := ParseCType(f.Type, spec)
	switch ct.Kind {
	case KindArray:
		if f.IsCharArray() {
			return "string", nil
		}
		return "const_buf", nil
	case KindPointer:
		if ct.Elem != nil && ct.Elem.Kind == KindInt && ct.Elem.Size == 1 {
			return "char_buf", nil
		}
		return "uint64", nil
	case KindInt, KindUnknown:
		if strings.TrimSpace(strings.TrimPrefix(f.Type, "const ")) == "size_t" && f.Size == 8 {
			return "size_t", nil
		}
		if name := intTypeName(f.Size, f.Signed); name != "" {
			return name, nil
		}
	}
	return "", fmt.Errorf("field %s is %q (%s, %d bytes), which has no integer, string or byte reading: declare its type", f.Name, f.Type, ct.Kind, f.Size)
}

// intTypeName is the policy's integer type of size bytes.
func intTypeName(size int, signed bool) string {
	names := map[int][2]string{1: {"uint8", "int8"}, 2: {"uint16", "int16"}, 4: {"uint32", "int32"}, 8: {"uint64", "int64"}}
	n, ok := names[size]
	if !ok {
		return ""
	}
	if signed {
		return n[1]
	}
	return n[0]
}
