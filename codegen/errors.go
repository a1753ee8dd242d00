package codegen

import (
	"fmt"
	"strings"

	"github.com/polc-dev/polc/ir"
)

// Error is one thing in a policy that codegen cannot compile.
type Error struct {
	Pos ir.Pos
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// Errors is the list of Error values Build returns.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// errorList collects errors while a policy is compiled.
type errorList struct{ errs Errors }

// add records an error; the same message at the same place is kept once
// (a hook's every argument may find its tracepoint unknown).
func (l *errorList) add(pos ir.Pos, format string, args ...any) {
	e := &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
	for _, prev := range l.errs {
		if *prev == *e {
			return
		}
	}
	l.errs = append(l.errs, e)
}

func (l *errorList) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	return l.errs
}
