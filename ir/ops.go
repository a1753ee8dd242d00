package ir

import "fmt"

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
	numOps
)

var opNames = [numOps]string{
	OpInvalid: "invalid", OpEqual: "Equal", OpNotEqual: "NotEqual", OpPrefix: "Prefix",
	OpNotPrefix: "NotPrefix", OpPostfix: "Postfix", OpNotPostfix: "NotPostfix", OpGT: "GT",
	OpLT: "LT", OpMask: "Mask", OpInMap: "InMap", OpNotInMap: "NotInMap", OpInRange: "InRange",
	OpNotInRange: "NotInRange", OpSAddr: "SAddr", OpNotSAddr: "NotSAddr", OpDAddr: "DAddr",
	OpNotDAddr: "NotDAddr", OpSPort: "SPort", OpNotSPort: "NotSPort", OpDPort: "DPort",
	OpNotDPort: "NotDPort", OpSPortPriv: "SPortPriv", OpNotSPortPriv: "NotSPortPriv",
	OpDPortPriv: "DPortPriv", OpNotDPortPriv: "NotDPortPriv", OpProtocol: "Protocol",
	OpFamily: "Family", OpState: "State", OpCapabilitiesGained: "CapabilitiesGained",
	OpIn: "In", OpNotIn: "NotIn",
}

func (o Op) String() string {
	if o < numOps {
		return opNames[o]
	}
	return "invalid"
}

// opSpellings lists every spelling Tetragon's selector parser accepts
// (pkg/selectors SelectorOp), so that existing policies keep working.
var opSpellings = map[string]Op{
	"gt": OpGT, "GT": OpGT, "GreaterThan": OpGT,
	"lt": OpLT, "LT": OpLT, "LessThan": OpLT,
	"eq": OpEqual, "Equal": OpEqual,
	"neq": OpNotEqual, "NotEqual": OpNotEqual,
	"In": OpIn, "NotIn": OpNotIn,
	"prefix": OpPrefix, "Prefix": OpPrefix,
	"notprefix": OpNotPrefix, "NotPrefix": OpNotPrefix,
	"postfix": OpPostfix, "Postfix": OpPostfix,
	"notpostfix": OpNotPostfix, "NotPostfix": OpNotPostfix,
	"InMap": OpInMap, "NotInMap": OpNotInMap,
	"mask": OpMask, "Mask": OpMask,
	"saddr": OpSAddr, "Saddr": OpSAddr, "SAddr": OpSAddr,
	"daddr": OpDAddr, "Daddr": OpDAddr, "DAddr": OpDAddr,
	"notsaddr": OpNotSAddr, "NotSaddr": OpNotSAddr, "NotSAddr": OpNotSAddr,
	"notdaddr": OpNotDAddr, "NotDaddr": OpNotDAddr, "NotDAddr": OpNotDAddr,
	"sport": OpSPort, "Sport": OpSPort, "SPort": OpSPort,
	"dport": OpDPort, "Dport": OpDPort, "DPort": OpDPort,
	"protocol": OpProtocol, "Protocol": OpProtocol,
	"notsport": OpNotSPort, "NotSport": OpNotSPort, "NotSPort": OpNotSPort,
	"notdport": OpNotDPort, "NotDport": OpNotDPort, "NotDPort": OpNotDPort,
	"sportpriv": OpSPortPriv, "SportPriv": OpSPortPriv, "SPortPriv": OpSPortPriv,
	"dportpriv": OpDPortPriv, "DportPriv": OpDPortPriv, "DPortPriv": OpDPortPriv,
	"notsportpriv": OpNotSPortPriv, "NotSportPriv": OpNotSPortPriv, "NotSPortPriv": OpNotSPortPriv,
	"notdportpriv": OpNotDPortPriv, "NotDportPriv": OpNotDPortPriv, "NotDPortPriv": OpNotDPortPriv,
	"family": OpFamily, "Family": OpFamily,
	"state": OpState, "State": OpState,
	"CapabilitiesGained": OpCapabilitiesGained,
	"InRange":            OpInRange, "NotInRange": OpNotInRange,
}

// ParseOp returns the operator spelled s.
func ParseOp(s string) (Op, bool) {
	o, ok := opSpellings[s]
	return o, ok
}

// Negated reports whether o is the "Not" form of a test, whose values are
// ANDed (arg != a AND arg != b) rather than ORed.
func (o Op) Negated() bool {
	switch o {
	case OpNotEqual, OpNotPrefix, OpNotPostfix, OpNotInMap, OpNotInRange, OpNotSAddr,
		OpNotDAddr, OpNotSPort, OpNotDPort, OpNotSPortPriv, OpNotDPortPriv, OpNotIn:
		return true
	}
	return false
}

// TakesValues reports whether o needs a non-empty values list.
func (o Op) TakesValues() bool {
	switch o {
	case OpSPortPriv, OpNotSPortPriv, OpDPortPriv, OpNotDPortPriv, OpCapabilitiesGained:
		return false
	}
	return true
}

// ArgOps lists the operators matchArgs accepts for t, for hints.
func ArgOps(t ArgType) []Op {
	var ops []Op
	for o := OpEqual; o < OpIn; o++ {
		if argOpAllowed(o, t) {
			ops = append(ops, o)
		}
	}
	return ops
}

// argOpAllowed is the operator/type table of matchArgs.
func argOpAllowed(o Op, t ArgType) bool {
	c := t.Class()
	switch o {
	case OpEqual, OpNotEqual:
		return c != ClassNone
	case OpPrefix, OpNotPrefix, OpPostfix, OpNotPostfix:
		return c == ClassString || c == ClassPath
	case OpGT, OpLT, OpMask, OpInMap, OpNotInMap, OpInRange, OpNotInRange:
		return c == ClassInt
	case OpCapabilitiesGained:
		return c == ClassCaps
	case OpSAddr, OpNotSAddr, OpSPort, OpNotSPort, OpSPortPriv, OpNotSPortPriv, OpFamily:
		return c == ClassNet
	case OpDAddr, OpNotDAddr, OpDPort, OpNotDPort, OpDPortPriv, OpNotDPortPriv, OpProtocol:
		return c == ClassNet && t != TypeSockaddr
	case OpState:
		return t == TypeSock || t == TypeSocket
	}
	return false
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
	case t == TypeSockaddr && c == ClassNet:
		return fmt.Errorf("a sockaddr holds one address: it supports SAddr, SPort, their Not and Priv forms, and Family, not %s", o)
	case o == OpState && c == ClassNet:
		return fmt.Errorf("State is the TCP state of a socket: it applies to sock and socket arguments, not %s", t)
	}
	return fmt.Errorf("operator %s does not apply to type %s", o, t)
}
