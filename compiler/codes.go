package compiler

import "slices"

// CodeInfo documents one diagnostic code.
type CodeInfo struct {
	Code    string
	Summary string
}

// codes lists every diagnostic code polc reports, with a one-line summary.
// Codes are stable: never rename one; retire it instead. A test fails when
// the compiler uses a code that is not listed here.
var codes = []CodeInfo{
	// Reading and parsing.
	{"empty-file", "the file holds no YAML document"},
	{"yaml-syntax", "the file is not valid YAML"},
	{"duplicate-key", "a mapping gives the same key twice"},
	{"bad-alias", "a YAML alias that is recursive or expands too far"},
	{"decode", "the document could not be decoded (a polc bug)"},
	{"not-a-policy", "a Kubernetes object of another kind, skipped"},
	{"too-many-diagnostics", "further diagnostics in the file were not shown"},
	{"bad-ignore", "a polc:ignore comment without codes or a reason, or naming an unknown code"},
	// Schema (package schema).
	{"unknown-field", "a field that does not exist at this place"},
	{"missing-field", "a required field is absent"},
	{"wrong-type", "a value of the wrong YAML type"},
	{"bad-enum", "a value that is not one of the allowed names"},
	{"out-of-range", "a number outside the range of its field"},
	{"too-many", "a list with more items than allowed"},
	{"too-few", "a list with fewer items than required"},
	{"bad-format", "a string without the form its field requires"},
	{"invalid", "another schema violation"},
	{"internal", "polc failed internally (a bug): the schema could not be applied, or a lowering pass failed"},
	// Metadata and lists.
	{"bad-name", "metadata.name or namespace is not a valid Kubernetes name"},
	{"name-too-long", "metadata.name is longer than polrun can pin (bpf.MaxPolicyNameLen)"},
	{"namespace-on-cluster-policy", "a cluster-wide TracingPolicy with a namespace"},
	{"duplicate-list", "two lists with the same name"},
	{"generated-list-values", "a generated list that also lists values"},
	{"empty-list", "a list without values"},
	{"not-a-syscall", "a syscall hook or syscalls list entry that is not a syscall the target arch implements"},
	{"syscall-in-function-list", "a syscall in a list of kernel functions"},
	{"missing-pattern", "a generated_ftrace list without a pattern"},
	{"bad-pattern", "a pattern that is not a valid regular expression"},
	{"unknown-list", "a list:NAME reference to an undefined list"},
	{"bad-list", "a list of the wrong type for where it is used"},
	{"list-needs-syscall64", "a syscall list compared to an argument that is not syscall64"},
	{"missing-enforcer", "NotifyEnforcer without spec.enforcers"},
	// Options (spec.options).
	{"bad-option-value", "a spec.options value Tetragon refuses (policy-mode, override-method, a boolean)"},
	{"unknown-option", "a spec.options name Tetragon does not know, which it skips"},
	{"duplicate-option", "a spec.options name given twice: the last one counts"},
	{"option-no-effect", "a spec.options entry that cannot change what the policy does"},
	// Hooks.
	{"bad-call", "a kprobe call that is not a function name"},
	{"syscall-flag", "syscall: contradicts the kind of list the call names"},
	{"syscall-flag-missing", "a syscall hooked with syscall: false"},
	{"bad-tracepoint", "a malformed tracepoint subsystem or event"},
	{"bad-lsm-hook", "a malformed LSM hook name"},
	{"symbol-and-symbols", "a uprobe with both symbol and symbols"},
	{"missing-symbol", "a uprobe without a symbol"},
	{"offsets-count", "uprobe reference counter offsets that do not match the symbols or offsets"},
	{"uprobe-targets", "a uprobe with more than one of symbols, offsets and addrs"},
	{"relative-path", "a path that is not absolute"},
	{"duplicate-hook", "the same hook declared twice in one policy"},
	{"long-message", "a message longer than 256 characters"},
	{"unsupported", "a feature polc does not support yet"},
	// Arguments.
	{"missing-type", "an argument without a type"},
	{"unknown-type", "an argument type that does not exist"},
	{"auto-type", "type auto outside a tracepoint"},
	{"bad-type", "a type that cannot be used here"},
	{"arg-index", "an argument index out of range for the hook"},
	{"duplicate-arg", "an argument index declared twice"},
	{"duplicate-label", "two arguments with the same label"},
	{"bad-resolve", "a resolve path that is not a member path"},
	{"bad-option", "returnCopy, maxData, sizeArgIndex or another option where it does not apply"},
	{"missing-size", "a buffer argument whose length is unknown"},
	{"bad-size-arg", "sizeArgIndex does not point at a declared integer argument"},
	{"missing-return-arg", "return: true without returnArg"},
	{"ignored-return-arg", "returnArg without return: true"},
	{"return-index", "an index on the return value, which has none"},
	{"bad-return-action", "a returnArgAction that cannot apply"},
	// Selectors.
	{"unknown-arg", "a filter or action refers to an undeclared argument"},
	{"bad-operator", "an operator that does not apply to the argument or filter"},
	{"bad-value", "a value that does not parse for its operator and type"},
	{"missing-values", "a filter without values, which can never match"},
	{"ignored-values", "values given to an operator that takes none"},
	{"bad-namespace", "a namespace kind that does not exist"},
	{"bad-cap-type", "a capability set that does not exist"},
	{"needs-return", "a return filter or action on a hook without return: true"},
	{"escaped-nul", `a string ending in a backslash and 0 instead of a NUL`},
	// Actions.
	{"bad-arg-type", "an action argument of a type the action cannot use"},
	{"override-on-return", "Override after the function returned"},
	{"override-not-possible", "Override on a hook that cannot change a return value"},
	{"bad-action", "an action that does not apply to this hook"},
	{"conflicting-actions", "Post and NoPost in one selector"},
	{"ignored-field", "a field the action or list does not read"},
	// Lint.
	{"no-hooks", "a policy that hooks nothing"},
	{"empty-selector", "a selector without filters, which matches every call"},
	{"never-matches", "a selector whose filters contradict each other"},
	{"duplicate-value", "a value listed twice"},
	{"redundant-action", "an action that changes nothing"},
	{"followfd-without-unfollowfd", "FollowFD without UnfollowFD"},
	{"unused-list", "a list no hook uses"},
	{"k8s-selector", "a Kubernetes selector, which polrun cannot apply"},
	{"unused-ignore", "a polc:ignore comment that silences nothing"},
	{"override-needs-injection", "Override on a function the kernel may not allow to override"},
	// Lowering (compiler.Lower: polc dump --stage ir, polc build).
	{"always-matches", "a filter that always passes, removed"},
	{"unreachable-selector", "a selector after one that matches every call, removed"},
	{"never-fires", "a hook none of whose selectors can match, dropped"},
	{"needs-target", "a feature that needs a description of the target kernel"},
	// Target kernel (--target, --target-btf, --sysroot).
	{"unknown-function", "a kprobe function the target kernel does not have"},
	{"unknown-tracepoint", "a tracepoint the target kernel does not have"},
	{"unknown-lsm-hook", "an LSM hook the target kernel does not have"},
	{"unknown-symbol", "a uprobe symbol or USDT probe the binary does not have"},
	{"unchecked-symbol", "uprobe symbols or USDT probes that could not be checked: the binary is not available"},
	{"arg-type-mismatch", "a declared type that cannot read the kernel's parameter or field"},
	{"arg-type-suspect", "a declared type that may misread the kernel's parameter (width, signedness, void *)"},
	{"unsupported-by-target", "a hook or action the target kernel does not support"},
	// Tetragon compatibility (lint --compat tetragon).
	{"compat-selectors", "more selectors than Tetragon allows"},
	{"compat-args", "more arguments than Tetragon reads"},
	{"compat-matchargs", "more matchArgs than Tetragon allows"},
	{"compat-values", "more values than Tetragon compares"},
	{"compat-prefix", "a prefix longer than Tetragon matches"},
	{"compat-postfix", "a postfix longer than Tetragon matches"},
	{"compat-namespaces", "more matchNamespaces than Tetragon allows"},
	{"compat-binaries", "more matchBinaries or matchParentBinaries than Tetragon allows"},
	{"compat-actions", "more actions than Tetragon runs"},
	{"compat-parents-map", "matchParentBinaries, which Tetragon loads only with --parents-map-enabled"},
	{"compat-signed-compare", "GreaterThan, LessThan or a range on an int8 or int16 argument, which Tetragon compares unsigned"},
	{"compat-greater-than", "GreaterThan on an 8-, 16- or 64-bit unsigned (or int8, int16) argument, which Tetragon tests as less-than"},
	{"compat-nspid-follow", "matchPIDs isNamespacePID with followForks, whose ancestors Tetragon compares across the PID namespace's boundary"},
	{"compat-follow-depth", "matchPIDs followForks, which Tetragon follows only 10 levels up"},
	{"compat-return-selectors", "matchReturnArgs in a hook of several selectors: Tetragon tries every selector's at return"},
	{"compat-tags", "more tags than Tetragon accepts"},
	// Policy tests (polc test, package policytest).
	{"test-file", "a test file that is not one PolicyTest document, or names a case twice"},
	{"test-no-policy", "the policy a test file names is not there, or not one policy"},
	{"test-unknown-hook", "a test case names a hook the policy does not have"},
	{"test-ambiguous-hook", "a test case's hook names several hooks of the policy"},
	{"test-unknown-arg", "a test case gives an argument (or return value) the hook does not have"},
	{"test-bad-value", "a test case's value that does not fit its argument, capability or namespace"},
	{"test-bad-expect", "an expected outcome that cannot happen: an unknown action, a selector of a hook without"},
	{"test-failed", "a test case whose outcome differs from the expected one"},
}

// Codes returns every diagnostic code, in documentation order.
func Codes() []CodeInfo { return slices.Clone(codes) }
