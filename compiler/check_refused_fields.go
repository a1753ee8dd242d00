package compiler

import (
	"github.com/polc-dev/polc/ir"
	"gopkg.in/yaml.v3"
)

// Fields of Tetragon's TracingPolicy CRD that polc knows (the schema has
// them, so they are never "unknown") but does not compile yet. Each is
// refused by name at validate time, with the reason; compiler/conformance.go
// lists them as refused.

// refuseUnimplementedFields checks spec.state and uprobes'
// resolvePathInContainer, and warns of an
// argument's size on another type than int32_arr (which alone reads it),
// and refuses a size Tetragon refuses.
func (c *checker) refuseUnimplementedFields() {
	c.checkStates()
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
	c.checkPathInContainer() // check_container_path.go
}

// checkStates checks spec.state, Tetragon's list of named policy states.
// Tetragon refuses a policy whose state names are not unique (FromYAML:
// "state names must be unique"), and so does polc. A state entry is only a
// name: nothing polc compiles (no selector, action or argument the schema
// accepts) refers to a state, so declared states cannot change what the
// policy does and are accepted with a note. A field other than name is
// refused: polc does not know its meaning.
func (c *checker) checkStates() {
	n := c.pol.Spec.Field("state")
	if n == nil {
		return
	}
	if n.Kind != yaml.SequenceNode {
		return // the schema reports it
	}
	seen := map[string]*yaml.Node{}
	for _, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			continue // the schema reports it
		}
		for i := 0; i+1 < len(e.Content); i += 2 {
			if k := e.Content[i]; k.Value != "name" {
				c.errorf(k, "unsupported", "give each state only a name",
					"state field %s is not supported by polc: only state names are known", k.Value)
			}
		}
		name, _ := child(e, "name")
		if name == nil {
			continue // the schema reports it
		}
		if prev, dup := seen[name.Value]; dup {
			c.errorf(name, "duplicate-state", "give each state its own name",
				"state names must be unique: %q is already declared at line %d", name.Value, prev.Line)
			continue
		}
		seen[name.Value] = name
		c.report(Note, name, "state-no-effect", "",
			"state %q has no effect: nothing in the policy polc compiles refers to a state", name.Value)
	}
}
