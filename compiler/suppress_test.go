package compiler

import (
	"fmt"
	"strings"
	"testing"
)

const suppressPolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: quiet
spec:
  kprobes:
  - call: fd_install
    syscall: false
    args:
    - index: 0
      type: int
    selectors:
    %s
    - {}
    - matchArgs:
      - index: 0
        operator: Equall
        values: ["1"]
`

// findings lists "LINE:SEVERITY:CODE" of what Check reports on src.
func findings(t *testing.T, src string, opts Options) ([]string, *Result) {
	t.Helper()
	res := Check([]*Source{NewSource("q.yaml", []byte(src))}, opts)
	var out []string
	for _, d := range res.Diagnostics {
		out = append(out, fmt.Sprintf("%d:%s:%s", d.Pos.Line, d.Severity, d.Code))
	}
	return out, res
}

func TestSuppress(t *testing.T) {
	cases := []struct {
		name    string
		comment string // line 13, above the empty selector on line 14
		opts    Options
		want    string
		silent  int
	}{
		{"none", "# nothing here", Options{Lint: true}, "14:warning:empty-selector 17:error:bad-enum", 0},
		{"line-above", "# polc:ignore empty-selector the audit wants every call", Options{Lint: true}, "17:error:bad-enum", 1},
		{"two-codes", "# polc:ignore duplicate-value, empty-selector every call", Options{Lint: true}, "17:error:bad-enum", 1},
		{"no-reason", "# polc:ignore empty-selector", Options{Lint: true}, "13:warning:bad-ignore 14:warning:empty-selector 17:error:bad-enum", 0},
		{"unknown-code", "# polc:ignore empty-selectr typo", Options{Lint: true}, "13:warning:bad-ignore 14:warning:empty-selector 17:error:bad-enum", 0},
		{"no-codes", "# polc:ignore", Options{Lint: true}, "13:warning:bad-ignore 14:warning:empty-selector 17:error:bad-enum", 0},
		{"unused", "# polc:ignore never-matches not what is here", Options{Lint: true}, "13:warning:unused-ignore 14:warning:empty-selector 17:error:bad-enum", 0},
		{"unused-without-lint", "# polc:ignore never-matches not what is here", Options{}, "17:error:bad-enum", 0},
		{"errors-stay", "# polc:ignore empty-selector every call", Options{Lint: true, Disable: []string{"bad-enum"}}, "17:error:bad-enum", 1},
		{"disable", "# nothing here", Options{Lint: true, Disable: []string{"empty-selector"}}, "17:error:bad-enum", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, res := findings(t, fmt.Sprintf(suppressPolicy, tc.comment), tc.opts)
			if strings.Join(got, " ") != tc.want {
				t.Errorf("got %q\nwant %q", strings.Join(got, " "), tc.want)
			}
			if res.Suppressed != tc.silent {
				t.Errorf("Suppressed %d, want %d", res.Suppressed, tc.silent)
			}
		})
	}
	// On the finding's own line.
	src := strings.Replace(fmt.Sprintf(suppressPolicy, "# x"), "    - {}\n", "    - {} # polc:ignore empty-selector every call\n", 1)
	if got, _ := findings(t, src, Options{Lint: true}); strings.Join(got, " ") != "17:error:bad-enum" {
		t.Errorf("same-line directive: %q", got)
	}
}

// TestPoliciesOnly: with PoliciesOnly, files that are not policies are
// skipped without a word (empty files, Helm templates that are not YAML,
// other Kubernetes objects, YAML without a kind); a broken file that names
// a TracingPolicy is still reported.
func TestPoliciesOnly(t *testing.T) {
	srcs := []*Source{
		NewSource("empty.yaml", nil),
		NewSource("chart/templates/deploy.yaml", []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {{- include \"x\" . | nindent 4 }}\n")),
		NewSource("cm.yaml", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")),
		NewSource(".pre-commit-config.yaml", []byte("repos:\n- repo: local\n")),
		NewSource("broken.yaml", []byte("a: [\n")),
		NewSource("policy.yaml", []byte("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: p\nspec:\n  kprobes: [\n")),
	}
	res := Check(srcs, Options{PoliciesOnly: true})
	if res.Skipped != 5 {
		t.Errorf("Skipped %d, want 5", res.Skipped)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Pos.File != "policy.yaml" || res.Diagnostics[0].Code != "yaml-syntax" {
		t.Errorf("diagnostics %v, want the broken policy's syntax error alone", res.Diagnostics)
	}
}
