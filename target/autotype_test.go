package target

import (
	"strings"
	"testing"
)

func TestAutoType(t *testing.T) {
	for _, tc := range []struct {
		field Field
		want  string // "" for an error
	}{
		{Field{Name: "sig", Type: "int", Size: 4, Signed: true}, "int32"},
		{Field{Name: "len", Type: "unsigned int", Size: 4}, "uint32"},
		{Field{Name: "dfd", Type: "int", Size: 8}, "uint64"}, // syscall fields are 8 bytes, unsigned
		{Field{Name: "oom_score_adj", Type: "short", Size: 2, Signed: true}, "int16"},
		{Field{Name: "flags", Type: "unsigned char", Size: 1}, "uint8"},
		{Field{Name: "pid", Type: "pid_t", Size: 4, Signed: true}, "int32"},
		{Field{Name: "count", Type: "size_t", Size: 8}, "size_t"},
		{Field{Name: "x", Type: "some_typedef_t", Size: 8, Signed: true}, "int64"},
		{Field{Name: "skbaddr", Type: "void *", Size: 8}, "uint64"},
		{Field{Name: "filename", Type: "const char *", Size: 8}, "char_buf"},
		{Field{Name: "argv", Type: "const char *const*", Size: 8}, "uint64"},
		{Field{Name: "comm", Type: "char[16]", Size: 16}, "string"},
		{Field{Name: "args", Type: "unsigned long[6]", Size: 48}, "const_buf"},
		{Field{Name: "saddr", Type: "u8[4]", Size: 4}, "const_buf"},
		{Field{Name: "filename", Type: "__data_loc char[]", Size: 4}, "data_loc"},
		{Field{Name: "name", Type: "__rel_loc char[]", Size: 4}, "data_loc"},
		{Field{Name: "cpumask", Type: "__data_loc unsigned long[]", Size: 4}, "const_buf"},
		{Field{Name: "s", Type: "struct foo", Size: 24}, ""},
		{Field{Name: "odd", Type: "u8", Size: 3}, ""},
	} {
		got, err := AutoType(tc.field, nil)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("AutoType(%s %q) = %q, want an error", tc.field.Name, tc.field.Type, got)
		case tc.want == "" && !strings.Contains(err.Error(), tc.field.Name):
			t.Errorf("AutoType(%s %q): error %q does not name the field", tc.field.Name, tc.field.Type, err)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("AutoType(%s %q) = %q, %v; want %q", tc.field.Name, tc.field.Type, got, err, tc.want)
		}
	}
}

func TestFieldShape(t *testing.T) {
	rel := Field{Name: "name", Type: "__rel_loc char[]"}
	if !rel.IsDynamic() || !rel.IsRelative() || !rel.IsCharArray() || rel.ElemType() != "char" {
		t.Errorf("__rel_loc char[]: dynamic %t relative %t chars %t elem %q", rel.IsDynamic(), rel.IsRelative(), rel.IsCharArray(), rel.ElemType())
	}
	comm := Field{Name: "comm", Type: "char[16]"}
	if comm.IsDynamic() || !comm.IsCharArray() {
		t.Errorf("char[16]: dynamic %t chars %t", comm.IsDynamic(), comm.IsCharArray())
	}
	if f := (Field{Type: "int"}); f.ElemType() != "" || f.IsCharArray() {
		t.Errorf("int: elem %q", f.ElemType())
	}
}

func TestLongArray(t *testing.T) {
	for _, tc := range []struct {
		field Field
		want  int
	}{
		{Field{Name: "args", Type: "unsigned long[6]", Size: 48}, 6},
		{Field{Name: "x", Type: "long[2]", Size: 16}, 2},
		{Field{Name: "x", Type: "const unsigned long[3]", Size: 24}, 3},
		{Field{Name: "x", Type: "long long[2]", Size: 16}, 0}, // not a long in Tetragon's parser
		{Field{Name: "x", Type: "u64[2]", Size: 16}, 0},
		{Field{Name: "saddr", Type: "u8[4]", Size: 4}, 0},
		{Field{Name: "comm", Type: "char[16]", Size: 16}, 0},
		{Field{Name: "x", Type: "unsigned long[6]", Size: 24}, 0}, // 32-bit longs
		{Field{Name: "cpumask", Type: "__data_loc unsigned long[]", Size: 4}, 0},
		{Field{Name: "id", Type: "long", Size: 8, Signed: true}, 0},
	} {
		if got := tc.field.LongArray(); got != tc.want {
			t.Errorf("LongArray(%s %q, %d bytes) = %d, want %d", tc.field.Name, tc.field.Type, tc.field.Size, got, tc.want)
		}
	}
}
