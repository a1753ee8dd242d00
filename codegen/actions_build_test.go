package codegen

import (
	"slices"
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/compiler"
)

// buildResult checks, lowers and builds a policy given as text, returning
// codegen's result.
func buildResult(t *testing.T, name, text string) (*Bundle, error) {
	t.Helper()
	src := compiler.NewSource(name, []byte(text))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("%s: %v", name, res.Diagnostics)
	}
	p, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{})
	if p == nil {
		t.Fatalf("%s: %v", name, diags)
	}
	return Build(p, Options{Source: name})
}

const actionsHeader = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "actions"
spec:
`

// TestOverrideModes: how Override takes effect is decided per hook:
// fmod_ret on a security_* function, bpf_override_return on a syscall
// (with a hint for kernels without it), the program's return value on an
// LSM hook; the manifest and the required features say so.
func TestOverrideModes(t *testing.T) {
	for _, c := range []struct {
		name, hook          string
		attach, override    string
		feature, notFeature string
		hint                string
	}{
		{"security", `  kprobes:
  - call: "security_inode_mkdir"
    syscall: false
`, "fmod_ret", bpf.OverrideFmodRet, bpf.FeatureFmodRet, bpf.FeatureKprobe, "the BPF LSM hook inode_mkdir"},
		{"syscall", `  kprobes:
  - call: "sys_symlinkat"
    syscall: true
`, "kprobe", bpf.OverrideReturn, bpf.FeatureOverride, bpf.FeatureFmodRet, "hook security_inode_symlink instead of sys_symlinkat"},
		{"lsm", `  lsmhooks:
  - hook: "inode_mkdir"
`, "lsm", bpf.OverrideLSM, bpf.FeatureLSM, bpf.FeatureOverride, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := buildResult(t, c.name+".yaml", actionsHeader+c.hook+`    selectors:
    - matchActions:
      - action: Override
        argError: -1
`)
			if err != nil {
				t.Fatal(err)
			}
			h := b.Manifest.Hooks[0]
			if h.Programs[0].Attach != c.attach || h.Override != c.override || !strings.Contains(h.OverrideHint, c.hint) || (c.hint == "") != (h.OverrideHint == "") {
				t.Errorf("hook %+v: want attach %s, override %s, hint %q", h, c.attach, c.override, c.hint)
			}
			if !slices.Contains(b.Manifest.Features, c.feature) || slices.Contains(b.Manifest.Features, c.notFeature) {
				t.Errorf("features %v: want %s, not %s", b.Manifest.Features, c.feature, c.notFeature)
			}
		})
	}
}

// TestActionRefusals: what the actions cannot do is an error naming the
// action, never a program doing something else.
func TestActionRefusals(t *testing.T) {
	for _, c := range []struct{ name, policy, want string }{
		{"two GetUrl", `  kprobes:
  - call: "fd_install"
    selectors:
    - matchActions:
      - action: GetUrl
        argUrl: "http://a.example/"
      - action: GetUrl
        argUrl: "http://b.example/"
`, "a second GetUrl in one selector"},
		{"FollowFD of a number", `  kprobes:
  - call: "fd_install"
    args:
    - index: 0
      type: int
    - index: 1
      type: int
    selectors:
    - matchActions:
      - action: FollowFD
        argFd: 0
        argName: 1
`, "argName of FollowFD is a int argument"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := buildResult(t, "refused.yaml", actionsHeader+c.policy)
			var errs Errors
			if !asErrors(err, &errs) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("build: %v, want an error with %q", err, c.want)
			}
		})
	}
}

func asErrors(err error, out *Errors) bool {
	e, ok := err.(Errors)
	*out = e
	return ok
}
