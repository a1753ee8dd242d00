package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// policy wraps a spec body (indented by two spaces) into a valid policy header.
func policy(spec string) string {
	return "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: test\nspec:\n" + spec
}

func validateYAML(t *testing.T, src string) []Error {
	t.Helper()
	docs, err := decodeDocs([]byte(src))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if len(docs) != 1 {
		t.Fatalf("want one document, got %d", len(docs))
	}
	return Validate(docs[0])
}

func path(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ".")
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Error
	}{
		{
			name: "unknown field with case hint",
			src: policy(`  kprobes:
  - call: sys_write
    selectors:
    - matchPIDs:
      - operator: NotIn
        followforks: false
        isNamespacePID: true
        values: [1]
`),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors.0.matchPIDs.0.followforks"), OnKey: true,
				Code: "unknown-field", Msg: `unknown field "followforks" in matchPIDs`,
				Hint: `did you mean "followForks"?`,
			}},
		},
		{
			name: "unknown field with typo hint",
			src:  policy("  kprobes:\n  - call: fd_install\n    selector: []\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.selector"), OnKey: true, Code: "unknown-field",
				Msg: `unknown field "selector" in kprobes`, Hint: `did you mean "selectors"?`,
			}},
		},
		{
			name: "unknown field without a close name lists the valid ones",
			src:  policy("  options:\n  - name: a\n    color: red\n"),
			want: []Error{{
				Path: path("spec.options.0.color"), OnKey: true, Code: "unknown-field",
				Msg: `unknown field "color" in options`, Hint: "valid fields here: name, value",
			}},
		},
		{
			name: "filter written outside its selector",
			src:  policy("  kprobes:\n  - call: fd_install\n    matchArgs: [{index: 0, operator: Equal}]\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.matchArgs"), OnKey: true, Code: "unknown-field",
				Msg: `unknown field "matchArgs" in kprobes`, Hint: `"matchArgs" belongs in a selectors entry`,
			}},
		},
		{
			name: "hooks written outside spec",
			src:  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: x\nkprobes: []\n",
			want: []Error{{
				Path: path("kprobes"), OnKey: true, Code: "unknown-field",
				Msg: `unknown field "kprobes" at the top level`, Hint: `"kprobes" belongs under spec`,
			}},
		},
		{
			name: "action written outside matchActions",
			src:  policy("  kprobes:\n  - call: x\n    selectors:\n    - action: Sigkill\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors.0.action"), OnKey: true, Code: "unknown-field",
				Msg: `unknown field "action" in selectors`, Hint: `"action" belongs in a matchActions entry`,
			}},
		},
		{
			name: "unknown top-level field",
			src:  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: x\nspecs: {}\n",
			want: []Error{{
				Path: path("specs"), OnKey: true, Code: "unknown-field",
				Msg: `unknown field "specs" at the top level`, Hint: `did you mean "spec"?`,
			}},
		},
		{
			name: "misspelt operator",
			src: policy(`  kprobes:
  - call: fd_install
    args: [{index: 1, type: file}]
    selectors:
    - matchArgs:
      - index: 1
        operator: Equall
        values: ["/etc/passwd"]
`),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors.0.matchArgs.0.operator"), Code: "bad-enum",
				Msg:  `operator "Equall" is not one of Equal, NotEqual, Prefix, NotPrefix, Postfix, NotPostfix, GreaterThan, LessThan, ...`,
				Hint: `did you mean "Equal"?`,
			}},
		},
		{
			name: "operator in the wrong case",
			src:  policy("  kprobes:\n  - call: x\n    selectors:\n    - matchArgs:\n      - {index: 0, operator: equal, values: [\"1\"]}\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors.0.matchArgs.0.operator"), Code: "bad-enum",
				Msg:  `operator "equal" is not one of Equal, NotEqual, Prefix, NotPrefix, Postfix, NotPostfix, GreaterThan, LessThan, ...`,
				Hint: `did you mean "Equal"?`,
			}},
		},
		{
			name: "short enum lists every value",
			src:  policy("  kprobes:\n  - call: x\n    selectors:\n    - matchPIDs:\n      - {operator: Inn, values: [1]}\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors.0.matchPIDs.0.operator"), Code: "bad-enum",
				Msg: `operator "Inn" is not one of In, NotIn`, Hint: `did you mean "In"?`,
			}},
		},
		{
			name: "enum far from every value lists them all in the hint",
			src:  policy("  kprobes:\n  - call: x\n    args: [{index: 0, type: widget}]\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.args.0.type"), Code: "bad-enum",
				Msg:  `type "widget" is not one of auto, int, sint8, int8, uint8, sint16, int16, uint16, ...`,
				Hint: "allowed values: auto, int, sint8, int8, uint8, sint16, int16, uint16, uint32, sint32, int32, ulong, uint64, size_t, long, sint64, int64, char_buf, char_iovec, skb, sock, sockaddr, socket, string, fd, file, filename, path, nop, bpf_attr, perf_event, bpf_map, user_namespace, capability, kiocb, iov_iter, cred, const_buf, load_info, module, syscall64, kernel_cap_t, cap_inheritable, cap_permitted, cap_effective, linux_binprm, data_loc, net_device, bpf_cmd, dentry, bpf_prog",
			}},
		},
		{
			name: "misspelt action",
			src:  policy("  kprobes:\n  - call: x\n    selectors:\n    - matchActions:\n      - action: Sigkil\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors.0.matchActions.0.action"), Code: "bad-enum",
				Msg:  `action "Sigkil" is not one of Post, FollowFD, UnfollowFD, Sigkill, CopyFD, Override, GetUrl, DnsLookup, ...`,
				Hint: `did you mean "Sigkill"?`,
			}},
		},
		{
			name: "quoted integer",
			src:  policy("  kprobes:\n  - call: x\n    args:\n    - index: \"0\"\n      type: int\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.args.0.index"), Code: "wrong-type",
				Msg: `expected integer, got string "0"`, Hint: "remove the quotes: 0",
			}},
		},
		{
			name: "word where an integer is expected",
			src:  policy("  kprobes:\n  - call: x\n    args:\n    - index: abc\n      type: int\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.args.0.index"), Code: "wrong-type",
				Msg: `expected integer, got string "abc"`,
			}},
		},
		{
			name: "quoted boolean",
			src:  policy("  kprobes:\n  - call: x\n    syscall: \"true\"\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.syscall"), Code: "wrong-type",
				Msg: `expected boolean, got string "true"`, Hint: "remove the quotes: true",
			}},
		},
		{
			name: "PIDs are integers",
			src:  policy("  kprobes:\n  - call: x\n    selectors:\n    - matchPIDs:\n      - operator: In\n        values: [\"pid1\"]\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors.0.matchPIDs.0.values.0"), Code: "wrong-type",
				Msg: `expected integer, got string "pid1"`,
			}},
		},
		{
			name: "scalar where a list is expected",
			src:  policy("  uprobes:\n  - path: /bin/bash\n    symbols: readline\n"),
			want: []Error{{
				Path: path("spec.uprobes.0.symbols"), Code: "wrong-type",
				Msg:  `expected a list, got string "readline"`,
				Hint: `symbols is a list: write each item on its own line starting with "- "`,
			}},
		},
		{
			name: "mapping where a list is expected",
			src:  policy("  kprobes:\n  - call: x\n    selectors:\n      matchBinaries:\n      - {operator: In, values: [/bin/sh]}\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors"), Code: "wrong-type",
				Msg: "expected a list, got a mapping", Hint: `selectors is a list: start each entry with "- "`,
			}},
		},
		{
			name: "boolean in a value list",
			src:  policy("  kprobes:\n  - call: x\n    selectors:\n    - matchArgs:\n      - {index: 0, operator: Equal, values: [yes, true]}\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors.0.matchArgs.0.values.1"), Code: "wrong-type",
				Msg: "expected string or integer, got boolean true", Hint: `quote the value: "true"`,
			}},
		},
		{
			name: "missing call",
			src:  policy("  kprobes:\n  - syscall: true\n"),
			want: []Error{{
				Path: path("spec.kprobes.0"), Code: "missing-field", Msg: `missing required field "call"`,
			}},
		},
		{
			name: "empty call",
			src:  policy("  kprobes:\n  - call:\n    syscall: true\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.call"), Code: "missing-field", Msg: `required field "call" has no value`,
			}},
		},
		{
			name: "tracepoint without event and action without name",
			src:  policy("  tracepoints:\n  - subsystem: sched\n    selectors:\n    - matchActions:\n      - argSig: 9\n"),
			want: []Error{
				{Path: path("spec.tracepoints.0"), Code: "missing-field", Msg: `missing required field "event"`},
				{Path: path("spec.tracepoints.0.selectors.0.matchActions.0"), Code: "missing-field", Msg: `missing required field "action"`},
			},
		},
		{
			name: "missing metadata name",
			src:  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  labels: {a: b}\nspec: {}\n",
			want: []Error{{Path: path("metadata"), Code: "missing-field", Msg: `missing required field "name"`}},
		},
		{
			name: "bad apiVersion",
			src:  "apiVersion: cilium.io/v1\nkind: TracingPolicy\nmetadata:\n  name: x\nspec: {}\n",
			want: []Error{{Path: path("apiVersion"), Code: "bad-enum", Msg: `apiVersion "cilium.io/v1" is not "cilium.io/v1alpha1"`}},
		},
		{
			name: "missing apiVersion and kind",
			src:  "metadata:\n  name: x\nspec: {}\n",
			want: []Error{
				{Code: "missing-field", Msg: `missing required field "apiVersion"`},
				{Code: "missing-field", Msg: `missing required field "kind"`},
			},
		},
		{
			name: "bad kind",
			src:  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicies\nmetadata:\n  name: x\nspec: {}\n",
			want: []Error{{
				Path: path("kind"), Code: "bad-enum",
				Msg: `kind "TracingPolicies" is not one of TracingPolicy, TracingPolicyNamespaced`, Hint: `did you mean "TracingPolicy"?`,
			}},
		},
		{
			name: "namespace on a cluster-wide policy",
			src:  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: x\n  namespace: default\nspec: {}\n",
			want: []Error{{
				Path: path("metadata.namespace"), OnKey: true, Code: "unknown-field",
				Msg:  "metadata.namespace is not allowed for kind TracingPolicy",
				Hint: "a namespace is only valid with kind TracingPolicyNamespaced; a TracingPolicy is cluster-wide",
			}},
		},
		{
			name: "misspelt namespaced kind is judged as namespaced",
			src:  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicyNamespace\nmetadata:\n  name: x\n  namespace: default\nspec: {}\n",
			want: []Error{{
				Path: path("kind"), Code: "bad-enum",
				Msg: `kind "TracingPolicyNamespace" is not one of TracingPolicy, TracingPolicyNamespaced`, Hint: `did you mean "TracingPolicyNamespaced"?`,
			}},
		},
		{
			name: "negative index",
			src:  policy("  kprobes:\n  - call: x\n    args:\n    - {index: -1, type: int}\n"),
			want: []Error{{Path: path("spec.kprobes.0.args.0.index"), Code: "out-of-range", Msg: "index -1 is less than the minimum 0"}},
		},
		{
			name: "argError beyond int32",
			src:  policy("  kprobes:\n  - call: x\n    selectors:\n    - matchActions:\n      - {action: Override, argError: 3000000000}\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors.0.matchActions.0.argError"), Code: "out-of-range",
				Msg: "argError 3000000000 is greater than the maximum 2147483647",
			}},
		},
		{
			name: "too many tags",
			src:  policy("  kprobes:\n  - call: x\n    tags: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q]\n"),
			want: []Error{{Path: path("spec.kprobes.0.tags"), Code: "too-many", Msg: "tags has 17 items, more than the maximum 16"}},
		},
		{
			name: "bad rate limit scope",
			src:  policy("  kprobes:\n  - call: x\n    selectors:\n    - matchActions:\n      - {action: Post, rateLimit: 1m, rateLimitScope: Process}\n"),
			want: []Error{{
				Path: path("spec.kprobes.0.selectors.0.matchActions.0.rateLimitScope"), Code: "bad-enum",
				Msg: `rateLimitScope "Process" is not one of thread, process, global`, Hint: `did you mean "process"?`,
			}},
		},
		{
			name: "label values are strings",
			src:  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: x\n  labels:\n    tier: 1\nspec: {}\n",
			want: []Error{{
				Path: path("metadata.labels.tier"), Code: "wrong-type",
				Msg: "expected string, got integer 1", Hint: `quote the value: "1"`,
			}},
		},
		{
			name: "errors come sorted by path",
			src: policy(`  tracepoints:
  - subsystem: raw_syscalls
    event: sys_enter
    args: [{index: 4, type: syscall64}]
    selectors:
    - matchArgs: [{index: 0, operator: InMap, values: ["list:x"]}]
      matchActions: [{action: Sigkil}]
  kprobes:
  - call: fd_install
    rturn: true
`),
			want: []Error{
				{Path: path("spec.kprobes.0.rturn"), OnKey: true, Code: "unknown-field",
					Msg: `unknown field "rturn" in kprobes`, Hint: `did you mean "return"?`},
				{Path: path("spec.tracepoints.0.selectors.0.matchActions.0.action"), Code: "bad-enum",
					Msg:  `action "Sigkil" is not one of Post, FollowFD, UnfollowFD, Sigkill, CopyFD, Override, GetUrl, DnsLookup, ...`,
					Hint: `did you mean "Sigkill"?`},
			},
		},
		{
			name: "document that is not a mapping",
			src:  "- a\n- b\n",
			want: []Error{{Code: "wrong-type", Msg: "expected a mapping, got a list"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := validateYAML(t, tt.src)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidateAccepts: spellings and shapes Tetragon accepts must not be errors.
func TestValidateAccepts(t *testing.T) {
	tests := map[string]string{
		"operator aliases of Tetragon's parser": policy(`  kprobes:
  - call: tcp_connect
    args: [{index: 0, type: sock}]
    selectors:
    - matchArgs:
      - {index: 0, operator: lt, values: ["500"]}
      - {index: 0, operator: saddr, values: ["127.0.0.1/8"]}
      - {index: 0, operator: NotSPortPriv}
      - {index: 0, operator: NotSportPriv}
      - {index: 0, operator: GreaterThan, values: [1]}
`),
		"return actions and names in any case": policy(`  kprobes:
  - call: x
    returnArgAction: tracksock
    selectors:
    - matchActions: [{action: Sigkill}, {action: NotifyEnforcer, argSig: 9, argError: -1}]
      matchNamespaces: [{namespace: mnt, operator: In, values: [host_ns, 4026531840]}]
      matchCapabilities: [{type: effective, operator: NotIn, values: [CAP_SYS_ADMIN]}]
  lists:
  - {name: a, type: SYSCALLS, values: [sys_dup]}
  - {name: b, type: ""}
`),
		"integers and strings as argument values": policy(`  kprobes:
  - call: list:dups
    args: [{index: 0, type: int}]
    selectors:
    - matchArgs: [{index: 0, operator: Equal, values: [9999, "1"]}]
      matchReturnArgs: [{index: 0, operator: NotEqual, values: [0]}]
`),
		"empty values are absent values": policy(`  kprobes:
  - call: x
    args:
    selectors:
    - matchArgs:
      matchActions:
`),
		"namespaced policy": "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicyNamespaced\nmetadata:\n  name: x\n  namespace: prod\nspec:\n  podSelector:\n    matchLabels: {app: web}\n    matchExpressions: [{key: tier, operator: In, values: [a]}]\n",
		"every hook kind and spec field": policy(`  loader: true
  options: [{name: disable-kprobe-multi, value: "1"}]
  enforcers: [{calls: [list:dups]}]
  containerSelector: {matchLabels: {name: main}}
  kprobes:
  - call: sk_alloc
    syscall: false
    return: true
    message: socket allocated
    tags: [net]
    ignore: {callNotFound: true}
    args: [{index: 1, type: int, label: family}]
    data: [{index: 0, type: uint64, source: pt_regs, resolve: di}]
    returnArg: {index: 0, type: sock}
    returnArgAction: TrackSock
    selectors:
    - matchData: [{index: 0, operator: Equal, values: ["1"]}]
      matchParentBinaries: [{operator: In, values: [/bin/sh], followChildren: true}]
      matchNamespaceChanges: [{operator: In, values: [Mnt]}]
      matchCapabilityChanges: [{type: Effective, operator: In, isNamespaceCapability: true, values: [CAP_SETUID]}]
      matchReturnActions: [{action: Post, rateLimit: 5, rateLimitScope: global, kernelStackTrace: true, userStackTrace: true, imaHash: true}]
  tracepoints:
  - {subsystem: sched, event: sched_process_exec, raw: true, message: m, tags: [t], args: [{index: 2, type: linux_binprm}]}
  uprobes:
  - path: /bin/bash
    symbols: [readline]
    offsets: [16]
    refCtrOffsets: [0]
    btfPath: /sys/kernel/btf/vmlinux
    return: true
    returnArg: {index: 0, type: int}
    args: [{index: 0, type: string, btfType: "char *", resolve: ""}]
    selectors: [{matchActions: [{action: Override, argError: -1, argRegs: ["rax=0"]}]}]
  - {path: /bin/sh, symbol: main}
  lsmhooks:
  - {hook: file_open, args: [{index: 0, type: file}], selectors: [{matchActions: [{action: Post, imaHash: true}]}]}
  usdts:
  - {path: /bin/x, provider: p, name: n, btfPath: /b, selectors: [{matchActions: [{action: Set, argIndex: 0, argValue: 32}]}]}
  lists:
  - {name: k, type: generated_ftrace, pattern: "^ksys_*", validated: false}
`),
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			if errs := validateYAML(t, src); len(errs) != 0 {
				t.Errorf("want no errors, got:\n%v", errs)
			}
		})
	}
}

// TestValidateRawYAMLShapes: documents straight from yaml.v3 (int, not int64) work too.
func TestValidateRawYAMLShapes(t *testing.T) {
	var doc any
	src := policy("  kprobes:\n  - call: x\n    args: [{index: 0, type: int}]\n    selectors:\n    - matchPIDs: [{operator: In, values: [1, 2]}]\n")
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	if errs := Validate(doc); len(errs) != 0 {
		t.Errorf("want no errors, got %v", errs)
	}
	bad := map[any]any{
		"apiVersion": "cilium.io/v1alpha1", "kind": "TracingPolicy",
		"metadata": map[any]any{"name": "x"},
		"spec":     map[string]any{"kprobes": []any{map[string]any{"call": "x", "args": []map[string]any{{"index": int32(-2), "type": "int"}}}}},
	}
	want := []Error{{Path: path("spec.kprobes.0.args.0.index"), Code: "out-of-range", Msg: "index -2 is less than the minimum 0"}}
	if diff := cmp.Diff(want, Validate(bad)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
