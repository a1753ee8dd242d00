package compiler

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/polc-dev/polc/ir"
)

// Severity says how bad a diagnostic is. The zero value is Error.
type Severity int

const (
	Error   Severity = iota // the policy is refused
	Warning                 // legal but suspicious (polc lint), or a compatibility note
	Note                    // information, e.g. a selector folded away
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Note:
		return "note"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Pos is a position in a source file: 1-based line and column (in runes).
// Line 0 means "the whole file" (I/O errors, empty documents). It is the IR's
// position type, so that lowered nodes point at their YAML.
type Pos = ir.Pos

// Diagnostic is one finding about a policy. Codes are stable: tools and
// suppressions may rely on them; docs/diagnostics.md lists every one.
type Diagnostic struct {
	Code     string   // stable kebab-case identifier, e.g. "unknown-field"
	Severity Severity //
	Pos      Pos      // where the offending YAML starts
	End      Pos      // where it ends (exclusive); zero when unknown
	Path     string   // YAML path: spec.kprobes[0].selectors[1].matchArgs[0].operator
	Msg      string   // what is wrong, one line
	Hint     string   // how to fix it, optional
}

func (d Diagnostic) String() string {
	s := fmt.Sprintf("%s: %s: %s [%s]", d.Pos, d.Severity, d.Msg, d.Code)
	if d.Hint != "" {
		s += " (hint: " + d.Hint + ")"
	}
	return s
}

// SortDiagnostics orders diagnostics by file, position, severity and code,
// and removes exact duplicates.
func SortDiagnostics(ds []Diagnostic) []Diagnostic {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return slices.Compact(ds)
}

// Count returns the number of diagnostics of severity s.
func Count(ds []Diagnostic, s Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity == s {
			n++
		}
	}
	return n
}
