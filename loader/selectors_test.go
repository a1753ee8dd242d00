package loader

import (
	"errors"
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
)

// TestCheckSelectors: pod and container selectors are refused (polrun has
// no pod metadata); a nodeSelector is applied to the node's labels, and
// refused when they are not given.
func TestCheckSelectors(t *testing.T) {
	bundle := func(m bpf.Manifest) *Bundle {
		m.Policy = "p"
		return &Bundle{Manifest: &m}
	}
	arm := &bpf.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/arch": "arm64"},
		MatchExpressions: []bpf.LabelRequirement{{Key: "tier", Operator: "NotIn", Values: []string{"db"}}}}
	for _, c := range []struct {
		name   string
		m      bpf.Manifest
		labels map[string]string
		err    string
	}{
		{"no selectors", bpf.Manifest{}, nil, ""},
		{"podSelector", bpf.Manifest{PodSelectors: []string{"podSelector"}}, map[string]string{"a": "b"}, "needs Kubernetes pod metadata"},
		{"TracingPolicyNamespaced", bpf.Manifest{Namespace: "team-a", PodSelectors: []string{"TracingPolicyNamespaced"}}, nil,
			"its kind TracingPolicyNamespaced (namespace team-a) restricts it to pods or containers, which needs Kubernetes pod metadata that polrun does not have; not loaded (make it a TracingPolicy without metadata.namespace to apply it to every process)"},
		{"resolvePathInContainer", bpf.Manifest{PodSelectors: []string{"podSelector", "resolvePathInContainer"}}, nil,
			"podSelector and resolvePathInContainer restrict it to pods or containers, which needs Kubernetes pod metadata that polrun does not have; not loaded (remove podSelector and remove resolvePathInContainer to apply it to every process)"},
		{"empty nodeSelector", bpf.Manifest{NodeSelector: &bpf.LabelSelector{}}, nil, ""},
		{"nodeSelector without labels", bpf.Manifest{NodeSelector: arm}, nil, "give this node's labels with --node-labels"},
		{"nodeSelector selects", bpf.Manifest{NodeSelector: arm}, map[string]string{"kubernetes.io/arch": "arm64"}, ""},
		{"nodeSelector rejects", bpf.Manifest{NodeSelector: arm}, map[string]string{"kubernetes.io/arch": "amd64"}, "does not select this node"},
		{"NotIn rejects", bpf.Manifest{NodeSelector: arm}, map[string]string{"kubernetes.io/arch": "arm64", "tier": "db"}, "does not select this node"},
	} {
		err := checkSelectors([]*Bundle{bundle(c.m)}, c.labels)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.err)
		}
		if c.err == "does not select this node" && !errors.Is(err, ErrNotThisNode) {
			t.Errorf("%s: %v is not ErrNotThisNode", c.name, err)
		}
	}
}

func TestParseLabels(t *testing.T) {
	l, err := ParseLabels("kubernetes.io/arch=amd64, tier=web,empty=")
	if err != nil || len(l) != 3 || l["kubernetes.io/arch"] != "amd64" || l["tier"] != "web" || l["empty"] != "" {
		t.Errorf("%v %v", l, err)
	}
	for _, bad := range []string{"novalue", "=x", "a=1,a=2"} {
		if _, err := ParseLabels(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
