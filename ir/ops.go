package ir

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Op is a normalized filter operator. Policies spell operators several ways
// (Tetragon accepts "GT", "gt" and "GreaterThan"); lowering keeps only the Op.
type Op uint8

const (
	OpInvalid Op = iota
	OpEqual
	OpNotEqual
	OpPrefix
	OpNotPrefix
	OpPostfix
	OpNotPostfix
	OpGT
	OpLT
	OpMask
	OpInMap
	OpNotInMap
	OpInRange
	OpNotInRange
	OpSAddr
	OpNotSAddr
	OpDAddr
	OpNotDAddr
	OpSPort
	OpNotSPort
	OpDPort
	OpNotDPort
	OpSPortPriv
	OpNotSPortPriv
	OpDPortPriv
	OpNotDPortPriv
	OpProtocol
	OpFamily
	OpState
	OpCapabilitiesGained
	OpIn    // matchPIDs, matchBinaries, matchNamespaces, matchCapabilities, ...
	OpNotIn //
	OpSubString
	OpSubStringIgnCase
	OpFileType
	OpNotFileType
	OpSameFile
	OpNotSameFile
	OpCelExpr
	numOps
)

// OpInfo declares one operator, once: how policies spell it, which
// argument types matchArgs applies it to, how its values are read and
// what it means. The checks (compiler), lint, fold, the verifier, the
// printer and Eval read these rows; codegen renders each matchArgs
// operator from its own table (codegen/filters.go, argRenders).
// TestOpTable fails while a row lacks a part.
type OpInfo struct {
	Name string
	// Spellings are every spelling Tetragon's selector parser accepts
	// (pkg/selectors SelectorOp), Name among them.
	Spellings []string
	// Negated: the "Not" form of a test, whose values are ANDed (arg != a
	// AND arg != b) rather than ORed.
	Negated bool
	// NoValues: the operator takes no values (SPortPriv, ...).
	NoValues bool
	// HexValues: the printer writes its values in hex (bit masks, modes).
	HexValues bool
	// Aside: the operator tests something other than the argument's value
	// (FileType: the inode's mode; CapabilitiesGained: a second argument),
	// so folding cannot decide it from the values other tests allow.
	Aside bool

	// The rest is for matchArgs and matchReturnArgs operators only; In
	// and NotIn (process filters) leave it empty.

	// Applies reports whether matchArgs can test an argument of type t
	// with the operator.
	Applies func(t ArgType) bool
	// Kinds are the kinds of value a test on type t holds after parsing.
	Kinds func(t ArgType) []ValueKind
	// Parse reads one value, as a policy writes it, for type t; nil when
	// NoValues.
	Parse func(t ArgType, s string) (Value, error)
	// Eval is the operator's meaning: whether test t passes for the
	// argument's value arg (ev: the whole event, for operators reading
	// two arguments; nil for return values).
	Eval func(t *Test, arg ArgValue, ev *Event) (bool, error)
}

// opTable holds every operator's row, by Op. It is filled in init: the
// rows' Eval functions read the table back (Negated).
var opTable [numOps]OpInfo

func init() { opTable = opRows() }

func opRows() [numOps]OpInfo {
	return [numOps]OpInfo{
		OpInvalid: {Name: "invalid"},
		OpEqual: {Name: "Equal", Spellings: []string{"eq", "Equal"},
			Applies: wholeValue,
			Kinds:   equalKinds, Parse: parseEqual, Eval: evalEqual},
		OpNotEqual: {Name: "NotEqual", Spellings: []string{"neq", "NotEqual"}, Negated: true,
			Applies: wholeValue,
			Kinds:   equalKinds, Parse: parseEqual, Eval: evalEqual},
		OpPrefix: {Name: "Prefix", Spellings: []string{"prefix", "Prefix"},
			Applies: stringOrPath, Kinds: kinds(ValString), Parse: parseString, Eval: evalString},
		OpNotPrefix: {Name: "NotPrefix", Spellings: []string{"notprefix", "NotPrefix"}, Negated: true,
			Applies: stringOrPath, Kinds: kinds(ValString), Parse: parseString, Eval: evalString},
		OpPostfix: {Name: "Postfix", Spellings: []string{"postfix", "Postfix"},
			Applies: postfixTypes, Kinds: kinds(ValString), Parse: parseString, Eval: evalString},
		OpNotPostfix: {Name: "NotPostfix", Spellings: []string{"notpostfix", "NotPostfix"}, Negated: true,
			Applies: postfixTypes, Kinds: kinds(ValString), Parse: parseString, Eval: evalString},
		OpGT: {Name: "GT", Spellings: []string{"gt", "GT", "GreaterThan"},
			Applies: integer, Kinds: kinds(ValInt), Parse: parseTypedInt, Eval: evalCompare},
		OpLT: {Name: "LT", Spellings: []string{"lt", "LT", "LessThan"},
			Applies: integer, Kinds: kinds(ValInt), Parse: parseTypedInt, Eval: evalCompare},
		OpMask: {Name: "Mask", Spellings: []string{"mask", "Mask"}, HexValues: true,
			Applies: integer, Kinds: kinds(ValInt), Parse: parseMask, Eval: evalMask},
		OpInMap: {Name: "InMap", Spellings: []string{"InMap"},
			Applies: integer, Kinds: kinds(ValInt, ValRange, ValList), Parse: parseInMap, Eval: evalInRange},
		OpNotInMap: {Name: "NotInMap", Spellings: []string{"NotInMap"}, Negated: true,
			Applies: integer, Kinds: kinds(ValInt, ValRange, ValList), Parse: parseInMap, Eval: evalInRange},
		OpInRange: {Name: "InRange", Spellings: []string{"InRange"},
			Applies: integer, Kinds: kinds(ValRange), Parse: parseRange, Eval: evalInRange},
		OpNotInRange: {Name: "NotInRange", Spellings: []string{"NotInRange"}, Negated: true,
			Applies: integer, Kinds: kinds(ValRange), Parse: parseRange, Eval: evalInRange},
		OpSAddr: {Name: "SAddr", Spellings: []string{"saddr", "Saddr", "SAddr"},
			Applies: network, Kinds: kinds(ValPrefix), Parse: parseAddrValue, Eval: evalSock(sockSAddr)},
		OpNotSAddr: {Name: "NotSAddr", Spellings: []string{"notsaddr", "NotSaddr", "NotSAddr"}, Negated: true,
			Applies: network, Kinds: kinds(ValPrefix), Parse: parseAddrValue, Eval: evalSock(sockSAddr)},
		OpDAddr: {Name: "DAddr", Spellings: []string{"daddr", "Daddr", "DAddr"},
			Applies: connected, Kinds: kinds(ValPrefix), Parse: parseAddrValue, Eval: evalSock(sockDAddr)},
		OpNotDAddr: {Name: "NotDAddr", Spellings: []string{"notdaddr", "NotDaddr", "NotDAddr"}, Negated: true,
			Applies: connected, Kinds: kinds(ValPrefix), Parse: parseAddrValue, Eval: evalSock(sockDAddr)},
		OpSPort: {Name: "SPort", Spellings: []string{"sport", "Sport", "SPort"},
			Applies: network, Kinds: kinds(ValRange), Parse: parsePort, Eval: evalSock(sockSPort)},
		OpNotSPort: {Name: "NotSPort", Spellings: []string{"notsport", "NotSport", "NotSPort"}, Negated: true,
			Applies: network, Kinds: kinds(ValRange), Parse: parsePort, Eval: evalSock(sockSPort)},
		OpDPort: {Name: "DPort", Spellings: []string{"dport", "Dport", "DPort"},
			Applies: connected, Kinds: kinds(ValRange), Parse: parsePort, Eval: evalSock(sockDPort)},
		OpNotDPort: {Name: "NotDPort", Spellings: []string{"notdport", "NotDport", "NotDPort"}, Negated: true,
			Applies: connected, Kinds: kinds(ValRange), Parse: parsePort, Eval: evalSock(sockDPort)},
		OpSPortPriv: {Name: "SPortPriv", Spellings: []string{"sportpriv", "SportPriv", "SPortPriv"}, NoValues: true,
			Applies: network, Kinds: kinds(), Eval: evalPortPriv},
		OpNotSPortPriv: {Name: "NotSPortPriv", Spellings: []string{"notsportpriv", "NotSportPriv", "NotSPortPriv"}, NoValues: true,
			Applies: network, Kinds: kinds(), Eval: evalPortPriv},
		OpDPortPriv: {Name: "DPortPriv", Spellings: []string{"dportpriv", "DportPriv", "DPortPriv"}, NoValues: true,
			Applies: connected, Kinds: kinds(), Eval: evalPortPriv},
		OpNotDPortPriv: {Name: "NotDPortPriv", Spellings: []string{"notdportpriv", "NotDportPriv", "NotDPortPriv"}, NoValues: true,
			Applies: connected, Kinds: kinds(), Eval: evalPortPriv},
		OpProtocol: {Name: "Protocol", Spellings: []string{"protocol", "Protocol"},
			Applies: connected, Kinds: kinds(ValRange), Parse: parseProtocol, Eval: evalSock(sockProtocol)},
		OpFamily: {Name: "Family", Spellings: []string{"family", "Family"},
			Applies: hasFamily, Kinds: kinds(ValRange), Parse: parseFamily, Eval: evalSock(sockFamily)},
		OpState: {Name: "State", Spellings: []string{"state", "State"},
			Applies: func(t ArgType) bool { return t == TypeSock || t == TypeSocket },
			Kinds:   kinds(ValRange), Parse: parseState, Eval: evalSock(sockState)},
		OpCapabilitiesGained: {Name: "CapabilitiesGained", Spellings: []string{"CapabilitiesGained"}, NoValues: true, Aside: true,
			Applies: func(t ArgType) bool { return t.Class() == ClassCaps }, Kinds: kinds(), Eval: evalCapsGained},
		OpIn:    {Name: "In", Spellings: []string{"In"}},
		OpNotIn: {Name: "NotIn", Spellings: []string{"NotIn"}, Negated: true},
		OpSubString: {Name: "SubString", Spellings: []string{"SubString"},
			Applies: substringTypes, Kinds: kinds(ValString), Parse: parseSubString, Eval: evalSubString},
		OpSubStringIgnCase: {Name: "SubStringIgnCase", Spellings: []string{"SubStringIgnCase"},
			Applies: substringTypes, Kinds: kinds(ValString), Parse: parseSubString, Eval: evalSubString},
		OpFileType: {Name: "FileType", Spellings: []string{"FileType"}, HexValues: true, Aside: true,
			Applies: fileTypeTypes, Kinds: kinds(ValInt), Parse: parseFileType, Eval: evalFileType},
		OpNotFileType: {Name: "NotFileType", Spellings: []string{"NotFileType"}, Negated: true, HexValues: true, Aside: true,
			Applies: fileTypeTypes, Kinds: kinds(ValInt), Parse: parseFileType, Eval: evalFileType},
		OpSameFile: {Name: "SameFile", Spellings: []string{"samefile", "SameFile"}, Aside: true,
			Applies: fileTypeTypes, Kinds: kinds(ValString), Parse: parseSameFile, Eval: evalSameFile},
		OpNotSameFile: {Name: "NotSameFile", Spellings: []string{"notsamefile", "NotSameFile"}, Negated: true, Aside: true,
			Applies: fileTypeTypes, Kinds: kinds(ValString), Parse: parseSameFile, Eval: evalSameFile},
		OpCelExpr: {Name: "CelExpr", Spellings: []string{"CelExpr"}, Aside: true,
			Applies: celArgType, Kinds: kinds(ValString), Parse: parseCelValue, Eval: evalCel},
	}
}

// The type sets of the rows.
// wholeValue: Equal and NotEqual compare an argument's whole value; a
// socket or address is tested by its fields (SAddr, DPort...), never as a
// whole (codegen has no such comparison, nor Tetragon).
func wholeValue(t ArgType) bool { c := t.Class(); return c != ClassNone && c != ClassNet }

func stringOrPath(t ArgType) bool { c := t.Class(); return c == ClassString || c == ClassPath }

// postfixTypes: Postfix reads the end of a string or path. A sockaddr_un
// is matched on its path by Equal and Prefix (and their Not forms) only,
// the operators Tetragon's sockaddr_un filter has.
func postfixTypes(t ArgType) bool { return stringOrPath(t) && t != TypeSockaddrUn }

// hasFamily: sockets, packets and socket addresses, Unix ones included,
// have an address family.
func hasFamily(t ArgType) bool { return t.Class() == ClassNet || t == TypeSockaddrUn }
func integer(t ArgType) bool   { return t.Class() == ClassInt }
func network(t ArgType) bool   { return t.Class() == ClassNet }

// connected: sockets and packets have both ends; a sockaddr holds one
// address, its source.
func connected(t ArgType) bool { return t.Class() == ClassNet && t != TypeSockaddr }

// substringTypes are those Tetragon's SubString searches (string and
// char_buf, and a dns argument's query name); it writes no values for
// others, so polc refuses them.
func substringTypes(t ArgType) bool { return t == TypeString || t == TypeCharBuf || t == TypeDNS }

// fileTypeTypes are those whose inode FileType, SameFile and their Not
// forms read, as in Tetragon (pkg/selectors refuses SameFile on others:
// "file operators specified for non-file/path type").
func fileTypeTypes(t ArgType) bool { return t == TypeFile || t == TypePath }

func kinds(k ...ValueKind) func(ArgType) []ValueKind {
	return func(ArgType) []ValueKind { return k }
}

func equalKinds(t ArgType) []ValueKind {
	if stringOrPath(t) {
		return []ValueKind{ValString}
	}
	return []ValueKind{ValInt}
}

// Info returns o's row; an unknown Op has an empty one.
func (o Op) Info() OpInfo {
	if o < numOps {
		return opTable[o]
	}
	return OpInfo{}
}

// NumOps is the number of Op values, OpInvalid included (for tables
// indexed by Op elsewhere, and their tests).
const NumOps = int(numOps)

func (o Op) String() string {
	if o < numOps && opTable[o].Name != "" {
		return opTable[o].Name
	}
	return "invalid"
}

// ParseOp returns the operator spelled s: one of the Spellings of its
// row.
func ParseOp(s string) (Op, bool) {
	for o := OpEqual; o < numOps; o++ {
		if slices.Contains(opTable[o].Spellings, s) {
			return o, true
		}
	}
	return OpInvalid, false
}

// Negated reports whether o is the "Not" form of a test, whose values are
// ANDed (arg != a AND arg != b) rather than ORed.
func (o Op) Negated() bool { return o.Info().Negated }

// TakesValues reports whether o needs a non-empty values list.
func (o Op) TakesValues() bool { return o != OpInvalid && o < numOps && !opTable[o].NoValues }

// IsArgOp reports whether o is a matchArgs (and matchReturnArgs) operator.
func (o Op) IsArgOp() bool { return o.Info().Applies != nil }

// ArgOps lists the operators matchArgs accepts for t, for hints.
func ArgOps(t ArgType) []Op {
	var ops []Op
	for o := OpEqual; o < numOps; o++ {
		if argOpAllowed(o, t) {
			ops = append(ops, o)
		}
	}
	return ops
}

// argOpAllowed is the operator/type table of matchArgs.
func argOpAllowed(o Op, t ArgType) bool {
	applies := o.Info().Applies
	return applies != nil && applies(t)
}

// valueKindsOf returns the kinds of value an argument test with o on type
// t holds.
func valueKindsOf(o Op, t ArgType) []ValueKind {
	if k := o.Info().Kinds; k != nil {
		return k(t)
	}
	return nil
}

// CheckArgOp says whether matchArgs (or matchReturnArgs) operator o can test
// an argument of type t, and if not, why.
func CheckArgOp(o Op, t ArgType) error {
	if argOpAllowed(o, t) {
		return nil
	}
	c := t.Class()
	switch {
	case o == OpIn || o == OpNotIn:
		return fmt.Errorf("%s is an operator of matchPIDs, matchBinaries and the namespace and capability filters, not of matchArgs", o)
	case o >= numOps || o == OpInvalid:
		return fmt.Errorf("unknown operator")
	case t == TypeNop:
		return fmt.Errorf("a nop argument is not read, so it cannot be filtered")
	case c == ClassNone:
		return fmt.Errorf("arguments of type %s cannot be filtered", t)
	case (o == OpEqual || o == OpNotEqual) && c == ClassNet:
		return fmt.Errorf("a %s argument is tested by its fields: SAddr, DAddr, SPort, DPort, Family, Protocol and their Not forms, not %s", t, o)
	case t == TypeSockaddr && c == ClassNet:
		return fmt.Errorf("a sockaddr holds one address: it supports SAddr, SPort, their Not and Priv forms, and Family, not %s", o)
	case t == TypeSockaddrUn:
		return fmt.Errorf("a sockaddr_un is tested on its path with Equal, NotEqual, Prefix and NotPrefix, and on its Family, not %s", o)
	case t == TypeDNS:
		return fmt.Errorf("a dns argument is tested on its query name with Equal, Prefix, Postfix, SubString, SubStringIgnCase and their Not forms, not %s", o)
	case o == OpState && c == ClassNet:
		return fmt.Errorf("State is the TCP state of a socket: it applies to sock and socket arguments, not %s", t)
	}
	return fmt.Errorf("operator %s does not apply to type %s", o, t)
}

// OpNames lists the names of every operator of the table, in Op order.
func OpNames() []string {
	var out []string
	for o := OpEqual; o < numOps; o++ {
		out = append(out, opTable[o].Name)
	}
	return slices.Clip(out)
}

// The value parsers of SubString, FileType and SameFile (the others are
// in values.go).

// MaxSubStringLen bounds SubString values as Tetragon does (shorter than
// 100 bytes).
const MaxSubStringLen = 99

// parseSubString reads a SubString value: text without NUL bytes (the
// search ends at the argument's first NUL, as the kernel's strnstr does).
func parseSubString(t ArgType, s string) (Value, error) {
	if len(s) > MaxSubStringLen {
		return Value{}, fmt.Errorf("substring of %d bytes is longer than the %d bytes Tetragon allows", len(s), MaxSubStringLen)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return Value{}, errors.New("a substring cannot hold a NUL byte: the search ends at the argument's first NUL")
	}
	return Value{Kind: ValString, Str: s}, nil
}

// FileTypes are the FileType values Tetragon accepts, as the S_IFMT bits
// of an inode's mode they stand for.
var FileTypes = map[string]int64{
	"sock": 0o140000, "socket": 0o140000,
	"lnk": 0o120000, "link": 0o120000,
	"reg": 0o100000, "regular": 0o100000,
	"blk": 0o060000, "block": 0o060000,
	"dir": 0o040000,
	"chr": 0o020000, "char": 0o020000,
	"fifo": 0o010000, "pipe": 0o010000,
}

// FileTypeMask is S_IFMT: the bits of an inode's mode that give its type.
const FileTypeMask = 0o170000

func parseFileType(_ ArgType, s string) (Value, error) {
	if m, ok := FileTypes[s]; ok {
		return Value{Kind: ValInt, Int: m}, nil
	}
	return Value{}, fmt.Errorf("%q is not a file type: write reg, dir, lnk, chr, blk, fifo or sock (or regular, link, char, block, pipe, socket)", s)
}

// parseSameFile reads a SameFile value: the path of a file on the machine
// that loads the policy, whose identity (inode number and device) polrun
// looks up there at load, as Tetragon does when it loads the policy
// (pkg/selectors identifyFile). polc wants it absolute: a relative path
// would name a file relative to the loader's working directory.
func parseSameFile(_ ArgType, s string) (Value, error) {
	switch {
	case s == "":
		return Value{}, errors.New("a SameFile value is the path of a file on the machine that loads the policy, not empty")
	case strings.IndexByte(s, 0) >= 0:
		return Value{}, errors.New("a path cannot hold a NUL byte")
	case !strings.HasPrefix(s, "/"):
		return Value{}, fmt.Errorf("%q is not an absolute path: SameFile names a file on the machine that loads the policy, which a relative path would look up from the loader's working directory", s)
	}
	return Value{Kind: ValString, Str: s}, nil
}
