package compiler

import "github.com/polc-dev/polc/ir"

// Fields of Tetragon's TracingPolicy CRD that polc knows (the schema has
// them, so they are never "unknown") but does not compile yet. Each is
// refused by name at validate time, with the reason; compiler/conformance.go
// lists them as refused.

// refuseUnimplementedFields refuses spec.state,
// matchCmdArgs and uprobes' resolvePathInContainer, and warns of an
// argument's size on another type than int32_arr (which alone reads it),
// and refuses a size Tetragon refuses.
func (c *checker) refuseUnimplementedFields() {
	spec := c.pol.Spec
	if n := spec.Field("state"); n != nil {
		c.errorf(fieldOr(spec.At, "state"), "unsupported", "",
			"state (named policy states) is not yet supported by polc")
	}
	for _, h := range c.hooks {
		for _, s := range h.hook.Selectors {
			if s.Field("matchCmdArgs") != nil {
				c.errorf(fieldOr(s.At, "matchCmdArgs"), "unsupported",
					"filter on the binary with matchBinaries, or on the arguments of the execve hook",
					"matchCmdArgs (filters on the process's command-line arguments) is not yet supported by polc")
			}
		}
	}
	for _, h := range c.hooks {
		for _, a := range h.hook.Args {
			n := a.Field("size")
			switch {
			case n == nil:
			case a.Type != "int32_arr":
				c.warnf(n, "ignored-field", "size applies to int32_arr arguments", "size is ignored on an argument of type %s", a.Type)
			case a.Size > ir.MaxInt32Size:
				// Tetragon packs it into 16 bits and refuses more.
				c.errorf(n, "bad-option", "int32_arr keeps at most 8 values; give at most 8",
					"size %d of argument %d is out of range (at most %d)", a.Size, a.Index, ir.MaxInt32Size)
			case a.Size > ir.MaxInt32Elems:
				c.warnf(n, "ignored-field", "give at most 8",
					"only the first %d of the %d values of argument %d are read, as in Tetragon", ir.MaxInt32Elems, a.Size, a.Index)
			}
		}
		if h.ret != nil {
			if n := h.ret.Field("size"); n != nil {
				c.warnf(n, "ignored-field", "size applies to int32_arr arguments", "size is ignored on a return value, as in Tetragon")
			}
		}
	}
	for _, u := range spec.UProbes {
		if n := u.Field("resolvePathInContainer"); n != nil && n.Value == "true" {
			c.errorf(n, "unsupported",
				"give the path as the host sees it (such as /proc/PID/root/usr/bin/app, or the image's overlay path)",
				"resolvePathInContainer needs Kubernetes pod and container metadata to find each container's root, which polc and polrun do not have")
		}
	}
}
