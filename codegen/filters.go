package codegen

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// test emits code that falls through when t passes and jumps to fail when
// it does not.
func (p *progGen) test(t *ir.Test, fail string) {
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
func (p *progGen) anyOf(negated bool, fail string, checks func(hit string)) {
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
func (p *progGen) intValues(r asm.Register, vals []ir.Value, typ ir.ArgType, signed bool, hit string) {
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

// argTest tests an argument's slot.
func (p *progGen) argTest(t *ir.Test, fail string) {
	if t.Op == ir.OpCapabilitiesGained {
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
		return
	}
	s := p.Lay.SlotOf(t.Slot)
	if s == nil {
		p.Errorf(t.Pos, "the filter reads argument slot %d, which the hook does not read", t.Slot)
		return
	}
	switch s.Enc {
	case bpf.EncInt:
		p.Emit(asm.LoadMem(asm.R4, prog.RRec, int16(s.Off), asm.DWord))
		p.intTest(t, asm.R4, valueKey{base: prog.RRec, off: int32(s.Off)}, fail)
	case bpf.EncBytes:
		if s.BigBytes > 0 && (t.Op == ir.OpPostfix || t.Op == ir.OpNotPostfix) {
			p.bigPostfixTest(t, s, fail) // maxdata_postfix.go
			return
		}
		p.bytesTest(t, bytesAt{base: prog.RRec, lenOff: int16(s.Off), dataOff: int16(s.Off + bpf.BytesHeaderSize), max: s.MaxBytes}, fail)
	default:
		p.netTest(t, s, fail)
	}
}

// returnTest tests the return value (in the header) of a return program.
func (p *progGen) returnTest(t *ir.Test, fail string) {
	if !p.Ret {
		p.Errorf(t.Pos, "matchReturnArgs is tested at return")
		return
	}
	if s := p.Lay.Ret; s != nil {
		// A sock, a file: tested like an argument.
		switch s.Enc {
		case bpf.EncBytes:
			p.bytesTest(t, bytesAt{base: prog.RRec, lenOff: int16(s.Off), dataOff: int16(s.Off + bpf.BytesHeaderSize), max: s.MaxBytes}, fail)
		default:
			p.netTest(t, s, fail)
		}
		return
	}
	if t.Type.Class() != ir.ClassInt && t.Type.Class() != ir.ClassCaps {
		p.Errorf(t.Pos, "matchReturnArgs on a return value of type %s is not supported yet", t.Type)
		return
	}
	p.Emit(asm.LoadMem(asm.R4, prog.RRec, bpf.HeaderRetOff, asm.DWord))
	if size := t.Type.Size(); size > 0 {
		p.Emit(extendReg(asm.R4, size, t.Type.Signed())...)
	}
	p.Emit(asm.StoreMem(asm.RFP, prog.StVal, asm.R4, asm.DWord))
	p.intTest(t, asm.R4, valueKey{base: asm.RFP, off: prog.StVal}, fail)
}

// valueKey is where an integer under test sits in memory, as a map key.
type valueKey struct {
	base asm.Register
	off  int32
}

// intTest tests the integer in r (kept in memory at key for map lookups)
// against t.
func (p *progGen) intTest(t *ir.Test, r asm.Register, key valueKey, fail string) {
	typ := t.Type
	signed := typ.Signed()
	switch t.Op {
	case ir.OpEqual, ir.OpNotEqual, ir.OpInRange, ir.OpNotInRange, ir.OpInMap, ir.OpNotInMap:
		p.anyOf(t.Op.Negated(), fail, func(hit string) {
			p.intValues(r, t.Values, typ, signed, hit)
			if t.Map != nil {
				p.intSetLookup(t, key, hit)
			}
		})
	case ir.OpGT, ir.OpLT:
		op := map[bool]map[ir.Op]asm.JumpOp{
			false: {ir.OpGT: asm.JGT, ir.OpLT: asm.JLT},
			true:  {ir.OpGT: asm.JSGT, ir.OpLT: asm.JSLT},
		}[signed][t.Op]
		p.anyOf(false, fail, func(hit string) {
			for _, v := range t.Values {
				p.jumpIfInt(r, op, ir.FitInt(typ, v.Int), hit)
			}
		})
	case ir.OpMask:
		p.anyOf(false, fail, func(hit string) {
			for _, v := range t.Values {
				m := v.Int
				if m >= 0 && m <= 0x7fffffff {
					p.Emit(asm.JSet.Imm(r, int32(m), hit))
				} else {
					p.Emit(asm.LoadImm(asm.R3, m, asm.DWord), asm.JSet.Reg(r, asm.R3, hit))
				}
			}
		})
	default:
		p.Errorf(t.Pos, "operator %s on a %s argument is not supported yet", t.Op, typ)
	}
}

// intSetLookup emits a lookup of the 8-byte value at key in t's map and a
// jump to hit when it is there. It clobbers R0 to R5; the caller's value
// register is reloaded from key afterwards.
func (p *progGen) intSetLookup(t *ir.Test, key valueKey, hit string) {
	name := p.g.setMap(t.Map, t.Type)
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, key.base),
		asm.Add.Imm(asm.R2, key.off),
		asm.FnMapLookupElem.Call(),
		asm.JNE.Imm(asm.R0, 0, hit),
	)
}

// bytesTest tests a string, buffer or path.
func (p *progGen) bytesTest(t *ir.Test, s bytesAt, fail string) {
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
		if useMap {
			p.stringSetLookup(t, s, kind, hit)
		}
	})
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
func (p *progGen) stringSetLookup(t *ir.Test, s bytesAt, kind matchKind, hit string) {
	m := t.Map
	name := p.g.setMap(m, t.Type)
	p.g.lib.UseTmp()
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
func (p *progGen) pidTest(t *ir.Test, fail string) {
	if t.FollowForks {
		p.pidWalk(t, fail)
		return
	}
	if t.NamespacePID {
		p.currentTask(asm.R5)
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
func (p *progGen) binaryTest(t *ir.Test, fail string) {
	if t.FollowChildren {
		p.binaryWalk(t, fail)
		return
	}
	bin := bytesAt{base: prog.RRec, lenOff: int16(p.Lay.ProcOff() + bpf.ProcBinaryLenOff),
		dataOff: int16(p.Lay.ProcOff() + bpf.ProcBinaryOff), max: bpf.BinaryMax - 1}
	p.bytesTest(t, bin, fail)
}

// hostNSVar is the load-time variable holding the host's inode of ns.
func (g *gen) hostNSVar(ns ir.Namespace) string {
	name := bpf.VarHostNSPrefix + strings.ToLower(ns.String())
	g.vars[name] = true
	return name
}

// namespaceTest: matchNamespaces.
func (p *progGen) namespaceTest(t *ir.Test, fail string) {
	if t.Namespace >= ir.NumNamespaces {
		p.Errorf(t.Pos, "namespace kind %d does not exist", t.Namespace)
		return
	}
	p.currentTask(asm.R5)
	kern.NamespaceInum(&p.B, asm.R4, asm.R5, int(t.Namespace), prog.StTmp)
	p.Emit(asm.StoreMem(asm.RFP, prog.StVal, asm.R4, asm.DWord))
	p.anyOf(t.Op == ir.OpNotIn, fail, func(hit string) {
		if t.HostNS {
			p.Emit(
				asm.LoadMapValue(asm.R1, 0, 0).WithReference(p.g.hostNSVar(t.Namespace)),
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
func (p *progGen) notHostUserNS(fail string) {
	p.currentTask(asm.R5)
	kern.NamespaceInum(&p.B, asm.R4, asm.R5, int(ir.NsUser), prog.StTmp)
	p.Emit(
		asm.LoadMapValue(asm.R1, 0, 0).WithReference(p.g.hostNSVar(ir.NsUser)),
		asm.LoadMem(asm.R1, asm.R1, 0, asm.Word),
		asm.JEq.Reg(asm.R4, asm.R1, fail),
	)
}

// capsTest: matchCapabilities. In: the set holds a listed capability;
// NotIn: none.
func (p *progGen) capsTest(t *ir.Test, fail string) {
	if t.NamespaceCap {
		p.notHostUserNS(fail)
	}
	p.currentTask(asm.R5)
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
func (p *progGen) capChangeTest(t *ir.Test, fail string) {
	if t.NamespaceCap {
		p.notHostUserNS(fail)
	}
	procOff := p.Lay.ProcOff()
	set := capSet(t.CapSet)
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(procOff+bpf.ProcTgidOff), asm.Word),
		asm.JEq.Imm(asm.R1, 0, fail),
	)
	p.currentTask(asm.R5)
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
func (p *progGen) nsChangeTest(t *ir.Test, fail string) {
	procOff := p.Lay.ProcOff()
	pass := p.B.Fresh("ns_changed")
	for k := ir.Namespace(0); k < ir.NumNamespaces; k++ {
		listed := t.Mask&(1<<k) != 0
		if listed != (t.Op == ir.OpIn) {
			continue
		}
		next := p.B.Fresh(fmt.Sprintf("ns_%s_same", strings.ToLower(k.String())))
		p.currentTask(asm.R5)
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
