package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// Meta is what the event filters look at in an event.
type Meta struct {
	// Kind is the event's field in Tetragon's GetEventsResponse
	// (process_kprobe, ...), the key of its JSON line.
	Kind string
	// Policy is the policy that posted the event, "" for none.
	Policy string
	// Binary is the process's binary; HasProcess is false when the
	// event has no process.
	Binary     string
	HasProcess bool
}

// eventTypes maps Tetragon's EventType names (filters' event_set) to the
// event's JSON key. polrun does not emit every one of them: a filter may
// still name them, as Tetragon's does, and matches no event then.
var eventTypes = map[string]string{
	"PROCESS_EXEC":       "process_exec",
	"PROCESS_EXIT":       "process_exit",
	"PROCESS_KPROBE":     "process_kprobe",
	"PROCESS_TRACEPOINT": "process_tracepoint",
	"PROCESS_LOADER":     "process_loader",
	"PROCESS_UPROBE":     "process_uprobe",
	"PROCESS_THROTTLE":   "process_throttle",
	"PROCESS_LSM":        "process_lsm",
	"PROCESS_USDT":       "process_usdt",
	"RATE_LIMIT_INFO":    "rate_limit_info",
}

// unsupportedFields are the fields of Tetragon's Filter polrun cannot
// apply, with the reason: a filter naming one is refused.
var unsupportedFields = map[string]string{
	"pid":                    "polrun filters do not select by pid",
	"pid_set":                "polrun filters do not select by pid",
	"health_check":           "polrun has no health-check events",
	"arguments_regex":        "polrun filters do not match arguments",
	"parent_binary_regex":    "polrun filters do not match the parent",
	"parent_arguments_regex": "polrun filters do not match the parent",
	"ancestor_binary_regex":  "polrun events have no ancestors",
	"labels":                 "polrun events carry no pod labels",
	"pod_regex":              "polrun events carry no pod",
	"container_id":           "polrun events carry no container",
	"capabilities":           "polrun filters do not match capabilities",
	"cel_expression":         "polrun has no CEL evaluator",
	"in_init_tree":           "polrun does not track the init tree",
	"namespace_regex":        "polrun events carry no pod",
}

// Filter is one object of an allow or deny list: every field it sets must
// match.
type Filter struct {
	eventSet     map[string]bool // JSON keys
	binary       []*regexp.Regexp
	namespace    []string
	hasNamespace bool
	policies     []string
}

// Filters is an allow or deny list: it matches an event that any of its
// filters matches.
type Filters []*Filter

// Match says whether any filter of fs matches the event.
func (fs Filters) Match(m *Meta) bool {
	for _, f := range fs {
		if f.match(m) {
			return true
		}
	}
	return false
}

// NeedsProcess says whether a filter looks at the process (binary_regex,
// namespace), which a compact line does not carry.
func (fs Filters) NeedsProcess() bool {
	for _, f := range fs {
		if len(f.binary) > 0 || f.hasNamespace {
			return true
		}
	}
	return false
}

// NeedsKind says whether a filter looks at the event type.
func (fs Filters) NeedsKind() bool {
	for _, f := range fs {
		if f.eventSet != nil {
			return true
		}
	}
	return false
}

// NamedNamespaces are the non-empty namespaces the filters name: polrun
// events carry no pod, so only "" (not in a pod) matches them.
func (fs Filters) NamedNamespaces() []string {
	var out []string
	for _, f := range fs {
		for _, n := range f.namespace {
			if n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

func (f *Filter) match(m *Meta) bool {
	if f.eventSet != nil && !f.eventSet[m.Kind] {
		return false
	}
	if len(f.binary) > 0 {
		if !m.HasProcess {
			return false
		}
		ok := false
		for _, re := range f.binary {
			if re.MatchString(m.Binary) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if f.hasNamespace {
		// Tetragon: a process not in a pod matches the namespace "".
		// polrun knows no pods.
		ok := false
		for _, n := range f.namespace {
			if n == "" && m.HasProcess {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if len(f.policies) > 0 {
		ok := false
		for _, p := range f.policies {
			if m.Policy != "" && p == m.Policy {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// snake turns protojson's lowerCamelCase field names (which Tetragon
// accepts too) into the proto names.
func snake(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// decodeObjects reads the JSON objects of s, one after the other
// (Tetragon's filter lists are one object per line).
func decodeObjects(flag, s string) ([]map[string]json.RawMessage, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	var out []map[string]json.RawMessage
	for i := 1; ; i++ {
		var obj map[string]json.RawMessage
		err := dec.Decode(&obj)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: object %d: %v (want one JSON object per line, as Tetragon's)", flag, i, err)
		}
		if obj == nil {
			return nil, fmt.Errorf("%s: object %d: null (want one JSON object per line)", flag, i)
		}
		out = append(out, obj)
	}
}

// ParseFilters parses an allow or deny list in the form of Tetragon's
// --export-allowlist. flag names it in errors.
func ParseFilters(flag, s string) (Filters, error) {
	objs, err := decodeObjects(flag, s)
	if err != nil {
		return nil, err
	}
	var fs Filters
	for i, obj := range objs {
		f := &Filter{}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			raw := obj[k]
			where := fmt.Sprintf("%s: object %d: field %s", flag, i+1, k)
			var list []string
			name := snake(k)
			if why, ok := unsupportedFields[name]; ok {
				return nil, fmt.Errorf("%s: not supported (%s); polrun supports event_set, binary_regex, namespace and policy_names", where, why)
			}
			switch name {
			case "event_set", "binary_regex", "namespace", "policy_names":
				if err := json.Unmarshal(raw, &list); err != nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
					return nil, fmt.Errorf("%s: want a list of strings", where)
				}
			default:
				return nil, fmt.Errorf("%s: unknown field; polrun supports event_set, binary_regex, namespace and policy_names", where)
			}
			switch name {
			case "event_set":
				// An empty list sets no condition, as an empty
				// repeated field in Tetragon's.
				if len(list) == 0 {
					continue
				}
				f.eventSet = map[string]bool{}
				for _, t := range list {
					key, ok := eventTypes[t]
					if !ok {
						return nil, fmt.Errorf("%s: unknown event type %q (one of %s)", where, t, strings.Join(eventTypeNames(), ", "))
					}
					f.eventSet[key] = true
				}
			case "binary_regex":
				for _, expr := range list {
					re, err := regexp.Compile(expr)
					if err != nil {
						return nil, fmt.Errorf("%s: %v", where, err)
					}
					f.binary = append(f.binary, re)
				}
			case "namespace":
				f.namespace, f.hasNamespace = list, len(list) > 0
			case "policy_names":
				f.policies = list
			}
		}
		fs = append(fs, f)
	}
	return fs, nil
}

func eventTypeNames() []string {
	var out []string
	for n := range eventTypes {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
