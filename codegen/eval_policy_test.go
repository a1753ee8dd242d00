package codegen

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestEvalPolicies is the differential test of whole policies: random
// policies written as YAML (a raw tracepoint with up to six arguments of
// every type class, selectors with filters over every operator that type
// takes, values at the edges: 0, -1, each width's limits, range bounds,
// empty and long strings, prefixes and suffixes, CIDRs of every length,
// ports 0/1023/1024/65535) go through the compiler and codegen, and random
// events run through the program by BPF_PROG_TEST_RUN. Integers are the
// program's arguments; strings, buffers, paths, sockets, packets and
// capability sets are kernel structs laid out, at the running kernel's
// BTF offsets, in kernel memory (kmem_test.go). The selector the program
// posts must be the one ir.Eval chooses for the lowered hook, and the
// record must hold what was laid out; on a mismatch the test prints the
// YAML, the IR and the disassembly (polc dump --stage asm).
//
// The seed is fixed (-eval.seed) so that CI runs the same cases every
// time; -eval.seed=0 picks a random one and prints it.
func TestEvalPolicies(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	seed := *evalSeed
	if seed == 0 {
		seed = rand.Uint64()
	}
	policies, events := *evalPolicies, *evalEvents
	if testenv.InVM() && !flagSet("eval.policies") && !flagSet("eval.events") {
		// The guests emulate the CPU: fewer cases there, each kernel's
		// verifier and helpers still see every operator and type.
		policies, events = len(allTypeOps())/3, 10
	}
	t.Logf("seed %d (rerun with -eval.seed=%d), %d policies of %d events", seed, seed, policies, events)
	r := rand.New(rand.NewPCG(seed, 0x706f6c63))
	g := &policyGen{r: r, pid: os.Getpid(), covered: map[typeOp]int{}, files: hostFiles(t)}
	if features.HaveProgramHelper(ebpf.TracePoint, asm.FnLoop) != nil {
		g.noLoop = true
	}
	g.queue = allTypeOps()
	r.Shuffle(len(g.queue), func(i, j int) { g.queue[i], g.queue[j] = g.queue[j], g.queue[i] })
	mem := newArena(t)
	pin := pinDir(t)
	start := time.Now()
	cases, posted := 0, 0
	dropped := 0
	for n := 0; n < policies; n++ {
		p := g.policy(n)
		c, ok := p.compile(t)
		if !ok {
			return
		}
		if c.hook == nil {
			// Lowering found that no selector can ever match and dropped
			// the hook: no event may post.
			dropped++
			for k := 0; k < events; k++ {
				ev := p.event(t, g, mem)
				if want, err := ir.Eval(c.ref, ev.forHook(c.ref)); err != nil || want.Posted {
					t.Fatalf("policy %d: lowering dropped the hook as never firing, but ir.Eval posts selector %v (%v) for event %s\n%s\n%s",
						n, want.Selector, err, ev, p.yaml, c.refText)
				}
				cases++
			}
			continue
		}
		// The raw tracepoint polc/eval does not exist: the program is only
		// run, never attached.
		spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(c.b.Object))
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		l := loadSpecIn(t, c.b, spec, pin)
		prog := l.coll.Programs[c.b.Manifest.Hooks[0].Programs[0].Name]
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < events; k++ {
			ev := p.event(t, g, mem)
			// The reference is the hook as lowering had it before folding,
			// so that folding's decisions are checked too.
			want, err := ir.Eval(c.ref, ev.forHook(c.ref))
			if err != nil {
				t.Fatalf("policy %d event %d: eval: %v\n%s", n, k, err, p.yaml)
			}
			rec, err := runRawTP(t, prog, rd, c.b, ev.ctx)
			if err != nil {
				t.Fatalf("policy %d event %d: %v", n, k, err)
			}
			got, wantSel := -1, -1
			if rec != nil {
				got = int(rec.Selector) - 1
				posted++
			}
			if want.Posted {
				wantSel = want.Selector.Index
			}
			cases++
			if got != wantSel {
				t.Fatalf("policy %d event %d: the program posted selector %d, ir.Eval says %d\nevent: %s\n%s\nbefore folding:\n%s\nlowered:\n%s\n%s",
					n, k, got, wantSel, ev, p.yaml, c.refText, c.ir.String(), disasm(c.b))
			}
			if rec != nil {
				if err := p.checkRecord(c.hook, rec, ev); err != nil {
					t.Fatalf("policy %d event %d: record: %v\nevent: %s\n%s\n%s", n, k, err, ev, p.yaml, c.ir.String())
				}
			}
		}
		rd.Close()
		l.coll.Close()
	}
	t.Logf("%d cases (%d posted) of %d policies (%d dropped by lowering as never firing) in %v",
		cases, posted, policies, dropped, time.Since(start).Round(time.Millisecond))
	if g.next >= len(g.queue) {
		var missing []string
		for _, to := range allTypeOps() {
			if g.covered[to] == 0 {
				missing = append(missing, to.String())
			}
		}
		if len(missing) > 0 {
			t.Errorf("operator and type pairs never tested: %s", strings.Join(missing, ", "))
		}
	}
	t.Logf("%d operator and type pairs tested", len(g.covered))
}

var (
	evalSeed     = flag.Uint64("eval.seed", 1, "seed of TestEvalPolicies; 0 picks a random one")
	evalPolicies = flag.Int("eval.policies", 250, "random policies TestEvalPolicies compiles and runs")
	evalEvents   = flag.Int("eval.events", 40, "random events TestEvalPolicies runs through each policy")
)

// flagSet reports whether the test command line set the flag name.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// The argument types the generator uses, by class.
var (
	evalIntTypes = []ir.ArgType{ir.TypeInt, ir.TypeInt8, ir.TypeUint8, ir.TypeInt16, ir.TypeUint16, ir.TypeInt32,
		ir.TypeUint32, ir.TypeInt64, ir.TypeUint64, ir.TypeSizeT, ir.TypeLong, ir.TypeSyscall64, ir.TypeCapability, ir.TypeBpfCmd}
	evalStringTypes = []ir.ArgType{ir.TypeString, ir.TypeCharBuf, ir.TypeCharIovec, ir.TypeNetDevice, ir.TypeFilename, ir.TypeDNS}
	evalPathTypes   = []ir.ArgType{ir.TypeFile, ir.TypePath, ir.TypeDentry, ir.TypeLinuxBinprm}
	evalNetTypes    = []ir.ArgType{ir.TypeSock, ir.TypeSocket, ir.TypeSkb, ir.TypeSockaddr, ir.TypeSockaddrUn}
	evalCapTypes    = []ir.ArgType{ir.TypeKernelCap, ir.TypeCapInheritable, ir.TypeCapPermitted, ir.TypeCapEffective}
)

func evalTypes() []ir.ArgType {
	return slices.Concat(evalIntTypes, evalStringTypes, evalPathTypes, evalNetTypes, evalCapTypes)
}

// typeOp is an operator on an argument type.
type typeOp struct {
	t  ir.ArgType
	op ir.Op
}

func (to typeOp) String() string { return to.op.String() + " on " + to.t.String() }

// allTypeOps is every operator each generated type takes.
func allTypeOps() []typeOp {
	var out []typeOp
	for _, t := range evalTypes() {
		for _, op := range evalOps(t) {
			out = append(out, typeOp{t, op})
		}
	}
	return out
}

// evalOps are the matchArgs operators of t (ir.ArgOps), but Equal and
// NotEqual on sockets and packets, which have no value to compare.
func evalOps(t ir.ArgType) []ir.Op {
	var out []ir.Op
	for _, op := range ir.ArgOps(t) {
		if t.Class() == ir.ClassNet && (op == ir.OpEqual || op == ir.OpNotEqual) {
			continue
		}
		out = append(out, op)
	}
	return out
}

// policyGen makes random policies and remembers which operator and type
// pairs were tested; queue holds every pair, in the order arguments get
// their types, so that all are covered.
type policyGen struct {
	r       *rand.Rand
	pid     int
	queue   []typeOp
	next    int
	covered map[typeOp]int
	// files are the identities of files of this machine by path, which
	// SameFile values name (hostFiles); nil leaves SameFile out.
	files map[string]ir.FileID
	// noLoop: the kernel has no bpf_loop, and the programs' fallbacks
	// walk at most their bounds (noloop.go): events stay within them
	// (paths of at most kern.PathStepsNoLoop components, at most
	// iovecStepsNoLoop iovec entries); TestDeepPath tests a walk that
	// reaches its bound.
	noLoop bool
}

// hostFiles identifies, by stat(2) as the kernel numbers devices, the
// files SameFile values name: directories every machine, the vmtest
// guest included, has. The loader identifies them on its own when it
// fills the bundle's maps (loadSpecIn), so the two must agree.
func hostFiles(t *testing.T) map[string]ir.FileID {
	out := map[string]ir.FileID{}
	for _, p := range []string{"/", "/proc", "/sys", "/dev"} {
		var st unix.Stat_t
		if err := unix.Stat(p, &st); err != nil {
			t.Logf("SameFile values: %s: %v", p, err)
			continue
		}
		out[p] = ir.FileID{Ino: st.Ino, Dev: unix.Major(st.Dev)<<20 | unix.Minor(st.Dev)}
	}
	return out
}

// filePaths are the paths of g.files, sorted.
func (g *policyGen) filePaths() []string {
	out := make([]string, 0, len(g.files))
	for p := range g.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// evalArg is one argument of a generated policy, with the values its
// filters use, from which events are drawn near the edges.
type evalArg struct {
	index  int
	typ    ir.ArgType
	sizeOf int // char_buf, char_iovec: the index of its size argument
	ints   []int64
	strs   []string
	nets   []netip.Prefix
	ports  []int64
	nums   []int64 // protocols, families, states
	caps   []uint64
}

// genPolicy is a generated policy.
type genPolicy struct {
	yaml string
	args []*evalArg // by index
}

func (g *policyGen) pick(n int) int { return g.r.IntN(n) }

// policy makes the n-th random policy.
func (g *policyGen) policy(n int) *genPolicy {
	r := g.r
	p := &genPolicy{}
	// Up to five arguments: Tetragon, and so polc, reads a raw
	// tracepoint's indexes 0 to 4.
	nargs := 1 + r.IntN(5)
	// Each argument takes its type from the queue of operator and type
	// pairs, and a selector tests it with the pair's operator: a few dozen
	// policies test every pair.
	var forced []typeOp
	for i := 0; i < nargs; i++ {
		to := g.queue[g.next%len(g.queue)]
		g.next++
		forced = append(forced, to)
	}
	// A CelExpr names its arguments by positions from 0, all of integer
	// types CEL has (celExpr): the arguments it is forced on come first.
	slices.SortStableFunc(forced, func(a, b typeOp) int {
		return cmp.Compare(b2i(a.op != ir.OpCelExpr), b2i(b.op != ir.OpCelExpr))
	})
	for i, to := range forced {
		p.args = append(p.args, &evalArg{index: i, typ: to.t, sizeOf: -1})
	}
	// A char_buf's size and a char_iovec's count are an integer argument;
	// a policy without one reads them as strings.
	for _, a := range p.args {
		if !a.typ.IsBuffer() {
			continue
		}
		var sizes []int
		for _, b := range p.args {
			if b.typ.IsInteger() && b.typ != ir.TypeSyscall64 && b.typ != ir.TypeCapability {
				sizes = append(sizes, b.index)
			}
		}
		if len(sizes) == 0 && nargs < 5 {
			b := &evalArg{index: nargs, typ: []ir.ArgType{ir.TypeInt, ir.TypeUint32, ir.TypeSizeT, ir.TypeInt16}[r.IntN(4)], sizeOf: -1}
			p.args = append(p.args, b)
			nargs++
			sizes = append(sizes, b.index)
		}
		if len(sizes) == 0 {
			a.typ = ir.TypeString
			continue
		}
		a.sizeOf = sizes[r.IntN(len(sizes))]
	}

	var y strings.Builder
	fmt.Fprintf(&y, "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: eval-%d\nspec:\n", n)
	y.WriteString("  tracepoints:\n  - subsystem: polc\n    event: eval\n    raw: true\n    args:\n")
	for _, a := range p.args {
		fmt.Fprintf(&y, "    - index: %d\n      type: %q\n", a.index, a.typ)
		if a.sizeOf >= 0 {
			fmt.Fprintf(&y, "      sizeArgIndex: %d\n", a.sizeOf+1)
		}
	}
	y.WriteString("    selectors:\n")
	nsel := 1 + r.IntN(3)
	for s := 0; s < nsel; s++ {
		var filters []string
		for i, to := range forced {
			if i%nsel == s && slices.Contains(evalOps(p.args[i].typ), to.op) {
				filters = append(filters, g.filter(p, p.args[i], to.op))
			}
		}
		for k := r.IntN(4); k > 0; k-- {
			a := p.args[r.IntN(len(p.args))]
			ops := evalOps(a.typ)
			filters = append(filters, g.filter(p, a, ops[r.IntN(len(ops))]))
		}
		filters = slices.DeleteFunc(filters, func(f string) bool { return f == "" })
		g.selector(&y, filters)
	}
	if r.IntN(3) == 0 {
		y.WriteString("    - matchActions:\n      - action: Post\n") // matches every event
	}
	p.yaml = y.String()
	return p
}

// selector writes one selector with its argument filters, sometimes a
// matchPIDs filter on this process and a NoPost action.
func (g *policyGen) selector(y *strings.Builder, filters []string) {
	r := g.r
	y.WriteString("    - ")
	indent := ""
	if r.IntN(5) == 0 {
		op := []string{"In", "NotIn"}[r.IntN(2)]
		pid := []int{g.pid, 1}[r.IntN(2)]
		fmt.Fprintf(y, "matchPIDs:\n      - operator: %s\n        values: [%d]\n", op, pid)
		indent = "      "
	}
	if len(filters) > 0 {
		fmt.Fprintf(y, "%smatchArgs:\n", indent)
		for _, f := range filters {
			y.WriteString(f)
		}
		indent = "      "
	}
	action := "Post"
	if r.IntN(8) == 0 {
		action = "NoPost"
	}
	fmt.Fprintf(y, "%smatchActions:\n      - action: %s\n", indent, action)
}

// filter writes one matchArgs entry testing a with op, and keeps its
// values for the events. It returns "" when op cannot be written (a
// CapabilitiesGained without a second capability argument).
func (g *policyGen) filter(p *genPolicy, a *evalArg, op ir.Op) string {
	r := g.r
	var vals []string
	extra := ""
	n := 1 + r.IntN(4)
	if r.IntN(4) == 0 {
		n = 5 + r.IntN(10) // enough for a map
	}
	switch c := a.typ.Class(); {
	case op == ir.OpCelExpr:
		expr, ok := g.celExpr(p, a)
		if !ok {
			return ""
		}
		g.covered[typeOp{a.typ, op}]++
		args := make([]string, a.index+1)
		for i := range args {
			args[i] = strconv.Itoa(i)
		}
		return fmt.Sprintf("      - index: 0\n        operator: CelExpr\n        args: [%s]\n        values: [%s]\n",
			strings.Join(args, ", "), strconv.Quote(expr))
	case op == ir.OpCapabilitiesGained:
		var others []int
		for _, b := range p.args {
			if b.typ.Class() == ir.ClassCaps {
				others = append(others, b.index)
			}
		}
		old := others[r.IntN(len(others))]
		extra = fmt.Sprintf("        args: [%d, %d]\n", a.index, old)
		n = 0
	case !op.TakesValues():
		n = 0
	case op == ir.OpFileType || op == ir.OpNotFileType:
		n = min(n, 4)
		for range n {
			vals = append(vals, strconv.Quote(fileTypeNames[r.IntN(len(fileTypeNames))]))
		}
	case op == ir.OpSameFile || op == ir.OpNotSameFile:
		paths := g.filePaths()
		n = min(n, len(paths))
		for range n {
			vals = append(vals, strconv.Quote(paths[r.IntN(len(paths))]))
		}
	case op == ir.OpSubString || op == ir.OpSubStringIgnCase:
		for range n {
			s := g.str(a, false)
			s = s[:min(len(s), ir.MaxSubStringLen)]
			a.strs = append(a.strs, s)
			if op == ir.OpSubStringIgnCase {
				s = randomCase(r, s)
			}
			vals = append(vals, strconv.Quote(s))
		}
	case op == ir.OpFamily:
		for range n {
			vals = append(vals, g.netValue(a, op))
		}
	case c == ir.ClassInt:
		for range n {
			vals = append(vals, g.intValue(a, op))
		}
	case c == ir.ClassString || c == ir.ClassPath:
		for range n {
			s := g.str(a, c == ir.ClassPath)
			a.strs = append(a.strs, s)
			vals = append(vals, strconv.Quote(s))
		}
	case c == ir.ClassNet:
		for range n {
			vals = append(vals, g.netValue(a, op))
		}
	case c == ir.ClassCaps:
		for range n {
			m := g.capMask(a)
			a.caps = append(a.caps, m)
			vals = append(vals, capSpelling(r, m))
		}
	}
	g.covered[typeOp{a.typ, op}]++
	var b strings.Builder
	fmt.Fprintf(&b, "      - index: %d\n        operator: %s\n", a.index, op)
	if len(vals) > 0 {
		fmt.Fprintf(&b, "        values: [%s]\n", strings.Join(vals, ", "))
	}
	b.WriteString(extra)
	return b.String()
}

// intValue is a filter value of an integer argument, written as a policy
// would; ranges for InRange and sometimes for InMap.
func (g *policyGen) intValue(a *evalArg, op ir.Op) string {
	r := g.r
	t := a.typ
	v := g.edgeInt(a)
	switch op {
	case ir.OpMask:
		bits := t.Size() * 8
		m := uint64(v)
		if bits < 64 {
			m &= 1<<bits - 1
		}
		a.ints = append(a.ints, int64(m))
		return fmt.Sprintf("%#x", m)
	case ir.OpInRange, ir.OpNotInRange, ir.OpInMap, ir.OpNotInMap:
		if op == ir.OpInRange || op == ir.OpNotInRange || r.IntN(3) == 0 {
			w := g.edgeInt(a)
			if ir.CompareInts(v, w, t.Signed()) > 0 {
				v, w = w, v
			}
			return intSpelling(r, t, v) + ":" + intSpelling(r, t, w)
		}
	}
	return intSpelling(r, t, v)
}

// edgeInt is a value of a's integer type near the interesting ones: its
// limits, 0, ±1, the values other filters use, or any; it is kept.
func (g *policyGen) edgeInt(a *evalArg) int64 {
	r := g.r
	t := a.typ
	lo, hi := typeRange(t)
	var v int64
	switch k := r.IntN(12); {
	case k < 3 && len(a.ints) > 0:
		v = a.ints[r.IntN(len(a.ints))] + int64(r.IntN(3)-1)
	case k < 4:
		v = lo
	case k < 5:
		v = hi
	case k < 7:
		v = int64(r.IntN(5) - 2)
	case k < 8:
		v = lo + 1
	case k < 9:
		v = hi - 1
	default:
		v = int64(r.Uint64())
	}
	v = ir.FitInt(t, v)
	a.ints = append(a.ints, v)
	return v
}

// intSpelling writes v of type t as decimal, hex or octal, and a
// capability by name when it has one.
func intSpelling(r *rand.Rand, t ir.ArgType, v int64) string {
	if t == ir.TypeCapability && r.IntN(2) == 0 {
		for name, n := range ir.Capabilities {
			if int64(n) == v {
				return name
			}
		}
	}
	if t.Signed() {
		if v >= 0 && r.IntN(3) == 0 {
			return fmt.Sprintf("%#x", v)
		}
		return strconv.FormatInt(v, 10)
	}
	u := uint64(v)
	if t.Size() < 8 {
		u &= 1<<(8*t.Size()) - 1
	}
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("%#x", u)
	case 1:
		return fmt.Sprintf("0o%o", u)
	}
	return strconv.FormatUint(u, 10)
}

// str is a string value: short, empty, long, or made from another value
// (a prefix, a suffix, an extension). Paths start with "/" and have no
// empty components, as a path walk writes them.
func (g *policyGen) str(a *evalArg, path bool) string {
	r := g.r
	maxLen := ir.MaxMatchLen
	switch a.typ {
	case ir.TypeNetDevice:
		maxLen = 15 // IFNAMSIZ less the NUL
	case ir.TypeSockaddrUn:
		maxLen = ir.MaxUnixPathLen
	}
	var s string
	if len(a.strs) > 0 && r.IntN(3) == 0 {
		s = a.strs[r.IntN(len(a.strs))]
		switch r.IntN(4) {
		case 0:
			if len(s) > 0 {
				s = s[:r.IntN(len(s))]
			}
		case 1:
			if len(s) > 0 {
				s = s[r.IntN(len(s)):]
			}
		case 2:
			s += randWord(r, 1+r.IntN(6))
		case 3:
			s = randWord(r, 1+r.IntN(3)) + s
		}
	} else {
		n := r.IntN(10)
		switch r.IntN(25) {
		case 0:
			n = 0
		case 1:
			n = 200 + r.IntN(300)
		case 2:
			n = 3000 + r.IntN(1100)
		}
		s = randWord(r, n)
	}
	if path {
		s = cleanPath(s, g.maxComponents())
	}
	if len(s) > maxLen {
		s = s[:maxLen]
	}
	return s
}

// maxComponents bounds the components of a path: 0, none.
func (g *policyGen) maxComponents() int {
	if g.noLoop {
		return kern.PathStepsNoLoop
	}
	return 0
}

// randWord is n bytes of a small alphabet, so that values share prefixes
// and suffixes often.
func randWord(r *rand.Rand, n int) string {
	const alphabet = "/abet.c-"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// cleanPath makes s a path a walk of dentries can produce: "/" and
// non-empty components of at most NAME_MAX bytes joined by single slashes,
// the last max of them when max is not 0.
func cleanPath(s string, max int) string {
	var parts []string
	for _, c := range strings.Split(s, "/") {
		for len(c) > 255 {
			parts, c = append(parts, c[:255]), c[255:]
		}
		if c != "" {
			parts = append(parts, c)
		}
	}
	if max > 0 && len(parts) > max {
		parts = parts[len(parts)-max:]
	}
	return "/" + strings.Join(parts, "/")
}

// fileTypeNames are Tetragon's FileType spellings, sorted.
var fileTypeNames = func() []string {
	out := make([]string, 0, len(ir.FileTypes))
	for k := range ir.FileTypes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}()

// randomCase turns some ASCII letters of s to upper case.
func randomCase(r *rand.Rand, s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' && r.IntN(2) == 0 {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// Ports, protocols, families and states filters and events use.
var (
	edgePorts      = []int64{0, 1, 22, 53, 1023, 1024, 1025, 8080, 32768, 65534, 65535}
	edgeProtocols  = []int64{0, 1, 6, 17, 58, 132, 136, 255, 256, 262, 65535}
	edgeFamilies   = []int64{0, 1, 2, 3, 10, 11, 16, 17, 44, 65535}
	edgeStates     = []int64{0, 1, 2, 6, 7, 10, 12, 13, 255}
	edgeAddrs      = []string{"0.0.0.0", "127.0.0.1", "10.1.2.3", "192.168.255.255", "255.255.255.255", "::", "::1", "fe80::1", "2001:db8::ff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}
	protocolNames  = sortedNames(ir.Protocols)
	familyNames    = sortedNames(ir.Families)
	tcpStateNames  = sortedNames(ir.TCPStates)
	capabilityList = sortedNames(ir.Capabilities)
)

func sortedNames(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// netValue is a filter value of a socket-like argument.
func (g *policyGen) netValue(a *evalArg, op ir.Op) string {
	r := g.r
	switch op {
	case ir.OpSAddr, ir.OpNotSAddr, ir.OpDAddr, ir.OpNotDAddr:
		p := g.prefix()
		a.nets = append(a.nets, p)
		if p.Bits() == p.Addr().BitLen() && r.IntN(2) == 0 {
			return strconv.Quote(p.Addr().String())
		}
		return strconv.Quote(p.String())
	case ir.OpSPort, ir.OpNotSPort, ir.OpDPort, ir.OpNotDPort:
		return g.numRange(&a.ports, edgePorts, 65535, nil)
	case ir.OpProtocol:
		return g.numRange(&a.nums, edgeProtocols, 65535, ir.Protocols)
	case ir.OpFamily:
		return g.numRange(&a.nums, edgeFamilies, 65535, ir.Families)
	case ir.OpState:
		return g.numRange(&a.nums, edgeStates, 255, ir.TCPStates)
	}
	panic("no values for " + op.String())
}

// numRange is a number, a name for it, or a range, near the edges.
func (g *policyGen) numRange(keep *[]int64, edges []int64, maxVal int64, names map[string]int) string {
	r := g.r
	pickNum := func() int64 {
		if r.IntN(3) == 0 {
			return r.Int64N(maxVal + 1)
		}
		v := edges[r.IntN(len(edges))]
		return min(v, maxVal)
	}
	v := pickNum()
	*keep = append(*keep, v)
	if r.IntN(3) == 0 {
		w := pickNum()
		*keep = append(*keep, w)
		return fmt.Sprintf("%q", fmt.Sprintf("%d:%d", min(v, w), max(v, w)))
	}
	if names != nil && r.IntN(2) == 0 {
		for _, name := range sortedNames(names) {
			if int64(names[name]) == v {
				return strconv.Quote(name)
			}
		}
	}
	return fmt.Sprintf("%q", strconv.FormatInt(v, 10))
}

// prefix is an IPv4 or IPv6 CIDR of any length.
func (g *policyGen) prefix() netip.Prefix {
	r := g.r
	addr := randAddr(r, r.IntN(2) == 0)
	if r.IntN(3) == 0 {
		addr = netip.MustParseAddr(edgeAddrs[r.IntN(len(edgeAddrs))])
	}
	bits := r.IntN(addr.BitLen() + 1)
	p, _ := addr.Prefix(bits)
	return p
}

func randAddr(r *rand.Rand, v4 bool) netip.Addr {
	if v4 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], r.Uint32())
		return netip.AddrFrom4(b)
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], r.Uint64())
	binary.BigEndian.PutUint64(b[8:], r.Uint64())
	return netip.AddrFrom16(b)
}

// capMask is a capability set: one or a few capabilities, none, all.
func (g *policyGen) capMask(a *evalArg) uint64 {
	r := g.r
	switch r.IntN(8) {
	case 0:
		return 0
	case 1:
		return 1<<41 - 1
	case 2:
		return ^uint64(0)
	case 3:
		if len(a.caps) > 0 {
			return a.caps[r.IntN(len(a.caps))]
		}
	}
	m := uint64(1) << r.IntN(41)
	for r.IntN(2) == 0 {
		m |= 1 << r.IntN(41)
	}
	return m
}

// capSpelling writes a set as a number or as names joined by |.
func capSpelling(r *rand.Rand, m uint64) string {
	if m == 0 || m >= 1<<41 || r.IntN(2) == 0 {
		return fmt.Sprintf("%q", fmt.Sprintf("%#x", m))
	}
	var names []string
	for _, name := range capabilityList {
		if m&(1<<ir.Capabilities[name]) != 0 {
			names = append(names, name)
		}
	}
	return strconv.Quote(strings.Join(names, "|"))
}

// compiledPolicy is a generated policy through the compiler and codegen.
type compiledPolicy struct {
	ir   *ir.Policy
	hook *ir.Hook // nil when lowering dropped it
	b    *Bundle
	// ref is the hook before lowering folded it (removed tests that
	// always pass, selectors that never match), the reference semantics.
	ref     *ir.Hook
	refText string
}

// compile checks, lowers and builds p. The generator writes only valid
// policies, so any refusal fails the test.
func (p *genPolicy) compile(t *testing.T) (*compiledPolicy, bool) {
	t.Helper()
	src := compiler.NewSource("eval.yaml", []byte(p.yaml))
	// Built for this machine's architecture (the arm64 guests run it too).
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: arch.Host()})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Errorf("a generated policy does not check: %v\n%s", res.Diagnostics, p.yaml)
		return nil, false
	}
	c := &compiledPolicy{}
	pol, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: arch.Host(), Verify: true, AfterPass: func(pass string, p *ir.Policy) {
		if pass == "normalize" && len(p.Hooks) == 1 {
			c.ref = cloneHook(p.Hooks[0])
			c.refText = (&ir.Policy{Name: p.Name, Hooks: []*ir.Hook{c.ref}}).String()
		}
	}})
	if compiler.Count(diags, compiler.Error) > 0 || c.ref == nil {
		t.Errorf("a generated policy does not lower: %v\n%s", diags, p.yaml)
		return nil, false
	}
	c.ir = pol
	if len(pol.Hooks) == 0 {
		return c, true
	}
	b, err := Build(pol, Options{Source: "eval.yaml", SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }})
	if err != nil {
		t.Errorf("a generated policy does not build: %v\n%s\n%s", err, p.yaml, pol.String())
		return nil, false
	}
	c.hook, c.b = pol.Hooks[0], b
	return c, true
}

// cloneHook copies what later lowering passes may change in place: the
// selectors, their tests and their values.
func cloneHook(h *ir.Hook) *ir.Hook {
	c := *h
	c.Selectors = nil
	for _, s := range h.Selectors {
		sc := *s
		sc.Tests = nil
		for _, t := range s.Tests {
			tc := *t
			tc.Values = slices.Clone(t.Values)
			if t.Map != nil {
				m := *t.Map
				m.Values = slices.Clone(t.Map.Values)
				tc.Map = &m
			}
			sc.Tests = append(sc.Tests, &tc)
		}
		c.Selectors = append(c.Selectors, &sc)
	}
	return &c
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// celExpr is a random CelExpr over the arguments at positions 0 to
// a.index, all of which must have CEL types, that reads a: comparisons
// of sums, casts, literals at the edges and arguments, joined with &&,
// || and !, at most three levels deep (within ir.CelMaxRegs). Its
// literals join the arguments' values, so that events draw near them.
func (g *policyGen) celExpr(p *genPolicy, a *evalArg) (string, bool) {
	args := p.args[:a.index+1]
	for _, b := range args {
		if _, ok := ir.CelTypeOf(b.typ); !ok {
			return "", false
		}
	}
	at, _ := ir.CelTypeOf(a.typ)
	c := &celGen{g: g, args: args}
	left := fmt.Sprintf("arg%d", a.index)
	if g.r.IntN(2) == 0 {
		// Arithmetic on the argument, which wraps at its edges.
		left = fmt.Sprintf("(%s %s %s)", left, []string{"+", "-"}[g.r.IntN(2)], c.literal(at, nil))
	}
	e := fmt.Sprintf("%s %s %s", left, c.cmpOp(at), c.intExpr(at, 2, a))
	for k := g.r.IntN(3); k > 0; k-- {
		switch g.r.IntN(3) {
		case 0:
			e = "(" + e + ") && " + c.boolExpr(2)
		case 1:
			e = c.boolExpr(2) + " || (" + e + ")"
		default:
			e = "!(" + e + ")"
		}
	}
	return e, true
}

type celGen struct {
	g    *policyGen
	args []*evalArg
}

func (c *celGen) cmpOp(t ir.CelType) string {
	ops := []string{"==", "!=", "<", "<=", ">", ">="}
	if t == ir.CelBool {
		ops = ops[:2]
	}
	return ops[c.g.r.IntN(len(ops))]
}

func (c *celGen) boolExpr(depth int) string {
	r := c.g.r
	if depth == 0 || r.IntN(2) == 0 {
		switch r.IntN(6) {
		case 0:
			return []string{"true", "false"}[r.IntN(2)]
		default:
			b := c.args[r.IntN(len(c.args))]
			t, _ := ir.CelTypeOf(b.typ)
			return fmt.Sprintf("arg%d %s %s", b.index, c.cmpOp(t), c.intExpr(t, depth-1, b))
		}
	}
	switch r.IntN(3) {
	case 0:
		return "(" + c.boolExpr(depth-1) + " && " + c.boolExpr(depth-1) + ")"
	case 1:
		return "(" + c.boolExpr(depth-1) + " || " + c.boolExpr(depth-1) + ")"
	}
	return "!(" + c.boolExpr(depth-1) + ")"
}

// intExpr is an integer expression of type t near the values of near.
func (c *celGen) intExpr(t ir.CelType, depth int, near *evalArg) string {
	r := c.g.r
	var same []*evalArg
	for _, b := range c.args {
		if bt, _ := ir.CelTypeOf(b.typ); bt == t {
			same = append(same, b)
		}
	}
	switch k := r.IntN(6); {
	case depth > 0 && k < 2:
		op := []string{"+", "-"}[r.IntN(2)]
		return "(" + c.intExpr(t, depth-1, near) + " " + op + " " + c.intExpr(t, depth-1, near) + ")"
	case depth > 0 && k == 2 && (t == ir.CelS32 || t == ir.CelU32):
		// A cast of a 64-bit value: truncated.
		wide, fn := ir.CelInt, "int32"
		if t == ir.CelU32 {
			wide, fn = ir.CelUint, "uint32"
		}
		return fn + "(" + c.intExpr(wide, depth-1, nil) + ")"
	case k == 3 && len(same) > 0:
		return fmt.Sprintf("arg%d", same[r.IntN(len(same))].index)
	}
	return c.literal(t, near)
}

// literal is a literal of type t: an edge of t or, when near is of type
// t, one of its values (kept for the events) give or take a little.
func (c *celGen) literal(t ir.CelType, near *evalArg) string {
	r := c.g.r
	var v int64
	if nt, ok := ir.CelTypeOf(typeOrInvalid(near)); ok && nt == t && r.IntN(3) > 0 {
		v = c.g.edgeInt(near)
		if r.IntN(2) == 0 {
			v += int64(r.IntN(21) - 10)
		}
	} else {
		edges := []int64{0, 1, -1, 2, 10, math.MaxInt32, math.MinInt32, math.MaxUint32, math.MaxInt64, math.MinInt64}
		v = edges[r.IntN(len(edges))]
		if r.IntN(3) == 0 {
			v = int64(r.Uint64())
		}
	}
	v = t.Fit(v)
	switch t {
	case ir.CelS32:
		return fmt.Sprintf("int32(%d)", v)
	case ir.CelU32:
		return fmt.Sprintf("uint32(%du)", uint64(v))
	case ir.CelUint:
		if r.IntN(2) == 0 {
			return fmt.Sprintf("%#xu", uint64(v))
		}
		return fmt.Sprintf("%du", uint64(v))
	}
	if v >= 0 && r.IntN(3) == 0 {
		return fmt.Sprintf("%#x", v)
	}
	return strconv.FormatInt(v, 10)
}

func typeOrInvalid(a *evalArg) ir.ArgType {
	if a == nil {
		return ir.TypeInvalid
	}
	return a.typ
}
