package filter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Test emits code that falls through when t passes and jumps to fail when
// it does not.
func (p *Gen) Test(t *ir.Test, fail string) {
	switch t.Kind {
	case ir.TestArg:
		p.argTest(t, fail)
	case ir.TestReturn:
		p.returnTest(t, fail)
	case ir.TestPID:
		p.pidTest(t, fail)
	case ir.TestBinary:
		p.binaryTest(t, fail)
	case ir.TestParentBinary:
		p.parentBinaryTest(t, fail)
	case ir.TestCmdArg:
		p.cmdArgTest(t, fail)
	case ir.TestNamespace:
		p.namespaceTest(t, fail)
	case ir.TestCaps:
		p.capsTest(t, fail)
	case ir.TestCapChange:
		p.capChangeTest(t, fail)
	case ir.TestNSChange:
		p.nsChangeTest(t, fail)
	default:
		p.Errorf(t.Pos, "%s filters are not supported yet", t.Kind)
	}
}

// anyOf emits the shape every multi-value test has: each check jumps to
// hit when a value matches (falling through otherwise). For a positive
// operator the test passes on a hit; for a negated one it fails on a hit.
// checks is called with the label to jump to on a match.
func (p *Gen) anyOf(negated bool, fail string, checks func(hit string)) {
	if negated {
		checks(fail)
		return
	}
	pass := p.B.Fresh("pass")
	checks(pass)
	p.Emit(asm.Ja.Label(fail))
	p.B.Label(pass)
}

// intValues emits, for a 64-bit value in r, a jump to hit when it equals
// one of vals (ValInt) or lies in one of them (ValRange).
func (p *Gen) intValues(r asm.Register, vals []ir.Value, typ ir.ArgType, signed bool, hit string) {
	ge, le := asm.JGE, asm.JLE
	if signed {
		ge, le = asm.JSGE, asm.JSLE
	}
	for _, v := range vals {
		switch v.Kind {
		case ir.ValInt:
			p.jumpIfInt(r, asm.JEq, ir.FitInt(typ, v.Int), hit)
		case ir.ValRange:
			next := p.B.Fresh("range_next")
			p.jumpUnlessInt(r, ge, ir.FitInt(typ, v.Int), next)
			p.jumpIfInt(r, le, ir.FitInt(typ, v.Hi), hit)
			p.B.Label(next)
			p.Emit(asm.Mov.Imm(asm.R0, 0))
		}
	}
}

// argTest tests an argument's slot, with the render its operator's row of
// argRenders gives.
func (p *Gen) argTest(t *ir.Test, fail string) {
	render, ok := argRenders[t.Op]
	if !ok {
		p.Errorf(t.Pos, "operator %s is not a matchArgs operator polc renders", t.Op)
		return
	}
	if t.Op == ir.OpCapabilitiesGained {
		// It reads its two slots itself.
		render(p, operand{}, t, fail)
		return
	}
	s := p.Lay.SlotOf(t.Slot)
	if s == nil {
		p.Errorf(t.Pos, "the filter reads argument slot %d, which the hook does not read", t.Slot)
		return
	}
	render(p, operand{slot: s}, t, fail)
}

// returnTest tests the return value (in the header) of a return program.
func (p *Gen) returnTest(t *ir.Test, fail string) {
	if !p.Ret {
		p.Errorf(t.Pos, "matchReturnArgs is tested at return")
		return
	}
	render, ok := argRenders[t.Op]
	if !ok {
		p.Errorf(t.Pos, "operator %s is not a matchReturnArgs operator polc renders", t.Op)
		return
	}
	if s := p.Lay.Ret; s != nil {
		// A sock, a file: tested like an argument.
		render(p, operand{slot: s, ret: true}, t, fail)
		return
	}
	if t.Type.Class() != ir.ClassInt && t.Type.Class() != ir.ClassCaps {
		p.Errorf(t.Pos, "matchReturnArgs on a return value of type %s is not supported yet", t.Type)
		return
	}
	p.Emit(asm.LoadMem(asm.R4, prog.RRec, bpf.HeaderRetOff, asm.DWord))
	if size := t.Type.Size(); size > 0 {
		p.Emit(emit.ExtendReg(asm.R4, size, t.Type.Signed())...)
	}
	p.Emit(asm.StoreMem(asm.RFP, prog.StVal, asm.R4, asm.DWord))
	render(p, operand{ret: true}, t, fail)
}

// operand is what a matchArgs or matchReturnArgs test reads: an
// argument's (or the return value's) slot in the record, or, with no slot,
// the integer return value a return program holds in R4 and at StVal.
type operand struct {
	slot *prog.Slot
	ret  bool // in a return program (matchReturnArgs)
}

// argRender emits the code of one operator: it falls through when t
// passes on o and jumps to fail when it does not. Renders reach the
// program context (prog.Ctx) through p.
type argRender func(p *Gen, o operand, t *ir.Test, fail string)

// argRenders renders every matchArgs operator of ir's table, one row per
// operator (as gVisor's seccomp matchers render themselves);
// TestArgRenders fails while an ir.Op with an ir row has none here.
var argRenders = map[ir.Op]argRender{
	ir.OpEqual: renderEqual, ir.OpNotEqual: renderEqual,
	ir.OpInRange: renderIntSet, ir.OpNotInRange: renderIntSet, ir.OpInMap: renderIntSet, ir.OpNotInMap: renderIntSet,
	ir.OpGT: renderCompare, ir.OpLT: renderCompare,
	ir.OpMask:   renderMask,
	ir.OpPrefix: renderBytes, ir.OpNotPrefix: renderBytes,
	ir.OpPostfix: renderPostfix, ir.OpNotPostfix: renderPostfix,
	ir.OpSAddr: renderNet, ir.OpNotSAddr: renderNet, ir.OpDAddr: renderNet, ir.OpNotDAddr: renderNet,
	ir.OpSPort: renderNet, ir.OpNotSPort: renderNet, ir.OpDPort: renderNet, ir.OpNotDPort: renderNet,
	ir.OpSPortPriv: renderNet, ir.OpNotSPortPriv: renderNet, ir.OpDPortPriv: renderNet, ir.OpNotDPortPriv: renderNet,
	ir.OpProtocol: renderNet, ir.OpFamily: renderNet, ir.OpState: renderNet,
	ir.OpCapabilitiesGained: renderCapsGained,
	ir.OpSubString:          renderSubString, ir.OpSubStringIgnCase: renderSubString,
	ir.OpFileType: renderFileType, ir.OpNotFileType: renderFileType,
	ir.OpSameFile: renderSameFile, ir.OpNotSameFile: renderSameFile,
	ir.OpCelExpr: renderCel,
}

// intOperand loads o's integer into R4 and returns where it is kept, for
// map lookups; ok is false (and the error reported) when o is not an
// integer.
func (p *Gen) intOperand(o operand, t *ir.Test) (key valueKey, ok bool) {
	if o.slot == nil {
		return valueKey{base: asm.RFP, off: prog.StVal}, true // a return value, in R4
	}
	if o.slot.Enc != bpf.EncInt {
		p.Errorf(t.Pos, "operator %s on a %s argument is not supported", t.Op, t.Type)
		return valueKey{}, false
	}
	p.Emit(asm.LoadMem(asm.R4, prog.RRec, int16(o.slot.Off), asm.DWord))
	return valueKey{base: prog.RRec, off: int32(o.slot.Off)}, true
}

// bytesOperand is where o's string, buffer or path sits in the record.
// A sockaddr_un's path and a dns argument's query name are EncBytes
// values inside their encodings.
func (p *Gen) bytesOperand(o operand, t *ir.Test) (bytesAt, bool) {
	s := o.slot
	off := 0
	switch {
	case s == nil:
	case s.Enc == bpf.EncBytes:
		off = s.Off
	case s.Enc == bpf.EncSockaddrUn:
		off = s.Off + bpf.SockaddrUnPathOff
	case s.Enc == bpf.EncDNS:
		off = s.Off + bpf.DNSNameOff
	default:
		s = nil
	}
	if s == nil {
		p.Errorf(t.Pos, "operator %s on a %s argument is not supported", t.Op, t.Type)
		return bytesAt{}, false
	}
	return bytesAt{base: prog.RRec, lenOff: int16(off), dataOff: int16(off + bpf.BytesHeaderSize), max: s.MaxBytes}, true
}

// hasBytes reports whether o is a string, buffer or path (or holds one:
// a sockaddr_un's path, a dns argument's query name), which Equal and
// Prefix compare as bytes.
func hasBytes(o operand) bool {
	return o.slot != nil && (o.slot.Enc == bpf.EncBytes || o.slot.Enc == bpf.EncSockaddrUn || o.slot.Enc == bpf.EncDNS)
}

// renderEqual: integers, capability sets and strings alike.
func renderEqual(p *Gen, o operand, t *ir.Test, fail string) {
	if hasBytes(o) {
		renderBytes(p, o, t, fail)
		return
	}
	if o.slot != nil && o.slot.Enc != bpf.EncInt {
		p.netTest(t, o.slot, fail) // it reports that sockets have no value to compare
		return
	}
	renderIntSet(p, o, t, fail)
}

// renderIntSet: the integer equals one of the values, lies in one of the
// ranges, or is in the test's map.
func renderIntSet(p *Gen, o operand, t *ir.Test, fail string) {
	key, ok := p.intOperand(o, t)
	if !ok {
		return
	}
	p.anyOf(t.Op.Negated(), fail, func(hit string) {
		p.intValues(asm.R4, t.Values, t.Type, t.Type.Signed(), hit)
		if t.Map != nil {
			p.intSetLookup(t, key, hit)
		}
	})
}

// renderCompare: GT and LT, signed as the type is.
func renderCompare(p *Gen, o operand, t *ir.Test, fail string) {
	if _, ok := p.intOperand(o, t); !ok {
		return
	}
	typ := t.Type
	op := map[bool]map[ir.Op]asm.JumpOp{
		false: {ir.OpGT: asm.JGT, ir.OpLT: asm.JLT},
		true:  {ir.OpGT: asm.JSGT, ir.OpLT: asm.JSLT},
	}[typ.Signed()][t.Op]
	p.anyOf(false, fail, func(hit string) {
		for _, v := range t.Values {
			p.jumpIfInt(asm.R4, op, ir.FitInt(typ, v.Int), hit)
		}
	})
}

// renderMask: the integer shares a bit with one of the masks.
func renderMask(p *Gen, o operand, t *ir.Test, fail string) {
	if _, ok := p.intOperand(o, t); !ok {
		return
	}
	p.anyOf(false, fail, func(hit string) {
		for _, v := range t.Values {
			m := v.Int
			if m >= 0 && m <= 0x7fffffff {
				p.Emit(asm.JSet.Imm(asm.R4, int32(m), hit))
			} else {
				p.Emit(asm.LoadImm(asm.R3, m, asm.DWord), asm.JSet.Reg(asm.R4, asm.R3, hit))
			}
		}
	})
}

// renderBytes: Equal and Prefix (and their Not forms) on bytes.
func renderBytes(p *Gen, o operand, t *ir.Test, fail string) {
	if o.slot != nil && !hasBytes(o) && o.slot.Enc != bpf.EncInt {
		p.netTest(t, o.slot, fail)
		return
	}
	s, ok := p.bytesOperand(o, t)
	if !ok {
		return
	}
	p.bytesTest(t, s, fail)
}

// renderPostfix: Postfix, and on a maxData buffer the end the record keeps
// beyond the filters' copy (maxdata_postfix.go).
func renderPostfix(p *Gen, o operand, t *ir.Test, fail string) {
	if s := o.slot; s != nil && !o.ret && s.Enc == bpf.EncBytes && s.BigBytes > 0 {
		p.bigPostfixTest(t, s, fail)
		return
	}
	renderBytes(p, o, t, fail)
}

// renderNet: the socket operators (net.go).
func renderNet(p *Gen, o operand, t *ir.Test, fail string) {
	if o.slot == nil {
		p.Errorf(t.Pos, "operator %s on a %s value is not supported", t.Op, t.Type)
		return
	}
	p.netTest(t, o.slot, fail)
}

// renderCapsGained: the new set (t.Slot) has a bit the old (t.Slot2) has
// not.
func renderCapsGained(p *Gen, _ operand, t *ir.Test, fail string) {
	nw, old := p.Lay.SlotOf(t.Slot), p.Lay.SlotOf(t.Slot2)
	if nw == nil || old == nil || nw.Enc != bpf.EncInt || old.Enc != bpf.EncInt {
		p.Errorf(t.Pos, "CapabilitiesGained needs two capability set arguments")
		return
	}
	// new &^ old != 0
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(old.Off), asm.DWord),
		asm.Xor.Imm(asm.R1, -1),
		asm.LoadMem(asm.R4, prog.RRec, int16(nw.Off), asm.DWord),
		asm.And.Reg(asm.R4, asm.R1),
		asm.JEq.Imm(asm.R4, 0, fail),
	)
}

// renderSubString: a value occurs in the string before its first NUL
// (Tetragon's bounded strnstr on the copy it has). A bpf_loop over the
// start positions, whose callback compares every value there: the state
// at prog.StWalk holds the record's address, at StWalk-8 1 once a value
// matched.
func renderSubString(p *Gen, o operand, t *ir.Test, fail string) {
	s, ok := p.bytesOperand(o, t)
	if !ok {
		return
	}
	if s.max <= 0 {
		p.Errorf(t.Pos, "%s on a slot that keeps no bytes", t.Op)
		return
	}
	all := slices.Concat(t.Values, mapValues(t.Map))
	if slices.ContainsFunc(all, func(v ir.Value) bool { return v.Kind == ir.ValString && v.Str == "" }) {
		// "" occurs in every string, the empty one too (strnstr finds it
		// at 0): the test passes.
		if t.Op.Negated() {
			p.Emit(asm.Ja.Label(fail))
		}
		return
	}
	name := p.FuncName("substring")
	p.Emit(
		asm.StoreMem(asm.RFP, prog.StWalk, prog.RRec, asm.DWord),
		emit.StoreImm(asm.RFP, prog.StWalk-8, 0, asm.DWord),
		asm.Mov.Imm(asm.R1, int32(s.max)),
		asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1}.WithReference(name),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, prog.StWalk),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnLoop.Call(),
		asm.LoadMem(asm.R1, asm.RFP, prog.StWalk-8, asm.DWord),
	)
	if t.Op.Negated() {
		p.Emit(asm.JNE.Imm(asm.R1, 0, fail))
	} else {
		p.Emit(asm.JEq.Imm(asm.R1, 0, fail))
	}
	p.substringStep(name, t, s)
}

// substringStep adds the callback of renderSubString: at start position
// R1, it stops at the end of the string or at a NUL, marks a match of any
// value and stops, or goes on.
func (p *Gen) substringStep(name string, t *ir.Test, s bytesAt) {
	values := slices.Concat(t.Values, mapValues(t.Map))
	fold := t.Op == ir.OpSubStringIgnCase
	sub := p.subprogram()
	b := &sub.B
	// R6: the state; R9: the record; R3: the string's length, at most
	// max; R4: the start, below it; R5: the address of its byte.
	b.Emit(
		asm.Mov.Reg(asm.R6, asm.R2),
		asm.Mov.Reg(asm.R4, asm.R1),
		asm.LoadMem(asm.R9, asm.R6, 0, asm.DWord),
		asm.LoadMem(asm.R3, asm.R9, s.lenOff, asm.Word),
		asm.JGT.Imm(asm.R3, int32(s.max), "stop"),
		asm.JGE.Imm(asm.R4, int32(s.max), "stop"),
		asm.JGE.Reg(asm.R4, asm.R3, "stop"),
		asm.Mov.Reg(asm.R5, asm.R9),
		asm.Add.Imm(asm.R5, int32(s.dataOff)),
		asm.Add.Reg(asm.R5, asm.R4),
		asm.LoadMem(asm.R1, asm.R5, 0, asm.Byte),
		asm.JEq.Imm(asm.R1, 0, "stop"),
	)
	for i, v := range values {
		if v.Kind != ir.ValString {
			continue
		}
		n := len(v.Str)
		if n > s.max {
			continue // longer than what the record keeps: never found
		}
		next := fmt.Sprintf("next%d", i)
		// The value ends within the string: start+n <= len; the start is
		// bounded on its own register too, for the verifier.
		b.Emit(
			asm.JGT.Imm(asm.R4, int32(s.max-n), next),
			asm.Mov.Reg(asm.R2, asm.R4),
			asm.Add.Imm(asm.R2, int32(n)),
			asm.JGT.Reg(asm.R2, asm.R3, next),
		)
		// R0 as the scratch register: R3 holds the length the next
		// value's bound is checked against.
		sub.compareChunks(asm.R5, v.Str, fold, asm.R0, next)
		b.Emit(asm.Ja.Label("found"))
		b.Label(next)
	}
	b.Emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	b.Label("found")
	b.Emit(emit.StoreImm(asm.R6, -8, 1, asm.DWord))
	b.Label("stop")
	b.Emit(asm.Mov.Imm(asm.R0, 1), asm.Return())
	p.AddFunc(name, sub.Ctx)
}

// renderFileType: the type bits (S_IFMT) of the mode of the file's inode
// are one of the values (NotFileType: none). The argument is read again
// from the context: the record keeps its path, not its mode.
func renderFileType(p *Gen, o operand, t *ir.Test, fail string) {
	if o.slot == nil || o.ret {
		p.Errorf(t.Pos, "%s tests a file argument at entry, not a return value", t.Op)
		return
	}
	if !p.loadInode(o, t) {
		return
	}
	kern.ReadKernel(&p.B, asm.R4, asm.R7, kern.Inode, "i_mode", asm.Half, prog.StTmp)
	p.Emit(asm.And.Imm(asm.R4, ir.FileTypeMask))
	p.anyOf(t.Op.Negated(), fail, func(hit string) {
		for _, v := range t.Values {
			if v.Kind == ir.ValInt {
				p.Emit(asm.JEq.Imm(asm.R4, int32(v.Int), hit))
			}
		}
	})
}

// loadInode reads the inode of t's file or path argument, read again from
// the context (the record keeps its path), into R7: FileType's and
// SameFile's operand.
func (p *Gen) loadInode(o operand, t *ir.Test) bool {
	a := o.slot.Arg
	if !p.reads.LoadArg(asm.R7, a) {
		return false
	}
	switch a.Type {
	case ir.TypeFile:
		kern.ReadKernel(&p.B, asm.R7, asm.R7, kern.File, "f_path.dentry", asm.DWord, prog.StTmp)
	case ir.TypePath:
		kern.ReadKernel(&p.B, asm.R7, asm.R7, kern.PathT, "dentry", asm.DWord, prog.StTmp)
	default:
		p.Errorf(t.Pos, "%s on a %s argument: it reads the inode of a file or path", t.Op, a.Type)
		return false
	}
	kern.ReadKernel(&p.B, asm.R7, asm.R7, kern.Dentry, "d_inode", asm.DWord, prog.StTmp)
	return true
}

// renderSameFile: the identity of the file's inode, its inode number and
// the device of its super_block (s_dev), is in the test's map, which the
// loader fills with the identities of the files the values name on its
// machine (NotSameFile: it is not). The argument is read again from the
// context, as FileType reads it. An argument without an inode reads as 0
// and 0, which is no file's identity.
func renderSameFile(p *Gen, o operand, t *ir.Test, fail string) {
	if o.slot == nil || o.ret {
		p.Errorf(t.Pos, "%s tests a file argument at entry, not a return value", t.Op)
		return
	}
	if t.Map == nil || t.Map.Kind != ir.MapFileID || len(t.Values) > 0 {
		p.Errorf(t.Pos, "internal error: the files of %s are not all in a %s map", t.Op, ir.MapFileID)
		return
	}
	if !p.loadInode(o, t) {
		return
	}
	// The key, bpf.FileIDKeySize bytes at StVal2: the inode number
	// (StVal2), then the device (the low half of StVal).
	kern.ReadKernel(&p.B, asm.R4, asm.R7, kern.Inode, "i_ino", asm.DWord, prog.StTmp)
	p.Emit(asm.StoreMem(asm.RFP, prog.StVal2, asm.R4, asm.DWord))
	kern.ReadKernel(&p.B, asm.R7, asm.R7, kern.Inode, "i_sb", asm.DWord, prog.StTmp)
	kern.ReadKernel(&p.B, asm.R4, asm.R7, kern.Super, "s_dev", asm.Word, prog.StTmp)
	p.Emit(asm.StoreMem(asm.RFP, prog.StVal, asm.R4, asm.DWord))
	p.anyOf(t.Op.Negated(), fail, func(hit string) {
		p.Emit(
			asm.LoadMapPtr(asm.R1, 0).WithReference(p.g.FileIDMap(t)),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, prog.StVal2),
			asm.FnMapLookupElem.Call(),
			asm.JNE.Imm(asm.R0, 0, hit),
		)
	})
}

// mapValues are the values m holds (none for no map).
func mapValues(m *ir.Map) []ir.Value {
	if m == nil {
		return nil
	}
	return m.Values
}

// valueKey is where an integer under test sits in memory, as a map key.
type valueKey struct {
	base asm.Register
	off  int32
}

// intSetLookup emits a lookup of the 8-byte value at key in t's map and a
// jump to hit when it is there. It clobbers R0 to R5; the caller's value
// register is reloaded from key afterwards.
func (p *Gen) intSetLookup(t *ir.Test, key valueKey, hit string) {
	name := p.g.SetMap(t.Map, t.Type)
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, key.base),
		asm.Add.Imm(asm.R2, key.off),
		asm.FnMapLookupElem.Call(),
		asm.JNE.Imm(asm.R0, 0, hit),
	)
}

// bytesTest tests a string, buffer or path.
func (p *Gen) bytesTest(t *ir.Test, s bytesAt, fail string) {
	var kind matchKind
	switch t.Op {
	case ir.OpEqual, ir.OpNotEqual, ir.OpIn, ir.OpNotIn:
		kind = matchEqual
	case ir.OpPrefix, ir.OpNotPrefix:
		kind = matchPrefix
	case ir.OpPostfix, ir.OpNotPostfix:
		kind = matchPostfix
	default:
		p.Errorf(t.Pos, "operator %s on a %s argument is not supported", t.Op, t.Type)
		return
	}
	values := t.Values
	useMap := t.Map != nil
	if useMap && !stringMapFits(t.Map) {
		// The kernel's key size limits: compare these values instead.
		values = append(append([]ir.Value(nil), values...), t.Map.Values...)
		useMap = false
	}
	p.anyOf(t.Op.Negated(), fail, func(hit string) {
		p.jumpIfAnyString(s, kind, values, hit)
		if useMap {
			p.stringSetLookup(t, s, kind, hit)
		}
	})
}

// jumpIfAnyString emits the jump to hit when the bytes at s match (kind)
// one of values' strings; it falls through when none does.
func (p *Gen) jumpIfAnyString(s bytesAt, kind matchKind, values []ir.Value, hit string) {
	for _, v := range values {
		if v.Kind != ir.ValString {
			continue
		}
		next := p.B.Fresh("str_next")
		p.jumpUnlessBytes(s, kind, v.Str, next)
		p.Emit(asm.Ja.Label(hit))
		p.B.Label(next)
		p.Emit(asm.Mov.Imm(asm.R0, 0))
	}
}

// Kernel limits on map keys: hash keys are built on the stack (512
// bytes), LPM trie data is at most 256 bytes.
const (
	maxHashKey = 512
	maxLPMData = 256
)

// stringMapFits says whether a string set map's keys are within the
// kernel's limits.
func stringMapFits(m *ir.Map) bool {
	switch m.Kind {
	case ir.MapStringSet:
		return m.KeySize <= maxHashKey
	case ir.MapStringPrefix:
		return m.KeySize <= maxLPMData
	}
	return true
}

// stringSetLookup looks the bytes at s up in t's map: a hash of
// NUL-padded strings (Equal), or an LPM trie of prefixes (Prefix). The key
// is built in the TmpMap.
func (p *Gen) stringSetLookup(t *ir.Test, s bytesAt, kind matchKind, hit string) {
	m := t.Map
	name := p.g.SetMap(m, t.Type)
	p.g.Lib.UseTmp()
	keySize := m.KeySize
	lpm := m.Kind == ir.MapStringPrefix
	dataOff := int32(kern.KeyOff)
	if lpm {
		dataOff += 4
	}
	miss := p.B.Fresh("set_miss")
	p.Emit(
		asm.StoreMem(asm.RFP, prog.StVal2, s.base, asm.DWord),
		emit.StoreImm(asm.RFP, prog.StKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(kern.TmpMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, miss),
		asm.Mov.Reg(asm.R7, asm.R0),
		// Zero the key: reading from address 0 fails and zeroes the
		// destination.
		asm.Mov.Reg(asm.R1, asm.R7),
		asm.Add.Imm(asm.R1, dataOff),
		asm.Mov.Imm(asm.R2, int32(keySize)),
		asm.Mov.Imm(asm.R3, 0),
		asm.FnProbeReadKernel.Call(),
		asm.LoadMem(asm.R8, asm.RFP, prog.StVal2, asm.DWord),
		asm.LoadMem(asm.R2, asm.R8, s.lenOff, asm.Word),
	)
	if lpm {
		// Compare at most the key's bytes: a longer argument still has
		// the prefixes its start has.
		fits := p.B.Fresh("key_fits")
		p.Emit(
			asm.JLE.Imm(asm.R2, int32(keySize), fits),
			asm.Mov.Imm(asm.R2, int32(keySize)),
		)
		p.B.Label(fits)
		p.Emit(
			asm.Mov.Reg(asm.R1, asm.R2),
			asm.LSh.Imm(asm.R1, 3),
			asm.StoreMem(asm.R7, kern.KeyOff, asm.R1, asm.Word),
		)
	} else {
		// A string with no room for its NUL in the key is in no set.
		p.Emit(asm.JGE.Imm(asm.R2, int32(keySize), miss))
	}
	p.Emit(
		asm.Mov.Reg(asm.R1, asm.R7),
		asm.Add.Imm(asm.R1, dataOff),
		asm.Mov.Reg(asm.R3, asm.R8),
		asm.Add.Imm(asm.R3, int32(s.dataOff)),
		asm.FnProbeReadKernel.Call(),
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, asm.R7),
		asm.Add.Imm(asm.R2, int32(kern.KeyOff)),
	)
	if !lpm {
		p.Emit(asm.Add.Imm(asm.R2, dataOff-int32(kern.KeyOff)))
	}
	p.Emit(
		asm.FnMapLookupElem.Call(),
		asm.JNE.Imm(asm.R0, 0, hit),
	)
	p.B.Label(miss)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
	_ = kind
}

// pidTest: matchPIDs.
func (p *Gen) pidTest(t *ir.Test, fail string) {
	if t.FollowForks {
		p.pidWalk(t, fail)
		return
	}
	if t.NamespacePID {
		p.CurrentTask(asm.R5)
		kern.NamespacePid(&p.B, asm.R4, asm.R5, prog.StTmp)
	} else {
		p.Emit(asm.LoadMem(asm.R4, asm.RFP, prog.StPidTgid, asm.DWord), asm.RSh.Imm(asm.R4, 32))
	}
	p.Emit(asm.StoreMem(asm.RFP, prog.StVal, asm.R4, asm.DWord))
	p.anyOf(t.Op == ir.OpNotIn, fail, func(hit string) {
		p.intValues(asm.R4, t.Values, ir.TypeUint32, false, hit)
		if t.Map != nil {
			p.intSetLookup(t, valueKey{base: asm.RFP, off: prog.StVal}, hit)
		}
	})
}

// binaryTest: matchBinaries, on the copy of the process table entry.
func (p *Gen) binaryTest(t *ir.Test, fail string) {
	if t.FollowChildren {
		p.binaryWalk(t, fail)
		return
	}
	bin := bytesAt{base: prog.RRec, lenOff: int16(p.Lay.ProcOff() + bpf.ProcBinaryLenOff),
		dataOff: int16(p.Lay.ProcOff() + bpf.ProcBinaryOff), max: bpf.BinaryMax - 1}
	p.bytesTest(t, bin, fail)
}

// namespaceTest: matchNamespaces.
func (p *Gen) namespaceTest(t *ir.Test, fail string) {
	if t.Namespace >= ir.NumNamespaces {
		p.Errorf(t.Pos, "namespace kind %d does not exist", t.Namespace)
		return
	}
	p.CurrentTask(asm.R5)
	kern.NamespaceInum(&p.B, asm.R4, asm.R5, int(t.Namespace), prog.StTmp)
	p.Emit(asm.StoreMem(asm.RFP, prog.StVal, asm.R4, asm.DWord))
	p.anyOf(t.Op == ir.OpNotIn, fail, func(hit string) {
		if t.HostNS {
			p.Emit(
				asm.LoadMapValue(asm.R1, 0, 0).WithReference(p.g.HostNSVar(t.Namespace)),
				asm.LoadMem(asm.R1, asm.R1, 0, asm.Word),
				asm.JEq.Reg(asm.R4, asm.R1, hit),
			)
		}
		p.intValues(asm.R4, t.Values, ir.TypeUint32, false, hit)
		if t.Map != nil {
			p.intSetLookup(t, valueKey{base: asm.RFP, off: prog.StVal}, hit)
		}
	})
}

// capSet maps ir.CapSet to the index in bpf.Proc.Caps and kern.Caps.
func capSet(c ir.CapSet) int {
	switch c {
	case ir.CapPermitted:
		return bpf.CapPermitted
	case ir.CapInheritable:
		return bpf.CapInheritable
	}
	return bpf.CapEffective
}

// notHostUserNS emits: if the current task is in the host user namespace,
// goto fail (isNamespaceCapability).
func (p *Gen) notHostUserNS(fail string) {
	p.CurrentTask(asm.R5)
	kern.NamespaceInum(&p.B, asm.R4, asm.R5, int(ir.NsUser), prog.StTmp)
	p.Emit(
		asm.LoadMapValue(asm.R1, 0, 0).WithReference(p.g.HostNSVar(ir.NsUser)),
		asm.LoadMem(asm.R1, asm.R1, 0, asm.Word),
		asm.JEq.Reg(asm.R4, asm.R1, fail),
	)
}

// capsTest: matchCapabilities. In: the set holds a listed capability;
// NotIn: none.
func (p *Gen) capsTest(t *ir.Test, fail string) {
	if t.NamespaceCap {
		p.notHostUserNS(fail)
	}
	p.CurrentTask(asm.R5)
	kern.Caps(&p.B, asm.R4, asm.R5, capSet(t.CapSet), prog.StTmp)
	p.Emit(asm.LoadImm(asm.R3, int64(t.Mask), asm.DWord), asm.And.Reg(asm.R4, asm.R3))
	if t.Op == ir.OpIn {
		p.Emit(asm.JEq.Imm(asm.R4, 0, fail))
	} else {
		p.Emit(asm.JNE.Imm(asm.R4, 0, fail))
	}
}

// capChangeTest: matchCapabilityChanges, against the set at exec in the
// process table. A process the table does not know has no change.
func (p *Gen) capChangeTest(t *ir.Test, fail string) {
	if t.NamespaceCap {
		p.notHostUserNS(fail)
	}
	procOff := p.Lay.ProcOff()
	set := capSet(t.CapSet)
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(procOff+bpf.ProcTgidOff), asm.Word),
		asm.JEq.Imm(asm.R1, 0, fail),
	)
	p.CurrentTask(asm.R5)
	kern.Caps(&p.B, asm.R4, asm.R5, set, prog.StTmp)
	p.Emit(
		asm.LoadMem(asm.R2, prog.RRec, int16(procOff+bpf.ProcCapsOff+8*set), asm.DWord),
		asm.LoadImm(asm.R3, int64(t.Mask), asm.DWord),
	)
	if t.Op == ir.OpIn {
		// exec & mask != now & mask
		p.Emit(
			asm.Xor.Reg(asm.R2, asm.R4),
			asm.And.Reg(asm.R2, asm.R3),
			asm.JEq.Imm(asm.R2, 0, fail),
		)
		return
	}
	// exec & mask == now & mask, and exec != now
	p.Emit(
		asm.JEq.Reg(asm.R2, asm.R4, fail),
		asm.Xor.Reg(asm.R2, asm.R4),
		asm.And.Reg(asm.R2, asm.R3),
		asm.JNE.Imm(asm.R2, 0, fail),
	)
}

// nsChangeTest: matchNamespaceChanges. In: a listed kind's inode differs
// from exec time; NotIn: an unlisted kind's does. Unknown (0) exec-time
// inodes never count.
func (p *Gen) nsChangeTest(t *ir.Test, fail string) {
	procOff := p.Lay.ProcOff()
	pass := p.B.Fresh("ns_changed")
	for k := ir.Namespace(0); k < ir.NumNamespaces; k++ {
		listed := t.Mask&(1<<k) != 0
		if listed != (t.Op == ir.OpIn) {
			continue
		}
		next := p.B.Fresh(fmt.Sprintf("ns_%s_same", strings.ToLower(k.String())))
		p.CurrentTask(asm.R5)
		kern.NamespaceInum(&p.B, asm.R4, asm.R5, int(k), prog.StTmp)
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, int16(procOff+bpf.ProcNsOff+4*int(k)), asm.Word),
			asm.JEq.Imm(asm.R1, 0, next),
			asm.JNE.Reg(asm.R1, asm.R4, pass),
		)
		p.B.Label(next)
		p.Emit(asm.Mov.Imm(asm.R0, 0))
	}
	p.Emit(asm.Ja.Label(fail))
	p.B.Label(pass)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}
