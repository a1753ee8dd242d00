package ir

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CelExpr is the value of a CelExpr test: a boolean expression over
// integer arguments in the subset of CEL (the Common Expression
// Language) Tetragon compiles to BPF (pkg/celbpf). argN names the
// argument at the N-th position of the filter's args list. The subset:
//
//   - literals: true, false, integers (int: 10, -10, 0x1f; uint: 10u);
//   - arguments argN, typed from the argument's type: int and int32 are
//     int32, uint32 is uint32, int64 and long are int, uint64 is uint;
//   - int32(x) of an int and uint32(x) of a uint, which truncate;
//   - + and - of two values of one integer type, wrapping at its width;
//   - == and != of two values of one type; <, <=, >, >= of two integers
//     of one type, signed or not as the type is;
//   - &&, || and ! on bools; parentheses.
//
// Anything else (other functions, *, /, -x, ?:, strings, lists, mixing
// types without a cast) is refused, as Tetragon's type checker or code
// generator refuses it.
type CelExpr struct {
	Root *CelNode
	// Slots are the argument slots argN reads, by N; Types their types.
	Slots []int
	Types []ArgType
}

// Clone copies e's slots and types (layout renumbers slots); the tree,
// never modified once checked, is shared. A nil e clones to nil.
func (e *CelExpr) Clone() *CelExpr {
	if e == nil {
		return nil
	}
	return &CelExpr{Root: e.Root, Slots: slices.Clone(e.Slots), Types: slices.Clone(e.Types)}
}

// CelType is the type of a CEL value.
type CelType uint8

const (
	CelBool CelType = iota + 1
	CelS32          // Tetragon's s32: int, int32 arguments, int32()
	CelU32          // u32: uint32 arguments, uint32()
	CelInt          // CEL's int, 64-bit signed: int64, long arguments, int literals
	CelUint         // CEL's uint, 64-bit unsigned: uint64 arguments, uint literals
)

func (t CelType) String() string {
	switch t {
	case CelBool:
		return "bool"
	case CelS32:
		return "int32"
	case CelU32:
		return "uint32"
	case CelInt:
		return "int"
	case CelUint:
		return "uint"
	}
	return "invalid"
}

// Signed reports whether t compares as a signed integer.
func (t CelType) Signed() bool { return t == CelS32 || t == CelInt }

// Fit reduces x to t's canonical 64-bit form: int32 sign-extended,
// uint32 zero-extended, bools 0 or 1.
func (t CelType) Fit(x int64) int64 {
	switch t {
	case CelS32:
		return int64(int32(x))
	case CelU32:
		return int64(uint32(x))
	case CelBool:
		if x != 0 {
			return 1
		}
	}
	return x
}

// CelKind is the kind of a CelNode.
type CelKind uint8

const (
	CelConst CelKind = iota + 1 // Int (bools: 0 or 1)
	CelArg                      // Arg: the N of argN
	CelCall                     // Fn on Args
)

// The functions of CelNode.Fn: CEL's operator names, and the casts.
const (
	CelEq     = "_==_"
	CelNe     = "_!=_"
	CelLt     = "_<_"
	CelLe     = "_<=_"
	CelGt     = "_>_"
	CelGe     = "_>=_"
	CelAdd    = "_+_"
	CelSub    = "_-_"
	CelAnd    = "_&&_"
	CelOr     = "_||_"
	CelNot    = "!_"
	CelInt32  = "int32"
	CelUint32 = "uint32"
)

// CelNode is one node of a checked CEL expression.
type CelNode struct {
	Kind CelKind
	Type CelType
	Int  int64 // CelConst, in Type's canonical form
	Arg  int   // CelArg
	Fn   string
	Args []*CelNode
	Off  int // byte offset in the source, for diagnostics
}

// CelError is an error at byte offset Off (Len bytes) of the
// expression's source.
type CelError struct {
	Off, Len int
	Msg      string
}

func (e *CelError) Error() string { return fmt.Sprintf("column %d: %s", e.Off+1, e.Msg) }

// CelTypeOf is the CEL type Tetragon gives an argument of type t
// (pkg/celbpf typeFromGenTy); false for the types it refuses.
func CelTypeOf(t ArgType) (CelType, bool) {
	switch t {
	case TypeInt, TypeInt32:
		return CelS32, true
	case TypeUint32:
		return CelU32, true
	case TypeInt64, TypeLong:
		return CelInt, true
	case TypeUint64:
		return CelUint, true
	}
	return 0, false
}

// celArgType: the argument types a CelExpr reads.
func celArgType(t ArgType) bool { _, ok := CelTypeOf(t); return ok }

// CelMaxRegs is the number of registers a CelExpr is evaluated in (R0 to
// R5): a deeper expression is refused.
const CelMaxRegs = 6

// ParseCel parses and checks src, whose argN is an argument of type
// types[N]. Errors are *CelError.
func ParseCel(src string, types []ArgType) (*CelExpr, error) {
	toks, err := celLex(src)
	if err != nil {
		return nil, err
	}
	p := &celParser{src: src, toks: toks, types: types}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t, "unexpected %q after the expression", t.text)
	}
	if root.Type != CelBool {
		return nil, &CelError{Off: 0, Len: len(src), Msg: fmt.Sprintf("the expression is of type %s; a CelExpr must be a bool", root.Type)}
	}
	if n := root.Regs(); n > CelMaxRegs {
		return nil, &CelError{Off: 0, Len: len(src), Msg: fmt.Sprintf("the expression needs %d registers to evaluate; polc evaluates a CelExpr in %d: nest less deeply, or split it into several CelExpr filters (ANDed)", n, CelMaxRegs)}
	}
	return &CelExpr{Root: root, Types: types}, nil
}

// Regs is the number of registers evaluating n takes (its Ershov
// number): the deeper operand first, the other in one more register.
func (n *CelNode) Regs() int {
	switch len(n.Args) {
	case 0:
		return 1
	case 1:
		return n.Args[0].Regs()
	}
	a, b := n.Args[0].Regs(), n.Args[1].Regs()
	if a == b {
		return a + 1
	}
	return max(a, b)
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokInt
	tokUint
	tokIdent
	tokOp
)

type celTok struct {
	kind tokKind
	text string
	off  int
	val  uint64 // tokInt, tokUint: the magnitude
}

// celLex splits src into tokens. What CEL has but the subset lacks
// (strings, floats, bytes) is refused here, with its name.
func celLex(src string) ([]celTok, error) {
	var out []celTok
	ops := []string{"==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "!", "(", ")", ",",
		"*", "/", "%", "?", ":", ".", "[", "]", "{", "}", "&", "|", "^", "~", "="}
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '/' && strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			tok, err := celNumber(src, i)
			if err != nil {
				return nil, err
			}
			out = append(out, tok)
			i += len(tok.text)
		case c == '_' || isLetter(c):
			j := i
			for j < len(src) && (src[j] == '_' || isLetter(src[j]) || isDigit(src[j])) {
				j++
			}
			word := src[i:j]
			if j < len(src) && (src[j] == '"' || src[j] == '\'') && strings.ContainsAny(strings.ToLower(word), "rb") && len(word) <= 2 {
				return nil, &CelError{Off: i, Len: j - i + 1, Msg: "strings and bytes are not in Tetragon's CelExpr subset: it compares integer arguments"}
			}
			out = append(out, celTok{kind: tokIdent, text: word, off: i})
			i = j
		case c == '"' || c == '\'' || c == '`':
			return nil, &CelError{Off: i, Len: 1, Msg: "strings are not in Tetragon's CelExpr subset: it compares integer arguments"}
		default:
			op := ""
			for _, o := range ops {
				if strings.HasPrefix(src[i:], o) {
					op = o
					break
				}
			}
			if op == "" {
				return nil, &CelError{Off: i, Len: 1, Msg: fmt.Sprintf("unexpected character %q", rune(c))}
			}
			out = append(out, celTok{kind: tokOp, text: op, off: i})
			i += len(op)
		}
	}
	return append(out, celTok{kind: tokEOF, off: len(src)}), nil
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isHex(c byte) bool    { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// celNumber reads the number at src[i]: decimal or 0x hex digits, a u
// or U suffix for uint. CEL's floats (1.5, 1e3) are refused.
func celNumber(src string, i int) (celTok, error) {
	j, base := i, 10
	if strings.HasPrefix(src[i:], "0x") || strings.HasPrefix(src[i:], "0X") {
		j, base = i+2, 16
		for j < len(src) && isHex(src[j]) {
			j++
		}
	} else {
		for j < len(src) && isDigit(src[j]) {
			j++
		}
	}
	digits := src[i:j]
	if base == 16 {
		digits = src[i+2 : j]
	}
	if base == 10 && j < len(src) && (src[j] == '.' || src[j] == 'e' || src[j] == 'E') || src[i] == '.' {
		k := j
		for k < len(src) && (isDigit(src[k]) || strings.ContainsRune(".eE+-", rune(src[k]))) {
			k++
		}
		return celTok{}, &CelError{Off: i, Len: k - i, Msg: "floating-point numbers are not in Tetragon's CelExpr subset: it compares integers"}
	}
	kind := tokInt
	if j < len(src) && (src[j] == 'u' || src[j] == 'U') {
		kind = tokUint
		j++
	}
	if j < len(src) && (src[j] == '_' || isLetter(src[j]) || isDigit(src[j])) {
		return celTok{}, &CelError{Off: i, Len: j + 1 - i, Msg: fmt.Sprintf("%q is not a number", src[i:j+1])}
	}
	v, err := strconv.ParseUint(digits, base, 64)
	if err != nil || digits == "" {
		return celTok{}, &CelError{Off: i, Len: j - i, Msg: fmt.Sprintf("%s does not fit in 64 bits", src[i:j])}
	}
	return celTok{kind: kind, text: src[i:j], off: i, val: v}, nil
}

type celParser struct {
	src   string
	toks  []celTok
	pos   int
	types []ArgType
}

func (p *celParser) peek() celTok { return p.toks[p.pos] }
func (p *celParser) next() celTok {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

func (p *celParser) isOp(s string) bool { t := p.peek(); return t.kind == tokOp && t.text == s }

func (p *celParser) errAt(t celTok, format string, args ...any) error {
	n := len(t.text)
	if n == 0 {
		n = 1
	}
	return &CelError{Off: t.off, Len: n, Msg: fmt.Sprintf(format, args...)}
}

func (p *celParser) nodeErr(n *CelNode, end int, format string, args ...any) error {
	return &CelError{Off: n.Off, Len: max(1, end-n.Off), Msg: fmt.Sprintf(format, args...)}
}

// expr: CEL's grammar from the top: ?: (refused), ||, &&, the relations
// (==, !=, <, <=, >, >=, in; one level, left to right), + and -, * / %
// (refused), the unary operators, then members and primaries.
func (p *celParser) expr() (*CelNode, error) {
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.isOp("?") {
		return nil, p.errAt(p.peek(), "the conditional ?: is not in Tetragon's CelExpr subset: write the cases as separate selectors")
	}
	return n, nil
}

func (p *celParser) or() (*CelNode, error) {
	return p.binary([]string{"||"}, p.and)
}

func (p *celParser) and() (*CelNode, error) {
	return p.binary([]string{"&&"}, p.relation)
}

func (p *celParser) relation() (*CelNode, error) {
	n, err := p.binary([]string{"==", "!=", "<=", ">=", "<", ">"}, p.sum)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tokIdent && t.text == "in" {
		return nil, p.errAt(t, "in is not in Tetragon's CelExpr subset: it has no lists or maps")
	}
	return n, nil
}

func (p *celParser) sum() (*CelNode, error) {
	return p.binary([]string{"+", "-"}, p.product)
}

func (p *celParser) product() (*CelNode, error) {
	n, err := p.unary()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tokOp && (t.text == "*" || t.text == "/" || t.text == "%") {
		return nil, p.errAt(t, "%s is not among the operators polc compiles (==, !=, <, <=, >, >=, +, -, &&, ||, !: those of Tetragon's first CelExpr; its later CEL compiler adds * and /, which polc does not compile yet)", t.text)
	}
	return n, nil
}

var celOpFns = map[string]string{
	"==": CelEq, "!=": CelNe, "<": CelLt, "<=": CelLe, ">": CelGt, ">=": CelGe,
	"+": CelAdd, "-": CelSub, "&&": CelAnd, "||": CelOr,
}

// binary parses left-associative operators ops over operands sub, and
// checks each call's types.
func (p *celParser) binary(ops []string, sub func() (*CelNode, error)) (*CelNode, error) {
	left, err := sub()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tokOp || !contains(ops, t.text) {
			return left, nil
		}
		p.next()
		right, err := sub()
		if err != nil {
			return nil, err
		}
		n := &CelNode{Kind: CelCall, Fn: celOpFns[t.text], Args: []*CelNode{left, right}, Off: left.Off}
		if err := p.checkCall(n, t); err != nil {
			return nil, err
		}
		left = n
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkCall types a binary operator's call as Tetragon's checker
// environment declares its overloads (pkg/celbpf env.go).
func (p *celParser) checkCall(n *CelNode, op celTok) error {
	a, b := n.Args[0].Type, n.Args[1].Type
	mismatch := func(what string) error {
		hint := ""
		if a != b && a != CelBool && b != CelBool {
			hint = ": cast one side, e.g. int32(10) or uint32(10u), so that both have one type"
		}
		return p.errAt(op, "%s %s between %s and %s%s", op.text, what, a, b, hint)
	}
	switch n.Fn {
	case CelEq, CelNe:
		if a != b {
			return mismatch("compares two values of one type, not")
		}
		n.Type = CelBool
	case CelLt, CelLe, CelGt, CelGe:
		if a != b || a == CelBool {
			return mismatch("compares two integers of one type, not")
		}
		n.Type = CelBool
	case CelAdd, CelSub:
		if a != b || a == CelBool {
			return mismatch("works on two integers of one type, not")
		}
		n.Type = a
	case CelAnd, CelOr:
		if a != CelBool || b != CelBool {
			return mismatch("joins two bools, not")
		}
		n.Type = CelBool
	}
	return nil
}

// unary: ! and - before a member. As CEL's parser does, an even number of
// them cancels out; a single - before an integer literal is part of it.
func (p *celParser) unary() (*CelNode, error) {
	t := p.peek()
	if t.kind != tokOp || t.text != "!" && t.text != "-" {
		return p.member()
	}
	count := 0
	for p.isOp(t.text) {
		p.next()
		count++
	}
	if t.text == "-" && count == 1 && p.peek().kind == tokInt {
		lit := p.next()
		if lit.val > 1<<63 {
			return nil, p.errAt(lit, "-%s does not fit in an int (64-bit signed)", lit.text)
		}
		n := &CelNode{Kind: CelConst, Type: CelInt, Int: -int64(lit.val), Off: t.off}
		return p.suffixes(n)
	}
	n, err := p.member()
	if err != nil {
		return nil, err
	}
	if count%2 == 0 {
		return n, nil
	}
	if t.text == "-" {
		return nil, p.errAt(t, "negation (-x) is not in Tetragon's CelExpr subset: write 0 - x, or a negative literal such as -10")
	}
	if n.Type != CelBool {
		return nil, p.errAt(t, "! negates a bool, not an %s", n.Type)
	}
	return &CelNode{Kind: CelCall, Fn: CelNot, Type: CelBool, Args: []*CelNode{n}, Off: t.off}, nil
}

func (p *celParser) member() (*CelNode, error) {
	n, err := p.primary()
	if err != nil {
		return nil, err
	}
	return p.suffixes(n)
}

// suffixes refuses what may follow a primary in CEL: a field, an index.
func (p *celParser) suffixes(n *CelNode) (*CelNode, error) {
	if t := p.peek(); t.kind == tokOp && (t.text == "." || t.text == "[" || t.text == "{") {
		return nil, p.errAt(t, "%s after a value (fields, indexes, messages) is not in Tetragon's CelExpr subset", t.text)
	}
	return n, nil
}

func (p *celParser) primary() (*CelNode, error) {
	t := p.next()
	switch t.kind {
	case tokEOF:
		return nil, p.errAt(t, "the expression ends where a value is expected")
	case tokInt:
		if t.val > 1<<63-1 {
			return nil, p.errAt(t, "%s does not fit in an int (64-bit signed): write it as a uint, %su", t.text, t.text)
		}
		return &CelNode{Kind: CelConst, Type: CelInt, Int: int64(t.val), Off: t.off}, nil
	case tokUint:
		return &CelNode{Kind: CelConst, Type: CelUint, Int: int64(t.val), Off: t.off}, nil
	case tokIdent:
		return p.ident(t)
	}
	switch t.text {
	case "(":
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		if !p.isOp(")") {
			return nil, p.errAt(p.peek(), "expected ) to close the ( at column %d", t.off+1)
		}
		p.next()
		return n, nil
	case "[":
		return nil, p.errAt(t, "lists are not in Tetragon's CelExpr subset")
	case "{":
		return nil, p.errAt(t, "maps are not in Tetragon's CelExpr subset")
	}
	return nil, p.errAt(t, "unexpected %q where a value is expected", t.text)
}

// ident: true, false, argN, and the casts int32() and uint32().
func (p *celParser) ident(t celTok) (*CelNode, error) {
	if p.isOp("(") {
		return p.call(t)
	}
	switch t.text {
	case "true", "false":
		v := int64(0)
		if t.text == "true" {
			v = 1
		}
		return &CelNode{Kind: CelConst, Type: CelBool, Int: v, Off: t.off}, nil
	case "null":
		return nil, p.errAt(t, "null is not in Tetragon's CelExpr subset")
	}
	if n, ok := strings.CutPrefix(t.text, "arg"); ok && n != "" && (n == "0" || n[0] != '0') && strings.Trim(n, "0123456789") == "" {
		i, err := strconv.Atoi(n)
		if err == nil && i < len(p.types) {
			typ, ok := CelTypeOf(p.types[i])
			if !ok {
				return nil, p.errAt(t, "%s is an argument of type %s; a CelExpr reads int, int32, uint32, int64, long and uint64 arguments, as Tetragon does", t.text, p.types[i])
			}
			return &CelNode{Kind: CelArg, Type: typ, Arg: i, Off: t.off}, nil
		}
		return nil, p.errAt(t, "%s names no argument: args lists %d, so arg0 to arg%d", t.text, len(p.types), len(p.types)-1)
	}
	return nil, p.errAt(t, "undeclared name %s: a CelExpr knows the arguments arg0 to arg%d, named by the positions in args, and true and false", t.text, len(p.types)-1)
}

// call: int32(int) and uint32(uint), the casts Tetragon declares.
func (p *celParser) call(fn celTok) (*CelNode, error) {
	p.next() // (
	var args []*CelNode
	for !p.isOp(")") {
		a, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	if !p.isOp(")") {
		return nil, p.errAt(p.peek(), "expected ) to close the call of %s", fn.text)
	}
	end := p.next()
	n := &CelNode{Kind: CelCall, Fn: fn.text, Args: args, Off: fn.off}
	var want, res CelType
	switch fn.text {
	case CelInt32:
		want, res = CelInt, CelS32
	case CelUint32:
		want, res = CelUint, CelU32
	default:
		return nil, p.nodeErr(n, end.off+1, "function %s is not in the CelExpr subset polc compiles, whose functions are int32() and uint32() "+
			"(those of Tetragon's first CelExpr; its later CEL compiler adds bitwise and shift functions and 8- and 16-bit casts, which polc does not compile yet)", fn.text)
	}
	if len(args) != 1 {
		return nil, p.nodeErr(n, end.off+1, "%s takes one argument, not %d", fn.text, len(args))
	}
	if args[0].Type != want {
		return nil, p.nodeErr(n, end.off+1, "%s converts an %s, not an %s", fn.text, want, args[0].Type)
	}
	n.Type = res
	return n, nil
}

// Eval computes n with argument values args (by N, raw 64-bit as the
// record holds them: Fit reduces them).
func (n *CelNode) Eval(args []int64) (int64, error) {
	switch n.Kind {
	case CelConst:
		return n.Int, nil
	case CelArg:
		if n.Arg < 0 || n.Arg >= len(args) {
			return 0, fmt.Errorf("arg%d: no such argument", n.Arg)
		}
		return n.Type.Fit(args[n.Arg]), nil
	}
	vals := make([]int64, len(n.Args))
	for i, a := range n.Args {
		v, err := a.Eval(args)
		if err != nil {
			return 0, err
		}
		vals[i] = v
	}
	b := func(ok bool) int64 {
		if ok {
			return 1
		}
		return 0
	}
	switch n.Fn {
	case CelNot:
		return 1 - vals[0], nil
	case CelInt32, CelUint32:
		return n.Type.Fit(vals[0]), nil
	case CelAdd:
		return n.Type.Fit(vals[0] + vals[1]), nil
	case CelSub:
		return n.Type.Fit(vals[0] - vals[1]), nil
	case CelAnd:
		return vals[0] & vals[1], nil
	case CelOr:
		return vals[0] | vals[1], nil
	case CelEq:
		return b(vals[0] == vals[1]), nil
	case CelNe:
		return b(vals[0] != vals[1]), nil
	}
	c := CompareInts(vals[0], vals[1], n.Args[0].Type.Signed())
	switch n.Fn {
	case CelLt:
		return b(c < 0), nil
	case CelLe:
		return b(c <= 0), nil
	case CelGt:
		return b(c > 0), nil
	case CelGe:
		return b(c >= 0), nil
	}
	return 0, fmt.Errorf("CEL function %s", n.Fn)
}

// String writes n back in CEL, fully parenthesized.
func (n *CelNode) String() string {
	switch {
	case n.Kind == CelArg:
		return "arg" + strconv.Itoa(n.Arg)
	case n.Kind == CelConst:
		switch n.Type {
		case CelBool:
			return strconv.FormatBool(n.Int != 0)
		case CelUint:
			return strconv.FormatUint(uint64(n.Int), 10) + "u"
		}
		return strconv.FormatInt(n.Int, 10)
	}
	switch n.Fn {
	case CelNot:
		return "!" + n.Args[0].String()
	case CelInt32, CelUint32:
		return n.Fn + "(" + n.Args[0].String() + ")"
	}
	return "(" + n.Args[0].String() + " " + strings.Trim(n.Fn, "_") + " " + n.Args[1].String() + ")"
}

// evalCel: the expression is true for the event's arguments.
func evalCel(t *Test, _ ArgValue, ev *Event) (bool, error) {
	if ev == nil {
		return false, fmt.Errorf("%s tests arguments, not a return value", t.Op)
	}
	if t.Cel == nil || t.Cel.Root == nil {
		return false, fmt.Errorf("%s test without its expression", t.Op)
	}
	args := make([]int64, len(t.Cel.Slots))
	for i, s := range t.Cel.Slots {
		v, err := argValue(ev, s)
		if err != nil {
			return false, err
		}
		args[i] = v.Int
	}
	v, err := t.Cel.Root.Eval(args)
	return v != 0, err
}

// parseCelValue reads a CelExpr value as text; the compiler parses and
// checks it with the types of all the arguments args lists (ParseCel).
func parseCelValue(_ ArgType, s string) (Value, error) {
	if strings.TrimSpace(s) == "" {
		return Value{}, fmt.Errorf("a CelExpr value is an expression, not empty")
	}
	return Value{Kind: ValString, Str: s}, nil
}
