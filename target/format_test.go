package target

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Format files as Linux 6.18's tracefs shows them.
const (
	openatFormat = `name: sys_enter_openat
ID: 782
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
	field:int dfd;	offset:16;	size:8;	signed:0;
	field:const char * filename;	offset:24;	size:8;	signed:0;
	field:int flags;	offset:32;	size:8;	signed:0;
	field:umode_t mode;	offset:40;	size:8;	signed:0;

print fmt: "dfd: 0x%08lx, filename: 0x%08lx, flags: 0x%08lx, mode: 0x%08lx", ((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename)), ((unsigned long)(REC->flags)), ((unsigned long)(REC->mode))
`
	execFormat = `name: sched_process_exec
ID: 365
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:__data_loc char[] filename;	offset:8;	size:4;	signed:0;
	field:pid_t pid;	offset:12;	size:4;	signed:1;
	field:pid_t old_pid;	offset:16;	size:4;	signed:1;

print fmt: "filename=%s pid=%d old_pid=%d", __get_str(filename), REC->pid, REC->old_pid
`
	sysEnterFormat = `name: sys_enter
ID: 443
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:long id;	offset:8;	size:8;	signed:1;
	field:unsigned long args[6];	offset:16;	size:48;	signed:0;
`
)

var common = []Field{
	{Name: "common_type", Type: "unsigned short", Offset: 0, Size: 2},
	{Name: "common_flags", Type: "unsigned char", Offset: 2, Size: 1},
	{Name: "common_preempt_count", Type: "unsigned char", Offset: 3, Size: 1},
	{Name: "common_pid", Type: "int", Offset: 4, Size: 4, Signed: true},
}

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		subsys, event, format string
		fields                []Field
	}{
		{"syscalls", "sys_enter_openat", openatFormat, []Field{
			{Name: "__syscall_nr", Type: "int", Offset: 8, Size: 4, Signed: true},
			{Name: "dfd", Type: "int", Offset: 16, Size: 8},
			{Name: "filename", Type: "const char *", Offset: 24, Size: 8},
			{Name: "flags", Type: "int", Offset: 32, Size: 8},
			{Name: "mode", Type: "umode_t", Offset: 40, Size: 8},
		}},
		{"sched", "sched_process_exec", execFormat, []Field{
			{Name: "filename", Type: "__data_loc char[]", Offset: 8, Size: 4},
			{Name: "pid", Type: "pid_t", Offset: 12, Size: 4, Signed: true},
			{Name: "old_pid", Type: "pid_t", Offset: 16, Size: 4, Signed: true},
		}},
		{"raw_syscalls", "sys_enter", sysEnterFormat, []Field{
			{Name: "id", Type: "long", Offset: 8, Size: 8, Signed: true},
			{Name: "args", Type: "unsigned long[6]", Offset: 16, Size: 48},
		}},
	} {
		ev, err := ParseFormat(tc.subsys, tc.event, []byte(tc.format))
		if err != nil {
			t.Fatal(err)
		}
		want := Event{Subsystem: tc.subsys, Event: tc.event, Fields: append(append([]Field{}, common...), tc.fields...)}
		if diff := cmp.Diff(want, ev); diff != "" {
			t.Errorf("%s/%s (-want +got):\n%s", tc.subsys, tc.event, diff)
		}
	}
	if _, err := ParseFormat("a", "b", []byte("format:\n\tfield:int;\toffset:x;\n")); err == nil {
		t.Error("a broken field line parsed")
	}
}

func TestSplitDeclaration(t *testing.T) {
	for decl, want := range map[string][2]string{
		"const char * filename":      {"const char *", "filename"},
		"struct sk_buff *skb":        {"struct sk_buff *", "skb"},
		"char comm[16]":              {"char[16]", "comm"},
		"__data_loc char[] name":     {"__data_loc char[]", "name"},
		"unsigned long args[6]":      {"unsigned long[6]", "args"},
		"const char *const * argv":   {"const char *const*", "argv"},
		"u8 saddr[4]":                {"u8[4]", "saddr"},
		"unsigned int":               {"unsigned", "int"}, // no name: C would not write it
		"struct task_struct * * tsk": {"struct task_struct **", "tsk"},
	} {
		typ, name, err := splitDeclaration(decl)
		if err != nil || typ != want[0] || name != want[1] {
			t.Errorf("splitDeclaration(%q) = %q, %q, %v; want %q, %q", decl, typ, name, err, want[0], want[1])
		}
	}
	if _, _, err := splitDeclaration("x"); err == nil {
		t.Error(`splitDeclaration("x") has no type, but no error`)
	}
}

func TestParseCTypeWithoutBTF(t *testing.T) {
	for s, want := range map[string]CType{
		"int":                {C: "int", Kind: KindInt, Size: 4, Signed: true, Name: "int"},
		"unsigned long":      {C: "unsigned long", Kind: KindInt, Size: 8, Name: "unsigned long"},
		"long unsigned int":  {C: "long unsigned int", Kind: KindInt, Size: 8, Name: "long unsigned int"},
		"unsigned char":      {C: "unsigned char", Kind: KindInt, Size: 1, Name: "unsigned char"},
		"short":              {C: "short", Kind: KindInt, Size: 2, Signed: true, Name: "short"},
		"umode_t":            {C: "umode_t", Kind: KindInt, Size: 2, Name: "umode_t"},
		"pid_t":              {C: "pid_t", Kind: KindInt, Size: 4, Signed: true, Name: "pid_t"},
		"void":               {C: "void", Kind: KindVoid},
		"__data_loc char[]":  {C: "__data_loc char[]", Kind: KindDataLoc},
		"struct file":        {C: "struct file", Kind: KindStruct, Name: "file"},
		"no_such_typedef_t":  {C: "no_such_typedef_t"},
		"const char *":       {C: "const char *", Kind: KindPointer, Size: 8, Elem: &CType{C: "const char", Kind: KindInt, Size: 1, Signed: true, Name: "char"}},
		"struct sk_buff *":   {C: "struct sk_buff *", Kind: KindPointer, Size: 8, Elem: &CType{C: "struct sk_buff", Kind: KindStruct, Name: "sk_buff"}},
		"char[16]":           {C: "char[16]", Kind: KindArray, Size: 16, Elem: &CType{C: "char", Kind: KindInt, Size: 1, Signed: true, Name: "char"}},
		"unsigned long[6]":   {C: "unsigned long[6]", Kind: KindArray, Size: 48, Elem: &CType{C: "unsigned long", Kind: KindInt, Size: 8, Name: "unsigned long"}},
		"const char *const*": {C: "const char *const*", Kind: KindPointer, Size: 8, Elem: &CType{C: "const char *const", Kind: KindPointer, Size: 8}},
	} {
		if diff := cmp.Diff(want, ParseCType(s, nil), cmpopts.IgnoreUnexported(CType{})); diff != "" {
			t.Errorf("ParseCType(%q) (-want +got):\n%s", s, diff)
		}
	}
}
