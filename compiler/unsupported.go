package compiler

// Features of Tetragon's TracingPolicy that polc does not compile yet. Each
// needs new BPF code; until it has it, the checks refuse it at validate time
// (code "unsupported", "... not yet supported by polc"), so that validate
// never passes what build then refuses. The reason is the diagnostic's hint.

// unsupportedArgOps are the matchArgs operators Tetragon has and polc does
// not compile, keyed by their spelling in the schema.
var unsupportedArgOps = map[string]string{
	"CelExpr": "polc does not compile CEL expressions; write the condition with matchArgs operators",
}

// unsupportedArgTypes are the argument types Tetragon reads and polc does
// not, keyed by their spelling.
var unsupportedArgTypes = map[string]string{
	"int32_arr": "Tetragon reads an array of as many int32 as the argument's size field says; polc does not read int32 arrays yet",
	"dns":       "Tetragon parses the argument as a DNS message; polc does not parse DNS messages yet: read the socket as sock and match its port with DPort",
}
