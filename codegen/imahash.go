package codegen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// IMA hashes: Post with imaHash on an LSM hook reports the hash IMA
// computes of the hook's file (Tetragon's process_lsm ima_hash).
// bpf_ima_file_hash may sleep, which the hook's program may not: it
// defers the record to a second, sleepable program on the same hook,
// which hashes the file and posts (bpf/ima.go has the protocol).
//
// The hooks are Tetragon's: those whose first argument is the file, and
// the exec hooks, whose linux_binprm has it. Tetragon ignores imaHash
// elsewhere with a warning; polc refuses it.

// imaBprmHooks and imaFileHooks are the LSM hooks imaHash works on.
var (
	imaBprmHooks = map[string]bool{
		"bprm_check_security": true, "bprm_committed_creds": true, "bprm_committing_creds": true,
		"bprm_creds_for_exec": true, "bprm_creds_from_file": true,
	}
	imaFileHooks = map[string]bool{
		"file_ioctl": true, "file_lock": true, "file_open": true, "file_post_open": true,
		"file_receive": true, "mmap_file": true,
	}
)

// ENOENT: the slot's Algo when the hook's file is NULL (mmap_file of
// anonymous memory).
const enoent = 2

// imaPost returns the first Post of h that asks for the IMA hash, or nil.
func imaPost(h *ir.Hook) *ir.Action {
	for _, s := range h.Selectors {
		for _, a := range s.Actions {
			if a.Kind == ir.ActPost && a.ImaHash {
				return a
			}
		}
	}
	return nil
}

// imaHook is the LSM hook name of h.
func imaHook(h *ir.Hook) string { return strings.TrimPrefix(h.Target, "bpf_lsm_") }

// addImaSlot adds the ImaHash slot to layout l of h when a Post of h asks
// for the hash, after every other slot, and sizes the bundle's ImaMap.
func (g *gen) addImaSlot(h *ir.Hook, l *prog.Layout) {
	post := imaPost(h)
	if post == nil {
		return
	}
	if h.Kind != ir.HookLSM {
		g.errs.add(post.Pos, "imaHash is reported on LSM hooks (lsmhooks), as Tetragon's process_lsm ima_hash: bpf_ima_file_hash is for sleepable BPF LSM programs, not %s hooks", h.Kind)
		return
	}
	if hook := imaHook(h); !imaBprmHooks[hook] && !imaFileHooks[hook] {
		g.errs.add(post.Pos, "imaHash hashes the file of an LSM hook whose first argument is a file or a linux_binprm (%s): %s has none", imaHookList(), hook)
		return
	}
	l.Ima = l.AddTrailingSlot(h, -3, bpf.EncImaHash, bpf.ImaHashSize)
}

func imaHookList() string {
	var names []string
	for _, m := range []map[string]bool{imaBprmHooks, imaFileHooks} {
		for n := range m {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// sizeImaMap declares bpf.ImaMap, or grows its values, for records of
// layout lay: the record, then the pointers maxData buffers keep.
func (g *gen) sizeImaMap(lay *prog.Layout) {
	size := uint32(lay.ProcOff())
	for _, m := range g.maps {
		if m.Name == bpf.ImaMap {
			m.ValueSize = max(m.ValueSize, size)
			return
		}
	}
	g.maps = append(g.maps, &object.Map{Name: bpf.ImaMap, Type: ebpf.Hash, KeySize: 8,
		ValueSize: size, MaxEntries: bpf.ImaMaxEntries})
}

// deferIma emits, where the hook's program posts, the hand-over of a
// record whose Post asked for the hash: the record, with the value the
// program returns, goes to ImaMap under the thread's pid_tgid, and the
// program returns 0 (a non-zero return would keep the sleepable program
// from running). If ImaMap is full, the record is posted without a hash
// (Algo: the error).
func (p *progGen) deferIma() {
	s := p.Lay.Ima
	if s == nil || p.Ret {
		return
	}
	post := p.B.Fresh("ima_post")
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(s.Off), asm.Word),
		asm.JNE.Imm32(asm.R1, bpf.ImaPending, post),
		asm.Mov.Imm(asm.R1, 0),
	)
	if p.ReturnsOverride() {
		p.Emit(asm.LoadMem(asm.R1, asm.RFP, prog.StRet, asm.DWord))
	}
	p.Emit(
		asm.StoreMem(prog.RRec, int16(s.Off+bpf.ImaRetOff), asm.R1, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.ImaMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.Mov.Reg(asm.R3, prog.RRec),
		asm.Mov.Imm(asm.R4, 0), // BPF_ANY
		asm.FnMapUpdateElem.Call(),
		asm.JEq.Imm(asm.R0, 0, post+"_deferred"),
		asm.StoreMem(prog.RRec, int16(s.Off), asm.R0, asm.Word),
		asm.Ja.Label(post),
	)
	p.B.Label(post + "_deferred")
	if p.ReturnsOverride() {
		p.Emit(emit.StoreImm(asm.RFP, prog.StRet, 0, asm.DWord))
	}
	p.Emit(prog.Exit.Ja())
	p.B.Label(post)
}

// imaProgram generates the sleepable program of a hook with an ImaHash
// slot and returns the hook's programs with it first: polrun attaches
// them in order, and the kernel runs the last attached first.
func (g *gen) imaProgram(h *ir.Hook, lay *prog.Layout, at attachment, progs []bpf.Program) []bpf.Program {
	g.sizeImaMap(lay)
	name := at.name + "_ima"
	section := "lsm.s/" + imaHook(h)
	for _, p := range g.progs {
		if p.Section == section {
			section += fmt.Sprintf("#%d", h.ID)
			break
		}
	}
	p := &progGen{Ctx: prog.New(g, h, lay, false), g: g}
	p.Need(bpf.FeatureImaFileHash)
	insns := p.imaHashProgram()
	if insns == nil {
		return progs
	}
	g.progs = append(g.progs, &object.Program{Name: name, Section: section, Insns: insns})
	return append([]bpf.Program{{Name: name, Section: section, Attach: "lsm", Target: at.target}}, progs...)
}

// imaHashProgram: find the thread's deferred record (none: return 0),
// hash the file into its slot, post it, delete it, and return the value
// the hook's program deferred.
func (p *progGen) imaHashProgram() asm.Instructions {
	h, s := p.Hook, p.Lay.Ima
	p.Src(h.Pos, h.Call+" (imaHash)")
	p.Emit(
		asm.Mov.Reg(prog.RCtx, asm.R1),
		emit.StoreImm(asm.RFP, prog.StRet, 0, asm.DWord),
		asm.FnGetCurrentPidTgid.Call(),
		asm.StoreMem(asm.RFP, prog.StPidTgid, asm.R0, asm.DWord),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.ImaMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "none"),
		asm.Mov.Reg(prog.RRec, asm.R0),
		// Another hook's record (a thread in two hooks with imaHash is
		// inside one at a time; a record left behind is dropped).
		asm.LoadMem(asm.R1, prog.RRec, bpf.HeaderHookIDOff, asm.Half),
		asm.JNE.Imm(asm.R1, int32(h.ID), prog.Drop.String()),
		asm.LoadMem(asm.R1, prog.RRec, int16(s.Off), asm.Word),
		asm.JNE.Imm32(asm.R1, bpf.ImaPending, prog.Drop.String()),
		// The deferred return value, sign-extended.
		asm.LoadMem(asm.R1, prog.RRec, int16(s.Off+bpf.ImaRetOff), asm.Word),
		asm.LSh.Imm(asm.R1, 32),
		asm.ArSh.Imm(asm.R1, 32),
		asm.StoreMem(asm.RFP, prog.StRet, asm.R1, asm.DWord),
		// The file: the first argument, or its linux_binprm's.
		asm.LoadMem(asm.R1, prog.RCtx, 0, asm.DWord),
	)
	if imaBprmHooks[imaHook(h)] {
		p.Emit(kern.Off(asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord), kern.Binprm, "file"))
	}
	p.Emit(
		asm.JEq.Imm(asm.R1, 0, "nofile"),
		asm.Mov.Reg(asm.R2, prog.RRec),
		asm.Add.Imm(asm.R2, int32(s.Off+bpf.ImaDigestOff)),
		asm.Mov.Imm(asm.R3, bpf.ImaDigestSize),
		asm.FnImaFileHash.Call(),
		asm.StoreMem(prog.RRec, int16(s.Off), asm.R0, asm.Word),
		asm.Ja.Label("hashed"),
	)
	p.B.Label("nofile")
	p.Emit(emit.StoreImm(prog.RRec, int16(s.Off), -enoent, asm.Word))
	p.B.Label("hashed")
	// Packed into a ring buffer reservation: the per-CPU buffer of the
	// compact layout is not safe in a program that may be preempted.
	p.postReserved()
	p.Bind(prog.Exit)
	p.Bind(prog.Drop)
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.ImaMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.FnMapDeleteElem.Call(),
	)
	p.B.Label("none")
	// What LSM hooks may return: an error (-MAX_ERRNO..0).
	p.Emit(
		asm.LoadMem(asm.R0, asm.RFP, prog.StRet, asm.DWord),
		asm.JSLE.Imm(asm.R0, 0, "ret_le0"),
		asm.Mov.Imm(asm.R0, 0),
	)
	p.B.Label("ret_le0")
	p.Emit(
		asm.JSGE.Imm(asm.R0, -4095, "ret_ok"),
		asm.Mov.Imm(asm.R0, -4095),
	)
	p.B.Label("ret_ok")
	p.Emit(asm.Return())
	return p.finish()
}
