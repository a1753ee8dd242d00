package loader

import "github.com/polc-dev/polc/bpf"

// builtinBase is the base object this polrun loads when no base is loaded
// and Options.Base is nil: the one codegen generates and package bpf
// embeds.
func builtinBase() []byte { return bpf.BaseObject }
