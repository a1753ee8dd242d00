package compiler

// kprobeTypesWarnOnly runs check, a check of a kprobe's declared types
// against its function's prototype, and turns the arg-type-mismatch errors
// it reports into warnings. Tetragon checks the same (pkg/btf
// ValidateKprobeSpec, typesCompatible) but only warns and loads the
// policy: it then reads the register as the declared type says, and so
// does polc. A policy Tetragon loads must build; the warning says what
// will be read wrong. Tracepoint fields and LSM hooks keep the error.
func (c *checker) kprobeTypesWarnOnly(h *hookView, check func()) {
	n := len(c.diags)
	check()
	if h.kind != hookKprobe {
		return
	}
	for i := n; i < len(c.diags); i++ {
		d := &c.diags[i]
		if d.Code == "arg-type-mismatch" && d.Severity == Error {
			d.Severity = Warning
			d.Msg += " (Tetragon loads it with a warning; the register is read as declared)"
		}
	}
}
