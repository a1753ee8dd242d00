package compiler

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/ir"
)

// tetragonMaxCelExprs is how many CelExpr filters Tetragon compiles per
// hook (pkg/selectors MaxCelExprFunctions, the cel_expr_N functions of
// its BPF programs).
const tetragonMaxCelExprs = 8

// checkCelExpr checks a CelExpr filter: args names the arguments the
// expression reads (argN is the argument at position args[N]), and its
// one value is an expression of the subset of CEL Tetragon compiles
// (ir.CelExpr), parsed and type-checked here with those arguments' types.
// Errors in the expression point at its column.
func (c *checker) checkCelExpr(h *hookView, f *ArgFilter, what string) {
	opNode := fieldOr(f.At, "operator")
	if what != "matchArgs" {
		c.errorf(opNode, "unsupported", "test the arguments in matchArgs",
			"CelExpr in %s is not supported by polc: it compiles CelExpr over the hook's arguments, in matchArgs", what)
		return
	}
	h.celExprs++
	if h.celExprs == tetragonMaxCelExprs+1 {
		c.compatf(opNode, "compat-celexpr", "Tetragon compiles at most %d CelExpr filters per hook; this is the %dth", tetragonMaxCelExprs, h.celExprs)
	}
	if len(f.Args) == 0 {
		c.errorf(opNode, "bad-operator", "list the arguments the expression reads, e.g. args: [0, 1] for arg0 and arg1",
			"CelExpr reads the arguments args lists: arg0 is the one at the first position, arg1 at the second, ...")
		return
	}
	types := make([]ir.ArgType, len(f.Args))
	ok := true
	for i, pos := range f.Args {
		n := valueNode(f.At, "args", i)
		if pos < 0 || pos >= len(h.hook.Args) {
			c.errorf(n, "unknown-arg", argsPositionHint(h),
				"args entry %d is not a position in the hook's args (it declares %d)", pos, len(h.hook.Args))
			ok = false
			continue
		}
		t := h.types[h.hook.Args[pos]]
		switch {
		case t == ir.TypeInvalid:
			ok = false // reported with the argument
		case t == ir.TypeAuto:
			c.errorf(n, "unsupported", `declare the field's type, e.g. type: "int"`,
				"CelExpr types arg%d from its declared type; the field at position %d has none", i, pos)
			ok = false
		case ir.CheckArgOp(ir.OpCelExpr, t) != nil:
			c.errorf(n, "bad-arg-type", "CelExpr reads int, int32 (as int32), uint32, int64, long (as int) and uint64 (as uint) arguments, as Tetragon types them",
				"arg%d, at position %d, is of type %s, which Tetragon's CEL environment has no type for", i, pos, t)
			ok = false
		}
		types[i] = t
	}
	if len(f.Values) == 0 {
		c.errorf(fieldOr(f.At, "values"), "missing-values", "write the expression as the filter's one value",
			"CelExpr takes one expression, and this filter has none: Tetragon refuses it (addMatchCelExpr: only a single CelExpr value is supported)")
		return
	}
	if !ok {
		return
	}
	if len(f.Values) > 1 {
		c.errorf(valueNode(f.At, "values", 1), "bad-value", "write one filter per expression (filters are ANDed), or join them with || in one",
			"CelExpr takes one expression: Tetragon refuses more (addMatchCelExpr: only a single CelExpr value is supported)")
		return
	}
	vn := valueNode(f.At, "values", 0)
	e, err := ir.ParseCel(f.Values[0], types)
	if err == nil {
		err = celArgsAgree(e, f.Args)
	}
	var ce *ir.CelError
	if errors.As(err, &ce) {
		c.reportIn(Error, vn, ce.Off, ce.Len, "bad-value", celHint, "CelExpr: %s", ce.Msg)
	} else if err != nil {
		c.errorf(vn, "bad-value", celHint, "CelExpr: %v", err)
	}
}

const celHint = "polc compiles Tetragon's CEL subset: arguments argN, integer literals (10, -10, 0x1f, 10u), true, false, " +
	"int32(), uint32(), + and - of one type, ==, !=, <, <=, >, >=, &&, ||, !"

// celArgsAgree: argN reads the argument at position args[N] (Tetragon's
// pkg/selectors addMatchCelExpr), while Tetragon's later CEL compiler
// (pkg/celbpf, arguments from the hook's spec) reads the hook's argument
// N. Both agree when args[N] is N; polc refuses an expression where they
// do not, rather than pick one meaning.
func celArgsAgree(e *ir.CelExpr, args []int) error {
	var bad *ir.CelNode
	var walk func(n *ir.CelNode)
	walk = func(n *ir.CelNode) {
		if bad == nil && n.Kind == ir.CelArg && args[n.Arg] != n.Arg {
			bad = n
		}
		for _, a := range n.Args {
			walk(a)
		}
	}
	walk(e.Root)
	if bad == nil {
		return nil
	}
	name := fmt.Sprintf("arg%d", bad.Arg)
	return &ir.CelError{Off: bad.Off, Len: len(name), Msg: fmt.Sprintf(
		"%s is the argument at position %d of args (args[%d]), and in Tetragon's later CEL compiler the hook's argument at position %d: "+
			"polc accepts argN only where the two agree; list args from 0 in order (args: [0, 1, ...])", name, args[bad.Arg], bad.Arg, bad.Arg)}
}

// reportIn reports at bytes [off, off+n) of scalar node v's value: its
// columns in the file when the value stands on one line as written
// (plain or quoted without escapes), else the whole node with the column
// in the message.
func (c *checker) reportIn(sev Severity, v *yaml.Node, off, n int, code, hint, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	start, end := c.doc.Span(v)
	line := c.doc.Source.Line(v.Line)
	col := v.Column - 1 // bytes, for ASCII lines
	quote := 0
	if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		quote = 1
	}
	if v.Kind == yaml.ScalarNode && utf8.ValidString(line) && isASCII(line) && col >= 0 &&
		col+quote+len(v.Value) <= len(line) && line[col+quote:col+quote+len(v.Value)] == v.Value &&
		!strings.ContainsAny(v.Value, "\n\\") {
		start.Col = v.Column + quote + off
		end = start
		end.Col += max(n, 1)
	} else {
		msg += fmt.Sprintf(" (at column %d of the expression)", off+1)
	}
	c.diags = append(c.diags, Diagnostic{
		Code: code, Severity: sev, Pos: start, End: end, Path: string(c.doc.Path(v)), Msg: msg, Hint: hint,
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
