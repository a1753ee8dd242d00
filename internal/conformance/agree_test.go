package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/target"
)

// polc validate must never pass what polc build then refuses for a reason
// validate could know (issue 15). These tests run both over every policy
// polc has at hand — the error-free documents of testdata/validate and
// testdata/golden, Tetragon's corpus, the spec's examples — and over
// policies generated from the schema's enumerations (every argument type
// with every matchArgs operator and a few values of each kind, every
// action, on each hook kind): a policy that validates and that build then
// refuses is a failure naming both.
//
// Without a target both run without one, as `polc validate p.yaml` and
// `polc build p.yaml` do: what build needs a target for (generated_ftrace
// lists, resolve through members) validate must then refuse too.

var positionRE = regexp.MustCompile(`\b\d+:\d+: `)

// agreeArch is what the policies are checked and built for.
const agreeArch = arch.X86_64

// disagreement checks one source as polc validate and polc build do and
// returns, for each policy that validates and does not build, the build's
// errors; "" when they agree.
//
// A policy that validate warns needs a target (needs-target: resolve,
// generated_ftrace lists, a tracepoint whose format polc does not know)
// must then validate and build with one: Debian 6.12's profile.
func disagreement(t testing.TB, name string, data []byte) string {
	d, _ := disagreementBuilt(t, name, data)
	return d
}

// disagreementBuilt is disagreement, and whether a policy validated (and
// so was built).
func disagreementBuilt(t testing.TB, name string, data []byte) (string, bool) {
	d, needsTarget, built := disagreementOn(name, data, nil)
	if d != "" && needsTarget {
		d, _, _ = disagreementOn(name, data, agreeTarget(t))
		if d != "" {
			d = "with the target validate asks for: " + d
		}
	}
	return d, built
}

func disagreementOn(name string, data []byte, tg *target.Profile) (string, bool, bool) {
	src := compiler.NewSource(name, data)
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: agreeArch, Target: tg})
	needsTarget := false
	for _, d := range res.Diagnostics {
		needsTarget = needsTarget || d.Code == "needs-target"
	}
	var out []string
	for _, pol := range res.Policies {
		p, diags := compiler.Lower(pol, compiler.LowerOptions{Arch: agreeArch, Target: tg})
		if compiler.Count(diags, compiler.Error) > 0 {
			out = append(out, "lower: "+errorDiags(diags))
			continue
		}
		if _, err := codegen.Build(p, codegen.Options{Arch: agreeArch, Source: name, SourceData: data, Compiler: "agree", Target: tg}); err != nil {
			out = append(out, "codegen: "+buildError(err))
		}
	}
	return strings.Join(out, "; "), needsTarget, len(res.Policies) > 0
}

// offlineInVM reports (and says) that the test runs in a vmtest guest,
// where the offline checks are not run: they need no kernel, read the
// repository's testdata (target profiles, which the guests lack) and only
// repeat the host's run at TCG speed.
func offlineInVM(t *testing.T) bool {
	if !testenv.InVM() {
		return false
	}
	t.Log("an offline check (no kernel): run on the host, not in the vmtest guest")
	return true
}

var agreeTarget = func() func(testing.TB) *target.Profile {
	var p *target.Profile
	return func(t testing.TB) *target.Profile {
		if p == nil {
			var err error
			if p, err = target.ReadFile("../../testdata/targets/debian-6.12.tar.gz"); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
}()

// TestValidateAgreesWithBuild: the policies polc has at hand.
func TestValidateAgreesWithBuild(t *testing.T) {
	if offlineInVM(t) {
		return
	}
	var files []string
	for _, dir := range []string{"../../testdata/validate", "../../testdata/golden", "../../codegen/testdata/golden", "../../examples", corpusDirForAgree()} {
		for _, pat := range []string{"*.yaml", "*.yml"} {
			m, _ := filepath.Glob(filepath.Join(dir, pat))
			files = append(files, m...)
		}
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.yaml") {
			continue // policy tests (polc test), not policies
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		if d := disagreement(t, filepath.Base(f), data); d != "" {
			t.Errorf("%s: validates, and build refuses it: %s", f, d)
		}
	}
	specs, _ := filepath.Glob("../../../shared/spec/*.md")
	for _, f := range specs {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, block := range yamlBlocks(string(data)) {
			if !strings.Contains(block, "apiVersion:") {
				continue
			}
			checked++
			if d := disagreement(t, fmt.Sprintf("%s#%d", filepath.Base(f), i), []byte(block)); d != "" {
				t.Errorf("%s block %d: validates, and build refuses it: %s", filepath.Base(f), i, d)
			}
		}
	}
	t.Logf("%d files and spec examples checked", checked)
}

func corpusDirForAgree() string {
	if d := os.Getenv("POLC_CORPUS"); d != "" {
		return d
	}
	return "../../../shared/corpus/tetragon-examples"
}

// yamlBlocks returns the ```yaml blocks of a Markdown text.
func yamlBlocks(md string) []string {
	var blocks, cur []string
	in := false
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case !in && strings.HasPrefix(trimmed, "```yaml"):
			in, cur = true, nil
		case in && strings.HasPrefix(trimmed, "```"):
			in = false
			blocks = append(blocks, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}

// The generated policies: a hook of each kind, reading argument 0 as each
// type, with and without a matchArgs filter of each operator.
var agreeHooks = []struct {
	name, head string
	index      int
}{
	{"kprobe-syscall", "kprobes:\n  - call: sys_openat\n    syscall: true\n", 1},
	{"kprobe", "kprobes:\n  - call: security_file_open\n    syscall: false\n", 0},
	{"kretprobe", "kprobes:\n  - call: security_file_open\n    syscall: false\n    return: true\n    returnArg: {index: 0, type: int}\n", 0},
	{"tracepoint-id", "tracepoints:\n  - subsystem: raw_syscalls\n    event: sys_enter\n", 4},
	{"tracepoint-args", "tracepoints:\n  - subsystem: raw_syscalls\n    event: sys_enter\n", 5},
	{"tracepoint-openat", "tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n", 6},
	{"lsm", "lsmhooks:\n  - hook: file_open\n", 0},
	{"uprobe", "uprobes:\n  - path: /bin/bash\n    symbols: [readline]\n", 0},
	{"usdt", "usdts:\n  - path: /usr/bin/prog\n    provider: test\n    name: probe\n", 0},
}

var agreeTypes = []string{"auto", "int", "sint8", "int8", "uint8", "sint16", "int16", "uint16", "uint32", "sint32", "int32",
	"ulong", "uint64", "size_t", "long", "sint64", "int64", "char_buf", "char_iovec", "skb", "sock", "sockaddr", "socket",
	"string", "fd", "file", "filename", "path", "nop", "bpf_attr", "perf_event", "bpf_map", "user_namespace", "capability",
	"kiocb", "iov_iter", "cred", "const_buf", "load_info", "module", "syscall64", "kernel_cap_t", "cap_inheritable",
	"cap_permitted", "cap_effective", "linux_binprm", "data_loc", "net_device", "bpf_cmd", "dentry", "bpf_prog",
	"unsigned long", "int32_arr", "sockaddr_un"}

var agreeOps = []string{"Equal", "NotEqual", "Prefix", "NotPrefix", "Postfix", "NotPostfix", "GreaterThan", "LessThan",
	"Mask", "SPort", "NotSPort", "SPortPriv", "NotSportPriv", "DPort", "NotDPort", "DPortPriv", "NotDPortPriv", "SAddr",
	"NotSAddr", "DAddr", "NotDAddr", "Protocol", "Family", "State", "InMap", "NotInMap", "CapabilitiesGained", "InRange",
	"NotInRange", "SubString", "SubStringIgnCase", "FileType", "NotFileType"}

var agreeValues = []string{`"1"`, `"reg"`, `"/etc/passwd"`, `"127.0.0.1/8"`, `"80"`, `"IPPROTO_TCP"`, `"AF_INET"`, `"TCP_ESTABLISHED"`,
	`"1:5"`, `"CAP_SYS_ADMIN"`, `"sys_dup"`}

// argDecls are the ways argument 0 is declared for a type.
func argDecls(index int, typ string) []string {
	base := fmt.Sprintf("    args:\n    - index: %d\n      type: %q\n", index, typ)
	out := []string{base}
	for _, extra := range []string{"maxData: true", "returnCopy: true", "sizeArgIndex: 2", "label: x"} {
		out = append(out, base+"      "+extra+"\n")
	}
	return out
}

func agreePolicy(head, args, selectors string) string {
	return "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: agree\nspec:\n  " + head + args + selectors
}

// TestGeneratedAgree: the generated policies.
func TestGeneratedAgree(t *testing.T) {
	if offlineInVM(t) {
		return
	}
	if testing.Short() {
		t.Skip("builds some thousand policies")
	}
	// Failures are grouped by the build's message (positions removed),
	// each with the first few policies that got it.
	seen := map[string][]string{}
	examples := map[string]string{}
	try := func(label, src string) bool {
		d, built := disagreementBuilt(t, "gen.yaml", []byte(src))
		if d != "" {
			key := positionRE.ReplaceAllString(d, "")
			if len(seen[key]) == 0 {
				examples[key] = src
			}
			seen[key] = append(seen[key], label)
		}
		return built
	}
	n := 0
	for _, h := range agreeHooks {
		for _, typ := range agreeTypes {
			for _, decl := range argDecls(h.index, typ) {
				n++
				try(h.name+" "+typ, agreePolicy(h.head, decl, ""))
			}
			decl := argDecls(h.index, typ)[0]
			for _, op := range agreeOps {
				// Values of the kinds the operator takes: the first two
				// that validate are built (more of one kind build alike).
				built := 0
				for _, v := range agreeValues {
					if built == 2 {
						break
					}
					n++
					sel := fmt.Sprintf("    selectors:\n    - matchArgs:\n      - index: %d\n        operator: %s\n        values: [%s]\n", h.index, op, v)
					if try(h.name+" "+typ+" "+op, agreePolicy(h.head, decl, sel)) {
						built++
					}
				}
			}
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		labels := seen[k]
		if len(labels) > 6 {
			labels = append(labels[:6:6], "...")
		}
		t.Errorf("%s\n\t%d policies: %s; e.g.:\n%s", k, len(seen[k]), strings.Join(labels, ", "), examples[k])
	}
	t.Logf("%d generated policies", n)
}

// TestGeneratedActionsAgree: every action, with the fields it reads, in
// matchActions and matchReturnActions of each hook kind, with arguments of
// a few types for the actions that name them.
func TestGeneratedActionsAgree(t *testing.T) {
	if offlineInVM(t) {
		return
	}
	actions := []string{"Post", "NoPost", "Sigkill", "Signal, argSig: 9", "Override, argError: -1",
		"FollowFD, argFd: 0, argName: 1", "UnfollowFD, argFd: 0, argName: 1", "CopyFD, argFd: 0, argName: 1",
		"GetUrl, argUrl: \"http://example.com\"", "DnsLookup, argFqdn: \"example.com\"", "TrackSock, argSock: 0",
		"UntrackSock, argSock: 0", "NotifyEnforcer, argError: -1", "NotifyEnforcer, argSig: 9", "CleanupEnforcerNotification",
		"Set, argIndex: 0, argValue: 1", "Post, rateLimit: \"1m\"", "Post, rateLimit: 5, rateLimitScope: process",
		"Post, kernelStackTrace: true", "Post, userStackTrace: true", "Post, imaHash: true"}
	argSets := []string{
		"    args:\n    - {index: 0, type: \"int\"}\n    - {index: 1, type: \"string\"}\n",
		"    args:\n    - {index: 0, type: \"fd\"}\n    - {index: 1, type: \"file\"}\n",
		"    args:\n    - {index: 0, type: \"sock\"}\n",
	}
	var failures []string
	n := 0
	for _, h := range agreeHooks {
		if strings.HasPrefix(h.name, "tracepoint") {
			continue // their fields are not these (TestGeneratedAgree)
		}
		for _, args := range argSets {
			for _, act := range actions {
				for _, where := range []string{"matchActions", "matchReturnActions"} {
					n++
					head := "enforcers:\n  - calls: [\"sys_openat\", \"security_file_open\"]\n  " + h.head
					sel := fmt.Sprintf("    selectors:\n    - %s:\n      - {action: %s}\n", where, act)
					src := agreePolicy(head, args, sel)
					if d := disagreement(t, "gen.yaml", []byte(src)); d != "" {
						failures = append(failures, fmt.Sprintf("%s %s %q: %s", h.name, where, act, positionRE.ReplaceAllString(d, "")))
					}
				}
			}
		}
	}
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("%d generated policies", n)
}
