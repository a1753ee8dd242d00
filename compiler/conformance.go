package compiler

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/polc-dev/polc/schema"
)

// What polc does with each field, operator and argument type of Tetragon's
// TracingPolicy, for docs/CONFORMANCE.md (internal/conformance writes it;
// TestDoc fails when it is stale). The fields are those of the schema polc
// validates with, walked from its definitions; the operators and types are
// its enumerations. Each is implemented unless fieldStatus says otherwise;
// the operators and types refused are those the checks refuse
// (unsupportedArgOps, unsupportedArgTypes), read from the same tables.

// Conformance statuses.
const (
	StatusImplemented = "implemented"
	StatusRefused     = "refused"
	StatusNoted       = "noted"
)

// ConformanceEntry is one field, operator or type and what polc does with
// it.
type ConformanceEntry struct {
	What   string // "field", "matchArgs operator", "argument type"
	Name   string // spec.kprobes[].call, SubString, sockaddr_un
	Status string
	Note   string
}

// fieldStatus is what is not simply implemented, by field path (as
// Conformance names them); TestConformanceTable checks that every path
// is a field of the schema.
var fieldStatus = map[string][2]string{
	"spec.kprobes[].data":                               {StatusImplemented, "source current_task (resolve through the kernel's BTF: the --target's types, else polc's reference kernel's, read through CO-RE) or pt_regs (a register, read as an integer); reported under data"},
	"spec.uprobes[].data":                               {StatusImplemented, "source current_task (resolve typed by the --target, else by polc's reference kernel, read through CO-RE) or pt_regs (a register, read as an integer); reported under data"},
	"spec.lsmhooks[].data":                              {StatusImplemented, "source current_task (resolve typed by the --target, else by polc's reference kernel, read through CO-RE); pt_regs refused: an LSM hook's context holds no registers"},
	"spec.*[].data[].source":                            {StatusImplemented, "current_task or pt_regs on data entries; refused on args, as in Tetragon"},
	"spec.*[].data[].sizeArgIndex":                      {StatusRefused, "data entries are values read through resolve: no buffers"},
	"spec.*[].data[].returnCopy":                        {StatusRefused, "data entries are read at entry"},
	"spec.*[].data[].maxData":                           {StatusRefused, "data entries are values read through resolve: no buffers"},
	"spec.*[].data[].btfType":                           {StatusRefused, "not supported by polc on data entries"},
	"spec.*[].args[].source":                            {StatusRefused, "Tetragon refuses a source on arguments"},
	"spec.*[].returnArg.source":                         {StatusRefused, "Tetragon refuses a source on arguments"},
	"spec.uprobes[].binaryDigests":                      {StatusImplemented, "polrun hashes the binary (sha1, sha256, sha384, sha512 or its build ID) when it loads the policy and attaches only if one digest matches; otherwise the load fails, naming the binary's digest"},
	"spec.uprobes[].resolvePathInContainer":             {StatusRefused, "the path in each selected container's root: checked at validate as Tetragon does (a podSelector, no hostSelector, an absolute path, the policy's only hook); needs Kubernetes pod and container metadata, so polrun refuses to load the policy, naming it"},
	"spec.fentries":                                     {StatusImplemented, "the fields of spec.kprobes[], attached with fentry (fexit for return: true) programs; events are process_kprobe. As in Tetragon, Override, NotifyEnforcer and Set are refused there; so is data with source pt_regs (the context holds the arguments, no registers)"},
	"spec.state":                                        {StatusNoted, "named policy states: names must be unique (refused otherwise, as in Tetragon); nothing polc compiles refers to a state, so a declared one has no effect (note state-no-effect); fields other than name refused"},
	"spec.*[].selectors[].matchCmdArgs":                 {StatusImplemented, "Equal, Prefix and Postfix on the argument at index (0 is the first after the binary), from the first 256 bytes of the arguments after argv[0] the base keeps per process (written at exec, copied at fork, seeded from /proc/PID/cmdline); a missing argument fails the filter; index 32 or more refused; NotEqual, NotPrefix and NotPostfix refused (docs/tetragon-differences.md)"},
	"spec.uprobes[].addrs":                              {StatusImplemented, "virtual addresses in the binary (as nm shows them), one hook each: polrun maps each to its file offset from the binary's loadable segments when it attaches, as Tetragon does; 0 refused"},
	"spec.podSelector":                                  {StatusRefused, "needs Kubernetes pod metadata: polrun refuses to load the policy (validate warns), unless with the other selectors {} it selects every process"},
	"spec.containerSelector":                            {StatusRefused, "needs Kubernetes pod metadata: polrun refuses to load the policy (validate warns), unless with the other selectors {} it selects every process"},
	"spec.hostSelector":                                 {StatusImplemented, "{} with podSelector or containerSelector {} selects every process (the policy loads); alone it selects host processes only, which polrun cannot tell from pods (refused at load); labels refused at validate, as Tetragon does"},
	"spec.hostSelector.matchLabels":                     {StatusRefused, "Tetragon accepts hostSelector only as {} or none: refused at validate"},
	"spec.hostSelector.matchExpressions":                {StatusRefused, "Tetragon accepts hostSelector only as {} or none: refused at validate"},
	"spec.hostSelector.matchExpressions[].key":          {StatusRefused, "with matchExpressions"},
	"spec.hostSelector.matchExpressions[].operator":     {StatusRefused, "with matchExpressions"},
	"spec.hostSelector.matchExpressions[].values":       {StatusRefused, "with matchExpressions"},
	"spec.*[].selectors[].matchWorkloads":               {StatusRefused, "restricts a selector to pods or containers: needs Kubernetes pod metadata, which polrun does not have"},
	"spec.uprobes[].ignore":                             {StatusImplemented, "digestVerificationFailure: a binary matching none of binaryDigests skips the uprobe (polrun load says so) instead of failing the load"},
	"metadata.namespace":                                {StatusRefused, "a TracingPolicyNamespaced applies to the pods of its namespace only, which needs Kubernetes pod metadata: polrun refuses to load it (validate warns)"},
	"spec.nodeSelector":                                 {StatusImplemented, "applied by polrun to the node's labels (--node-labels of load, run and serve)"},
	"spec.options[].name":                               {StatusNoted, "options that cannot change what the policy does are accepted with a note (option-no-effect)"},
	"spec.uprobes[].btfPath":                            {StatusImplemented, "the probed binary's BTF, where btfType and resolve on uprobe arguments look types up; polrun reads it when it loads the policy, as Tetragon does, and sets the members' offsets (load-time variables); validate checks the member path when the file is there too (needs-btf-file notes when not); without btfType or resolve a warning says it has no effect"},
	"spec.usdts[].btfPath":                              {StatusNoted, "read only with btfType or resolve, which are refused on USDT probes"},
	"spec.*[].args[].btfTypeModule":                     {StatusRefused, "btfType from a kernel module's BTF: not yet supported by polc"},
	"spec.*[].args[].size":                              {StatusImplemented, "how many int32 an int32_arr reads (none when absent; at most 8 kept, as in Tetragon); ignored (warning) on other types"},
	"spec.tracepoints[].args[].size":                    {StatusRefused, "int32_arr, which reads it, is refused on tracepoints (Tetragon gives their arguments no size, so it reports no values); ignored (warning) on other types"},
	"spec.usdts[].args[].size":                          {StatusRefused, "int32_arr, which reads it, is not yet supported by polc on USDT probes; ignored (warning) on other types"},
	"spec.*[].returnArg.size":                           {StatusNoted, "ignored, as in Tetragon (warning): int32_arr is read from arguments only"},
	"spec.*[].data[].size":                              {StatusRefused, "int32_arr, which reads it, is not supported by polc on data entries; ignored (warning) on other types"},
	"spec.*[].returnArg.btfTypeModule":                  {StatusRefused, "btfType from a kernel module's BTF: not yet supported by polc"},
	"spec.*[].data[].btfTypeModule":                     {StatusRefused, "not yet supported by polc"},
	"spec.*[].selectors[].matchActions[].argRegs":       {StatusImplemented, "Override on uprobes sets these registers of the user task (N, %REG, N%REG, N(%REG)); needs a kernel whose uprobe programs may write registers (polrun refuses to load otherwise); CEL values are refused; ignored (warning) elsewhere, as in Tetragon"},
	"spec.*[].selectors[].matchActions[].argNewSymbol":  {StatusImplemented, "Override on uprobes makes the call run this function of the binary instead: polrun reads the distance from the probed instruction to the symbol from the binary it attaches to, and the program adds it to the instruction pointer; one per hook, not with argRegs (refused); each symbol of a hook jumps from its own address (docs/tetragon-differences.md); ignored (warning) elsewhere, as in Tetragon"},
	"spec.*[].selectors[].matchActions[].argNewOffset":  {StatusImplemented, "as argNewSymbol, to the code at this file offset of the binary"},
	"spec.*[].selectors[].matchActions[].argNewAddr":    {StatusImplemented, "as argNewSymbol, to the code at this virtual address of the binary (as nm shows it)"},
	"spec.*[].selectors[].matchActions[].sopath":        {StatusRefused, "Override on uprobes running a function of a shared object Tetragon makes the process load (dlopen): polc's programs do not load code into processes"},
	"spec.*[].selectors[].matchData":                    {StatusImplemented, "tests data entries as matchArgs tests arguments: args names a position in data, index a data entry's index (refused where the two readings differ)"},
	"spec.*[].selectors[].matchArgs[].args":             {StatusImplemented, "positions in the hook's args: the first is tested (a warning names the others, which Tetragon ignores); CapabilitiesGained reads two; CelExpr reads each as argN (N: its place in the list)"},
	"spec.*[].selectors[].matchBinaries[].values":       {StatusImplemented, "without values the filter is ignored, as in Tetragon (warning)"},
	"spec.*[].selectors[].matchParentBinaries[].values": {StatusRefused, "refused without values (Tetragon's reading unsettled); else implemented"},
	"spec.*[].selectors[].matchReturnArgs[].values":     {StatusRefused, "refused without values; else implemented"},
	"spec.*[].args[].type":                              {StatusImplemented, "may be omitted on tracepoints (auto: the field's type in the format; without a target, raw_syscalls/* and syscalls/* are known); an array of longs (raw_syscalls/sys_enter's args) is shown element by element, and an integer type reads its first element, as in Tetragon"},
	"spec.*[].args[].index":                             {StatusImplemented, "an index may be declared again, to read it another way; matchArgs index names the first"},
}

// hookKinds are the spec fields of hooks; fieldStatus keys shared by all
// of them start with "spec.*[].".
var hookKinds = []string{"kprobes", "tracepoints", "uprobes", "lsmhooks", "usdts"}

// statusOf looks path up in fieldStatus, as written or with its hook kind
// as "*".
func statusOf(path string) ([2]string, bool) {
	if st, ok := fieldStatus[path]; ok {
		return st, true
	}
	for _, k := range hookKinds {
		if rest, ok := strings.CutPrefix(path, "spec."+k+"[]."); ok {
			st, ok := fieldStatus["spec.*[]."+rest]
			return st, ok
		}
	}
	return [2]string{}, false
}

// Conformance lists every field of the schema (each hook kind's own,
// and the argument, selector and action fields once, under kprobes), then
// every matchArgs operator and argument type, with their status.
func Conformance() ([]ConformanceEntry, error) {
	var doc struct {
		Definitions map[string]json.RawMessage `json:"definitions"`
	}
	if err := json.Unmarshal(schema.JSON(), &doc); err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	var out []ConformanceEntry
	var walk func(path string, raw json.RawMessage, depth int)
	walk = func(path string, raw json.RawMessage, depth int) {
		var n struct {
			Ref        string                     `json:"$ref"`
			Properties map[string]json.RawMessage `json:"properties"`
			Items      json.RawMessage            `json:"items"`
		}
		if depth > 16 || json.Unmarshal(raw, &n) != nil {
			return
		}
		if n.Ref != "" {
			walk(path, doc.Definitions[strings.TrimPrefix(n.Ref, "#/definitions/")], depth+1)
			return
		}
		if len(n.Items) > 0 {
			walk(path+"[]", n.Items, depth+1)
			return
		}
		names := make([]string, 0, len(n.Properties))
		for name := range n.Properties {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			full := path + "." + name
			e := ConformanceEntry{What: "field", Name: full, Status: StatusImplemented}
			if st, ok := statusOf(full); ok {
				e.Status, e.Note = st[0], st[1]
			}
			out = append(out, e)
			if full == "spec.fentries" {
				continue // a kprobe's fields, listed under spec.kprobes
			}
			walk(full, n.Properties[name], depth+1)
		}
	}
	walk("metadata", doc.Definitions["namespacedMetadata"], 0)
	walk("spec", doc.Definitions["spec"], 0)
	enum := func(def string) []string { return schemaEnum(doc.Definitions, def) }
	for _, op := range enum("argOperator") {
		e := ConformanceEntry{What: "matchArgs operator", Name: op, Status: StatusImplemented}
		if r, ok := unsupportedArgOps[op]; ok {
			e.Status, e.Note = StatusRefused, "not yet supported by polc: "+r
		}
		out = append(out, e)
	}
	for _, t := range enum("argType") {
		e := ConformanceEntry{What: "argument type", Name: t, Status: StatusImplemented}
		if r, ok := unsupportedArgTypes[t]; ok {
			e.Status, e.Note = StatusRefused, "not yet supported by polc: "+r
		}
		out = append(out, e)
	}
	return out, nil
}

// schemaEnum returns the names an enumeration definition accepts.
func schemaEnum(defs map[string]json.RawMessage, def string) []string {
	var d struct {
		Enum  []string `json:"enum"`
		AnyOf []struct {
			Enum []string `json:"enum"`
		} `json:"anyOf"`
	}
	json.Unmarshal(defs[def], &d)
	out := slices.Clone(d.Enum)
	for _, a := range d.AnyOf {
		out = append(out, a.Enum...)
	}
	return out
}
