package action

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Post rateLimit: a selector posts at most one record per interval for
// the same hook, selector, scope (thread, process or everyone) and
// arguments. The last post's time is kept per key in an LRU hash
// (RateLimitMap), so that forgotten keys make room for new ones.
//
// The key, built on the stack at prog.StRateKey:
//
//	0  u32 hook ID
//	4  u32 selector index
//	8  u64 scope: pid_tgid (thread), tgid (process) or 0 (global)
//	16 u64 × prog.RateArgs: a digest of each of the first arguments: an
//	   integer's value; the length and first 8 bytes of a string, buffer
//	   or path; the first 8 bytes of other encodings
const (
	// RateLimitMap is the state map ir.MapRateLimit.
	RateLimitMap = "polc_ratelimit"
)

// RateLimit emits: if the selector's Post rate limit says this record was
// posted too recently, goto limited; else note the time and fall through.
func (p *Gen) RateLimit(s *ir.Selector, a *ir.Action, limited string) {
	p.Map(ir.MapRateLimit)
	p.Emit(
		emit.StoreImm(asm.RFP, prog.StRateKey, int64(p.Hook.ID), asm.Word),
		emit.StoreImm(asm.RFP, prog.StRateKey+4, int64(s.Index), asm.Word),
		asm.LoadMem(asm.R1, asm.RFP, prog.StPidTgid, asm.DWord),
	)
	switch a.RateLimitScope {
	case ir.ScopeProcess:
		p.Emit(asm.RSh.Imm(asm.R1, 32))
	case ir.ScopeGlobal:
		p.Emit(asm.Mov.Imm(asm.R1, 0))
	}
	p.Emit(asm.StoreMem(asm.RFP, prog.StRateKey+8, asm.R1, asm.DWord))
	n := 0
	for _, sl := range p.Lay.Slots {
		if n == prog.RateArgs {
			break
		}
		if sl.Enc == bpf.EncNone || sl == p.Lay.Stack || sl == p.Lay.Ima {
			continue
		}
		off := int16(prog.StRateKey + 16 + 8*n)
		n++
		if sl.Enc != bpf.EncBytes {
			p.Emit(
				asm.LoadMem(asm.R1, prog.RRec, int16(sl.Off), asm.DWord),
				asm.StoreMem(asm.RFP, off, asm.R1, asm.DWord),
			)
			continue
		}
		// The first 8 data bytes (those past Len cleared), plus Len.
		whole := p.B.Fresh("rate_whole")
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, int16(sl.Off+bpf.BytesHeaderSize), asm.DWord),
			asm.LoadMem(asm.R2, prog.RRec, int16(sl.Off), asm.Word),
			asm.JGE.Imm(asm.R2, 8, whole),
			asm.Mov.Imm(asm.R3, 8),
			asm.Sub.Reg(asm.R3, asm.R2),
			asm.LSh.Imm(asm.R3, 3),
			asm.LSh.Reg(asm.R1, asm.R3),
			asm.RSh.Reg(asm.R1, asm.R3),
		)
		p.B.Label(whole)
		p.Emit(
			asm.LSh.Imm(asm.R2, 48),
			asm.Xor.Reg(asm.R1, asm.R2),
			asm.StoreMem(asm.RFP, off, asm.R1, asm.DWord),
		)
	}
	for ; n < prog.RateArgs; n++ {
		p.Emit(emit.StoreImm(asm.RFP, int16(prog.StRateKey+16+8*n), 0, asm.DWord))
	}
	post := p.B.Fresh("rate_ok")
	p.Emit(
		asm.FnKtimeGetBootNs.Call(),
		asm.StoreMem(asm.RFP, prog.StVal, asm.R0, asm.DWord),
		asm.LoadMapPtr(asm.R1, 0).WithReference(RateLimitMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StRateKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, post),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
		asm.LoadMem(asm.R2, asm.RFP, prog.StVal, asm.DWord),
		asm.Sub.Reg(asm.R2, asm.R1),
		asm.LoadImm(asm.R1, int64(a.RateLimitMs)*1_000_000, asm.DWord),
		asm.JLT.Reg(asm.R2, asm.R1, limited),
	)
	p.B.Label(post)
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(RateLimitMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StRateKey),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, prog.StVal),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnMapUpdateElem.Call(),
	)
}

// PostRateLimit returns the Post action of acts with a rate limit, or nil.
func PostRateLimit(acts []*ir.Action) *ir.Action {
	for _, a := range acts {
		if a.Kind == ir.ActPost && a.RateLimitMs > 0 {
			return a
		}
	}
	return nil
}
