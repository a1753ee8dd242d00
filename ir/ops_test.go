package ir

import (
	"strings"
	"testing"
)

// TestOpTable fails while an operator's row lacks a part: every operator
// has a name and spellings that parse back to it; every matchArgs
// operator (a row with Applies) has value kinds, a parser unless it takes
// no values, and an Eval.
func TestOpTable(t *testing.T) {
	args := 0
	for o := OpEqual; o < numOps; o++ {
		info := o.Info()
		if info.Name == "" || info.Name == "invalid" {
			t.Errorf("op %d: no name", o)
			continue
		}
		if len(info.Spellings) == 0 {
			t.Errorf("%s: no spellings", o)
		}
		for _, s := range info.Spellings {
			if got, ok := ParseOp(s); !ok || got != o {
				t.Errorf("%s: spelling %q parses to %v, %v", o, s, got, ok)
			}
		}
		if got, ok := ParseOp(info.Name); !ok || got != o {
			t.Errorf("%s: its name is not one of its spellings", o)
		}
		if info.Applies == nil {
			if o != OpIn && o != OpNotIn {
				t.Errorf("%s: no Applies (the argument types it tests)", o)
			}
			continue
		}
		args++
		if len(typesOf(o)) == 0 {
			t.Errorf("%s: applies to no argument type", o)
		}
		if info.Kinds == nil {
			t.Errorf("%s: no Kinds", o)
		}
		if info.Eval == nil {
			t.Errorf("%s: no Eval", o)
		}
		switch {
		case info.NoValues && info.Parse != nil:
			t.Errorf("%s: takes no values but has a parser", o)
		case !info.NoValues && info.Parse == nil:
			t.Errorf("%s: takes values but has no parser", o)
		case !info.NoValues:
			for _, typ := range typesOf(o) {
				if len(info.Kinds(typ)) == 0 {
					t.Errorf("%s on %s: no value kinds", o, typ)
				}
			}
		}
	}
	if args == 0 {
		t.Fatal("no matchArgs operators")
	}
}

// typesOf lists the argument types o applies to.
func typesOf(o Op) []ArgType {
	var out []ArgType
	for typ := ArgType(0); typ < numTypes; typ++ {
		if argOpAllowed(o, typ) {
			out = append(out, typ)
		}
	}
	return out
}

// TestEvalNewOps is the reference meaning of SubString, SubStringIgnCase,
// FileType and NotFileType, case by case.
func TestEvalNewOps(t *testing.T) {
	unix := func(family uint16, path string) ArgValue {
		return ArgValue{Bytes: []byte(path), Sock: &Sock{Family: family}}
	}
	str := func(s ...string) []Value {
		var out []Value
		for _, x := range s {
			out = append(out, Value{Kind: ValString, Str: x})
		}
		return out
	}
	ft := func(names ...string) []Value {
		var out []Value
		for _, n := range names {
			v, err := ParseArgValue(OpFileType, TypeFile, n)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out
	}
	cases := []struct {
		name string
		op   Op
		typ  ArgType
		vals []Value
		arg  ArgValue
		want bool
	}{
		{"in the middle", OpSubString, TypeString, str("passwd"), ArgValue{Bytes: []byte("/etc/passwd.bak")}, true},
		{"at the start", OpSubString, TypeString, str("/etc"), ArgValue{Bytes: []byte("/etc/passwd")}, true},
		{"at the end", OpSubString, TypeString, str("wd"), ArgValue{Bytes: []byte("/etc/passwd")}, true},
		{"whole", OpSubString, TypeString, str("/etc"), ArgValue{Bytes: []byte("/etc")}, true},
		{"longer than the string", OpSubString, TypeString, str("/etc/"), ArgValue{Bytes: []byte("/etc")}, false},
		{"absent", OpSubString, TypeString, str("shadow"), ArgValue{Bytes: []byte("/etc/passwd")}, false},
		{"one of several", OpSubString, TypeString, str("shadow", "pass"), ArgValue{Bytes: []byte("/etc/passwd")}, true},
		{"case matters", OpSubString, TypeString, str("PASS"), ArgValue{Bytes: []byte("/etc/passwd")}, false},
		{"empty value, empty string", OpSubString, TypeString, str(""), ArgValue{}, true},
		{"after a NUL", OpSubString, TypeCharBuf, str("xyz"), ArgValue{Bytes: []byte("ab\x00xyz")}, false},
		{"before a NUL", OpSubString, TypeCharBuf, str("ab"), ArgValue{Bytes: []byte("ab\x00xyz")}, true},
		{"ignoring case", OpSubStringIgnCase, TypeString, str("PASS"), ArgValue{Bytes: []byte("/etc/passwd")}, true},
		{"ignoring case both ways", OpSubStringIgnCase, TypeString, str("etc/pa"), ArgValue{Bytes: []byte("/ETC/PASSWD")}, true},
		{"only ASCII letters fold", OpSubStringIgnCase, TypeString, str("[a"), ArgValue{Bytes: []byte("{A")}, false},
		{"regular file", OpFileType, TypeFile, ft("reg"), ArgValue{Mode: 0o100644}, true},
		{"regular spelled in full", OpFileType, TypePath, ft("regular"), ArgValue{Mode: 0o100000}, true},
		{"a directory is not regular", OpFileType, TypeFile, ft("reg"), ArgValue{Mode: 0o040755}, false},
		{"one of several", OpFileType, TypeFile, ft("lnk", "dir"), ArgValue{Mode: 0o040755}, true},
		{"socket", OpFileType, TypeFile, ft("socket"), ArgValue{Mode: 0o140777}, true},
		{"no inode read", OpFileType, TypeFile, ft("reg"), ArgValue{}, false},
		{"not a directory", OpNotFileType, TypeFile, ft("dir"), ArgValue{Mode: 0o100644}, true},
		{"a directory", OpNotFileType, TypeFile, ft("dir", "reg"), ArgValue{Mode: 0o040755}, false},
		{"fifo is pipe", OpNotFileType, TypePath, ft("pipe"), ArgValue{Mode: 0o010600}, false},
		{"char and blk differ", OpFileType, TypeFile, ft("chr"), ArgValue{Mode: 0o060600}, false},
		// A sockaddr_un: its path (an abstract name without its NUL) and family.
		{"unix path", OpEqual, TypeSockaddrUn, str("/tmp/tg.sock"), unix(1, "/tmp/tg.sock"), true},
		{"abstract name", OpEqual, TypeSockaddrUn, str("tetragon-equals"), unix(1, "tetragon-equals"), true},
		{"the @ is not compared", OpEqual, TypeSockaddrUn, str("@tetragon-equals"), unix(1, "tetragon-equals"), false},
		{"unix prefix", OpPrefix, TypeSockaddrUn, str("/tmp"), unix(1, "/tmp/tg.sock"), true},
		{"unix not prefix", OpNotPrefix, TypeSockaddrUn, str("/tmp"), unix(1, "tetragon-np"), true},
		{"unix not equal", OpNotEqual, TypeSockaddrUn, str("/tmp/x.sock"), unix(1, "/tmp/x.sock"), false},
		{"unix family", OpFamily, TypeSockaddrUn, []Value{{Kind: ValRange, Int: 1, Hi: 1}}, unix(1, ""), true},
		{"not unix family", OpFamily, TypeSockaddrUn, []Value{{Kind: ValRange, Int: 1, Hi: 1}}, unix(2, "/x"), false},
	}
	for _, c := range cases {
		h := &Hook{Args: []*Arg{{Slot: 0, Type: c.typ}}}
		test := &Test{Kind: TestArg, Op: c.op, Slot: 0, Type: c.typ, Values: c.vals}
		got, err := EvalTest(h, test, &Event{Args: []ArgValue{c.arg}})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: %s %v on %q mode %#o: %v, want %v", c.name, c.op, c.vals, c.arg.Bytes, c.arg.Mode, got, c.want)
		}
	}
}

// TestEvalSameFile: SameFile compares the argument's inode number and
// device with those of the files its values named on the loading machine
// (Host.Files); the argument's path does not count, so a hard link or a
// bind mount matches. NotSameFile passes when no value is the file. A
// value that named no file is an error: the policy does not load.
func TestEvalSameFile(t *testing.T) {
	host := Host{Files: map[string]FileID{
		"/usr/bin/true": {Ino: 1234, Dev: 8<<20 | 1},
		"/etc/passwd":   {Ino: 99, Dev: 8<<20 | 1},
		"/mnt/other":    {Ino: 1234, Dev: 8<<20 | 2}, // same inode number, another file system
	}}
	str := func(s ...string) []Value {
		var out []Value
		for _, x := range s {
			out = append(out, Value{Kind: ValString, Str: x})
		}
		return out
	}
	file := func(path string, ino uint64, dev uint32) ArgValue {
		return ArgValue{Bytes: []byte(path), File: FileID{Ino: ino, Dev: dev}}
	}
	cases := []struct {
		name string
		op   Op
		typ  ArgType
		vals []Value
		arg  ArgValue
		want bool
	}{
		{"the file itself", OpSameFile, TypeFile, str("/usr/bin/true"), file("/usr/bin/true", 1234, 8<<20|1), true},
		{"a hard link of it", OpSameFile, TypeFile, str("/usr/bin/true"), file("/tmp/link", 1234, 8<<20|1), true},
		{"a bind mount of it", OpSameFile, TypePath, str("/usr/bin/true"), file("/mnt/bind/true", 1234, 8<<20|1), true},
		{"the same path, another file", OpSameFile, TypeFile, str("/usr/bin/true"), file("/usr/bin/true", 1235, 8<<20|1), false},
		{"the inode number on another device", OpSameFile, TypeFile, str("/usr/bin/true"), file("/x", 1234, 8<<20|2), false},
		{"one of several", OpSameFile, TypeFile, str("/etc/passwd", "/mnt/other"), file("/x", 1234, 8<<20|2), true},
		{"no inode read", OpSameFile, TypeFile, str("/usr/bin/true"), ArgValue{Bytes: []byte("/usr/bin/true")}, false},
		{"not the file", OpNotSameFile, TypeFile, str("/usr/bin/true"), file("/usr/bin/false", 77, 8<<20|1), true},
		{"not, but a hard link of it", OpNotSameFile, TypePath, str("/usr/bin/true"), file("/tmp/link", 1234, 8<<20|1), false},
		{"none of several", OpNotSameFile, TypeFile, str("/usr/bin/true", "/etc/passwd"), file("/etc/passwd", 99, 8<<20|1), false},
		{"not, no inode read", OpNotSameFile, TypeFile, str("/usr/bin/true"), ArgValue{}, true},
	}
	for _, c := range cases {
		h := &Hook{Args: []*Arg{{Slot: 0, Type: c.typ}}}
		test := &Test{Kind: TestArg, Op: c.op, Slot: 0, Type: c.typ, Values: c.vals}
		got, err := EvalTest(h, test, &Event{Args: []ArgValue{c.arg}, Host: host})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: %s %v on %q %+v: %v, want %v", c.name, c.op, c.vals, c.arg.Bytes, c.arg.File, got, c.want)
		}
	}
	// The values may sit in the test's map (layoutMaps puts them there).
	h := &Hook{Args: []*Arg{{Slot: 0, Type: TypeFile}}}
	m := &Map{Name: "fid_0", Kind: MapFileID, KeySize: 12, MaxEntries: 2, Values: str("/etc/passwd", "/usr/bin/true")}
	test := &Test{Kind: TestArg, Op: OpSameFile, Slot: 0, Type: TypeFile, Map: m}
	if got, err := EvalTest(h, test, &Event{Args: []ArgValue{file("/l", 99, 8<<20|1)}, Host: host}); err != nil || !got {
		t.Errorf("SameFile with its values in a map: %v, %v; want true", got, err)
	}
	// A value naming no file on the host: the policy would not load.
	test = &Test{Kind: TestArg, Op: OpNotSameFile, Slot: 0, Type: TypeFile, Values: str("/usr/bin/true", "/nonexistent")}
	if _, err := EvalTest(h, test, &Event{Args: []ArgValue{file("/usr/bin/true", 1234, 8<<20|1)}, Host: host}); err == nil || !strings.Contains(err.Error(), "/nonexistent") {
		t.Errorf("a value naming no file: error %v, want one naming it", err)
	}
}

// TestParseNewOps: what SubString and FileType values validate refuses.
func TestParseNewOps(t *testing.T) {
	for _, c := range []struct {
		op   Op
		typ  ArgType
		in   string
		want string // "" for no error
	}{
		{OpSubString, TypeString, "etc", ""},
		{OpSubString, TypeString, string(make([]byte, 100)), "longer than the 99 bytes"},
		{OpSubString, TypeCharBuf, "a\x00b", "NUL"},
		{OpFileType, TypeFile, "dir", ""},
		{OpFileType, TypeFile, "directory", "not a file type"},
		{OpFileType, TypeFile, "DIR", "not a file type"},
		{OpNotFileType, TypePath, "block", ""},
		{OpSameFile, TypeFile, "/usr/bin/true", ""},
		{OpNotSameFile, TypePath, "/etc/../etc/passwd", ""},
		{OpSameFile, TypeFile, "bin/true", "not an absolute path"},
		{OpSameFile, TypeFile, "", "not empty"},
		{OpSameFile, TypeFile, "/a\x00b", "NUL"},
		{OpCelExpr, TypeInt, "arg0 == int32(1)", ""}, // checked with all its arguments by ParseCel
		{OpCelExpr, TypeInt, " ", "not empty"},
		// Tetragon's strings hold 4096 characters (MAX_STRING).
		{OpEqual, TypeString, strings.Repeat("a", 4096), ""},
		{OpEqual, TypeString, strings.Repeat("a", 4097), "string of 4097 bytes is longer than the 4096 bytes an argument holds"},
		{OpEqual, TypeSockaddrUn, "/tmp/tg.sock", ""},
		{OpPrefix, TypeSockaddrUn, strings.Repeat("a", 107), ""},
		{OpPrefix, TypeSockaddrUn, strings.Repeat("a", 108), "longer than the 107 bytes"},
	} {
		_, err := ParseArgValue(c.op, c.typ, c.in)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s %q: %v", c.op, c.in, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s %q: error %v, want %q", c.op, c.in, err, c.want)
		}
	}
	for _, c := range []struct {
		op  Op
		typ ArgType
		ok  bool
	}{
		{OpSubString, TypeString, true}, {OpSubString, TypeCharBuf, true}, {OpSubString, TypeFilename, false},
		{OpSubString, TypeFile, false}, {OpFileType, TypeFile, true}, {OpFileType, TypePath, true},
		{OpFileType, TypeDentry, false}, {OpNotFileType, TypeString, false},
		{OpEqual, TypeSockaddrUn, true}, {OpNotEqual, TypeSockaddrUn, true}, {OpPrefix, TypeSockaddrUn, true},
		{OpNotPrefix, TypeSockaddrUn, true}, {OpFamily, TypeSockaddrUn, true}, {OpPostfix, TypeSockaddrUn, false},
		{OpSubString, TypeSockaddrUn, false}, {OpSAddr, TypeSockaddrUn, false}, {OpSPort, TypeSockaddrUn, false},
		{OpMask, TypeSockaddrUn, false},
		{OpSameFile, TypeFile, true}, {OpSameFile, TypePath, true}, {OpNotSameFile, TypeFile, true},
		{OpSameFile, TypeFd, false}, {OpSameFile, TypeString, false}, {OpNotSameFile, TypeDentry, false},
	} {
		if err := CheckArgOp(c.op, c.typ); (err == nil) != c.ok {
			t.Errorf("CheckArgOp(%s, %s) = %v, want ok=%v", c.op, c.typ, err, c.ok)
		}
	}
}
