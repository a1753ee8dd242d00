package loader

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ErrNotThisNode is returned (wrapped) by Load for a bundle whose node
// selector does not select this node's labels.
var ErrNotThisNode = fmt.Errorf("the policy's nodeSelector does not select this node")

// checkSelectors refuses, before anything is loaded, a bundle that needs
// Kubernetes pod metadata (a podSelector or containerSelector: polrun has
// none, and ignoring them would apply the policy to every process), and
// one whose nodeSelector does not select this node's labels (labels; nil
// when polrun was not told them).
func checkSelectors(bundles []*Bundle, labels map[string]string) error {
	for _, b := range bundles {
		m := b.Manifest
		if len(m.PodSelectors) > 0 {
			// The manifest names the fields (podSelector,
			// containerSelector) and the kind TracingPolicyNamespaced,
			// which Tetragon applies to the pods of its namespace only.
			var what, fix []string
			for _, s := range m.PodSelectors {
				if s == namespacedKind {
					what = append(what, fmt.Sprintf("its kind %s (namespace %s)", s, m.Namespace))
					fix = append(fix, "make it a TracingPolicy without metadata.namespace")
					continue
				}
				what = append(what, s)
				fix = append(fix, "remove "+s)
			}
			verb := "restricts"
			if len(what) > 1 {
				verb = "restrict"
			}
			return fmt.Errorf("policy %s: %s %s it to pods or containers, which needs Kubernetes pod metadata that polrun does not have; not loaded (%s to apply it to every process)",
				b.Name(), strings.Join(what, " and "), verb, strings.Join(fix, " and "))
		}
		sel := m.NodeSelector
		if sel == nil || len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0 {
			continue // selects every node
		}
		if labels == nil {
			return fmt.Errorf("policy %s has a nodeSelector: give this node's labels with --node-labels KEY=VALUE,... to load it", b.Name())
		}
		if !sel.Matches(labels) {
			return fmt.Errorf("policy %s: %w (labels %s); not loaded", b.Name(), ErrNotThisNode, formatLabels(labels))
		}
	}
	return nil
}

// namespacedKind in a manifest's PodSelectors: the policy is a
// TracingPolicyNamespaced.
const namespacedKind = "TracingPolicyNamespaced"

// ParseLabels reads KEY=VALUE,... (polrun --node-labels); "" is no labels.
func ParseLabels(s string) (map[string]string, error) {
	labels := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if strings.TrimSpace(kv) == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("label %q is not KEY=VALUE", kv)
		}
		if _, dup := labels[k]; dup {
			return nil, fmt.Errorf("label %q given twice", k)
		}
		labels[k] = strings.TrimSpace(v)
	}
	return labels, nil
}

func formatLabels(labels map[string]string) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		out = append(out, k+"="+labels[k])
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ",")
}
