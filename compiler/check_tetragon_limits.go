package compiler

import (
	"fmt"
	"strings"
)

// Tetragon's limits on a hook's message and tags (getPolicyMessage and
// getPolicyTags in pkg/sensors/tracing), in bytes. Tetragon refuses the
// policy for a message or tag shorter than the minimum, or for more tags
// than the maximum; it truncates a longer message or tag.
const (
	tetragonMinMessageLen = 2
	tetragonMaxMessageLen = 256
	tetragonMinTagLen     = 2
	tetragonMaxTagLen     = 128
	tetragonMaxTags       = 16
)

// tetragonRawTracepointMaxIndex is the highest argument index Tetragon
// reads on a raw tracepoint, whatever its prototype
// (validateRawTracepointArg: below MaxAccessibleArgs, five).
const tetragonRawTracepointMaxIndex = 4

// tetragonKprobeMaxIndex is the highest argument index Tetragon reads on a
// kprobe, syscall or not, whatever the function's prototype (addKprobe
// refuses an index above it: "Index %d out of bounds"). A sixth syscall
// argument (mmap's offset) is out of Tetragon's reach, so out of polc's.
const tetragonKprobeMaxIndex = 4

// checkMessageTags applies Tetragon's limits to a hook's message and tags:
// a policy polc builds must load in Tetragon too.
func (c *checker) checkMessageTags(h *hookView) {
	switch msg := h.hook.Message; {
	case msg != "" && len(msg) < tetragonMinMessageLen:
		c.errorf(fieldOr(h.at, "message"), "short-message", "write a message of at least 2 characters, or leave it out",
			"message %q is shorter than the 2 characters Tetragon requires", msg)
	case len(msg) > tetragonMaxMessageLen:
		c.warnf(fieldOr(h.at, "message"), "long-message", fmt.Sprintf("Tetragon truncates messages to %d characters", tetragonMaxMessageLen),
			"message is %d characters long", len(msg))
	}
	tags := h.hook.Tags
	if len(tags) > tetragonMaxTags { // refused by the schema already
		c.compatf(fieldOr(h.at, "tags"), "compat-tags", "Tetragon accepts at most %d tags; this hook has %d", tetragonMaxTags, len(tags))
	}
	for i, tag := range tags {
		n := valueNode(h.at, "tags", i)
		switch {
		case len(tag) < tetragonMinTagLen:
			c.errorf(n, "short-tag", "write a tag of at least 2 characters, or remove it",
				"tag %q is shorter than the 2 characters Tetragon requires", tag)
		case len(tag) > tetragonMaxTagLen:
			c.warnf(n, "long-message", fmt.Sprintf("Tetragon truncates tags to %d characters", tetragonMaxTagLen),
				"tag %d is %d characters long", i, len(tag))
		}
	}
}

// compatSections warns (--compat tetragon) of a policy with more than one
// kind of hook: Tetragon's policy handler refuses kprobes, tracepoints,
// lsmhooks, uprobes and usdts in one policy ("multiple sections ... are
// currently not supported"); polc compiles them together.
func (c *checker) compatSections() {
	s := &c.pol.Spec
	var kinds []string
	for _, k := range []struct {
		key string
		n   int
	}{{"kprobes", len(s.KProbes)}, {"tracepoints", len(s.Tracepoints)}, {"lsmhooks", len(s.LSMHooks)}, {"uprobes", len(s.UProbes)}, {"usdts", len(s.USDTs)}} {
		if k.n > 0 {
			kinds = append(kinds, k.key)
		}
	}
	if len(kinds) > 1 {
		c.compatf(fieldOr(s.At, kinds[1]), "compat-sections",
			"Tetragon refuses a policy with more than one kind of hook, and this one has %s: split it into one policy per kind", strings.Join(kinds, ", "))
	}
}
