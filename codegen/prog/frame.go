package prog

// Stack slots (offsets from R10) of generated programs. Inline routines of
// package kern use StTmp and the 8 bytes below it. Subprograms and
// bpf_loop callbacks have frames of their own.
const (
	StKey     = -8  // u32 key of single-entry maps; scratch
	StTmp     = -16 // kern scratch (and -24)
	StRegs    = -32 // syscall hooks: the user pt_regs the wrapper received
	StPidTgid = -40 // bpf_get_current_pid_tgid()
	StVal     = -48 // an 8-byte value: map keys, saved registers
	StVal2    = -56 // a second 8-byte value
	// StGen shares StVal2's bytes: the verdict cache reads the table's
	// generation before any phase that uses StVal2 (codegen/filter/verdicts.go).
	StGen = StVal2
	// StWalk is the state of an ancestor walk: the process to check next
	// at StWalk, 1 when a value matched at StWalk-8, the pid namespace at
	// StWalk-16 (codegen/filter/ancestors.go).
	StWalk = -72
	// StRet is the value a program returns, in programs whose return
	// value is the Override (fmod_ret and LSM; codegen/override.go), and
	// in enforcer programs.
	StRet = -64
	// StNetKey is where LPM keys of addresses are built, 20 bytes: a u32
	// prefix length, then the address (codegen/filter/net.go).
	StNetKey = -120
	// StUSDT is the pointer to the USDTSpec of the place that fired
	// (codegen/fetch/usdt.go).
	StUSDT = -128
	// StRateKey is the key of a Post rate limit, RateKeySize bytes
	// (codegen/action/ratelimit.go).
	StRateKey   = -176
	RateKeySize = 16 + 8*RateArgs
	RateArgs    = 4 // arguments digested into the key
	// The iovec reader's state (codegen/fetch/iovec.go).
	StIov      = -200 // u64: the iovec array
	StIovCount = -208 // u64: entries
	StIovFill  = -216 // u64: bytes copied so far
	StIovSlot  = -224 // the slot's address in the record
	StIovTotal = -232 // u64: the sum of the lengths
	// StFdKey is the key of the fd map: u32 tgid, u32 fd
	// (codegen/fetch/fd.go).
	StFdKey = -240
	// StSetCtx and StSetRec keep the context and the record of a policy
	// set's shared program, which each member's part reloads: a member's
	// post may use the kept registers (codegen/set.go).
	StSetCtx = -248
	StSetRec = -256
	// StSetMembers is the pointer to the set's member switches
	// (bpf.MembersMap).
	StSetMembers = -264
	// StSetGen is the process's own generation and StSetVerdict the
	// pointer to a verdict cache entry, read once by a policy set's
	// shared program for its parts (filter.Hoisted).
	StSetGen     = -272
	StSetVerdict = -280
)

// frameSlot is one entry of the frame's table, for TestFrame.
type frameSlot struct {
	name string
	off  int
	size int
}

// frame lists the slots with their sizes; slots sharing bytes on purpose
// (StGen) are listed once.
var frame = []frameSlot{
	{"StKey", StKey, 8}, {"StTmp", StTmp - 8, 16}, {"StRegs", StRegs, 8}, {"StPidTgid", StPidTgid, 8},
	{"StVal", StVal, 8}, {"StVal2", StVal2, 8}, {"StRet", StRet, 8}, {"StWalk", StWalk - 16, 24},
	{"StNetKey", StNetKey, 20}, {"StUSDT", StUSDT, 8}, {"StRateKey", StRateKey, RateKeySize},
	{"StIov", StIov, 8}, {"StIovCount", StIovCount, 8}, {"StIovFill", StIovFill, 8}, {"StIovSlot", StIovSlot, 8},
	{"StIovTotal", StIovTotal, 8}, {"StFdKey", StFdKey, 8},
	{"StSetCtx", StSetCtx, 8}, {"StSetRec", StSetRec, 8}, {"StSetMembers", StSetMembers, 8},
	{"StSetGen", StSetGen, 8}, {"StSetVerdict", StSetVerdict, 8},
}
