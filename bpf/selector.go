package bpf

import "slices"

// LabelSelector is a Kubernetes label selector, as a policy's
// spec.nodeSelector writes it: matchLabels and matchExpressions, ANDed. An
// empty selector selects every set of labels, as in Kubernetes (and
// Tetragon's TracingPolicy nodeSelector).
type LabelSelector struct {
	MatchLabels      map[string]string  `json:"matchLabels,omitempty"`
	MatchExpressions []LabelRequirement `json:"matchExpressions,omitempty"`
}

// LabelRequirement is one matchExpressions entry: Operator is In, NotIn,
// Exists or DoesNotExist.
type LabelRequirement struct {
	Key      string   `json:"key"`
	Operator string   `json:"operator"`
	Values   []string `json:"values,omitempty"`
}

// Matches reports whether labels satisfy s, with Kubernetes' meaning: In
// needs the key with one of the values; NotIn passes when the key is
// absent or has none of them; Exists and DoesNotExist test the key. An
// unknown operator never matches.
func (s *LabelSelector) Matches(labels map[string]string) bool {
	if s == nil {
		return true
	}
	for k, v := range s.MatchLabels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	for _, r := range s.MatchExpressions {
		v, ok := labels[r.Key]
		switch r.Operator {
		case "In":
			if !ok || !slices.Contains(r.Values, v) {
				return false
			}
		case "NotIn":
			if ok && slices.Contains(r.Values, v) {
				return false
			}
		case "Exists":
			if !ok {
				return false
			}
		case "DoesNotExist":
			if ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}
