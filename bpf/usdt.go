package bpf

import "encoding/binary"

// USDT probes (contract between codegen and the loader).
//
// A USDT probe is known by its binary, provider and name; where it is and
// where its arguments are (a register, memory at a register plus an
// offset, a constant) depend on how that binary was compiled, and one
// probe may sit at several places with different argument locations. So a
// bundle carries one program per probe that reads its arguments through a
// spec, and polrun, which has the binary, writes the specs: it reads the
// binary's .note.stapsdt notes, stores one USDTSpec per place in USDTMap
// under the key USDTCookie(hook, place), and attaches the program at each
// place with that key as the BPF cookie (with the probe's semaphore as the
// uprobe's reference counter).
//
// Kernels before 5.15 have no BPF cookies (bpf_get_attach_cookie): there
// polrun loads the program's Program.NoCookie variant once per place, each
// copy with the USDTSiteMarker constant replaced by its place's key, and
// attaches each copy at its place. The key is then the program's own, so
// it holds for shared libraries and PIE at any load address (a map keyed
// by the instruction pointer would not).
const (
	USDTMap          = "polc_usdt" // hash: u64 cookie -> USDTSpec
	USDTMaxArgs      = 12          // as sys/sdt.h's STAP_PROBE12
	USDTArgSize      = 16
	USDTSpecSize     = USDTMaxArgs * USDTArgSize
	USDTMaxLocations = 4096 // places of USDT probes a bundle can attach to
)

// Kinds of USDT argument locations (USDTArg.Kind).
const (
	USDTArgNone     = 0 // the probe has no such argument
	USDTArgConst    = 1 // Value
	USDTArgReg      = 2 // the register at RegOff in struct pt_regs
	USDTArgRegDeref = 3 // memory at that register + Value (user memory)
	USDTArgSIB      = 4 // memory at register + (index register << Scale) + Value
)

// USDTArg is where one argument of a USDT probe is, at one place:
//
//	offset size field
//	0      1    Kind
//	1      1    Signed    1: sign-extend from the argument's size
//	2      1    Shift     64 - 8 × the argument's size in bytes
//	3      1    Scale     log2 of the index's scale (USDTArgSIB)
//	4      2    RegOff    offset of the (base) register in struct pt_regs
//	6      2    IndexOff  offset of the index register (USDTArgSIB)
//	8      8    Value     the constant, or the displacement
type USDTArg struct {
	Kind     uint8
	Signed   uint8
	Shift    uint8
	Scale    uint8
	RegOff   uint16
	IndexOff uint16
	Value    int64
}

// USDTSpec is where every argument of a USDT probe is, at one place.
type USDTSpec [USDTMaxArgs]USDTArg

// MarshalBinary is the spec as USDTMap holds it.
func (s *USDTSpec) MarshalBinary() ([]byte, error) {
	out := make([]byte, USDTSpecSize)
	for i, a := range s {
		b := out[i*USDTArgSize:]
		b[0], b[1], b[2], b[3] = a.Kind, a.Signed, a.Shift, a.Scale
		binary.LittleEndian.PutUint16(b[4:], a.RegOff)
		binary.LittleEndian.PutUint16(b[6:], a.IndexOff)
		binary.LittleEndian.PutUint64(b[8:], uint64(a.Value))
	}
	return out, nil
}

// USDTCookie is the BPF cookie, and USDTMap key, of place n of the probe
// of hook id.
func USDTCookie(hook, n int) uint64 { return uint64(hook)<<32 | uint64(uint32(n)) }

// USDTSiteMarker is the 64-bit immediate of the one ldimm64 instruction
// of a Program.NoCookie variant that stands for bpf_get_attach_cookie:
// polrun replaces it by USDTCookie(hook, place) in each place's copy. No
// hook id reaches it (ids are small), so it is no place's key.
const USDTSiteMarker uint64 = 0x706f6c635f757364 // "polc_usd"
