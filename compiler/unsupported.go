package compiler

// Features of Tetragon's TracingPolicy that polc does not compile yet. Each
// needs new BPF code; until it has it, the checks refuse it at validate time
// (code "unsupported", "... not yet supported by polc"), so that validate
// never passes what build then refuses. The reason is the diagnostic's hint.

// unsupportedArgOps are the matchArgs operators Tetragon has and polc does
// not compile, keyed by their spelling in the schema.
var unsupportedArgOps = map[string]string{}

// unsupportedArgTypes are the argument types Tetragon reads and polc does
// not, keyed by their spelling.
var unsupportedArgTypes = map[string]string{}

// foreignArgOps are matchArgs operators that Tetragon's examples spell
// (examples/tracingpolicy/deny-privileged-containers.yml) but Tetragon
// itself refuses: its CRD's operator enumeration lacks them and
// pkg/selectors SelectorOp, which reads every matchArgs operator, answers
// "unknown op". The schema refuses them as it refuses any unknown
// operator; this is the hint it gives.
var foreignArgOps = map[string]string{
	"Capability":     capabilityOpHint,
	"CapabilityMask": capabilityOpHint,
}

const capabilityOpHint = "Tetragon has no such operator either (its CRD and SelectorOp refuse it, so the policy does not load there): " +
	"a kernel_cap_t or cap_* argument takes Equal with CAP_* names (the whole set) or CapabilitiesGained; " +
	"to match processes holding a capability use matchCapabilities"
