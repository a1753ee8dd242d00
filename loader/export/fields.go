package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// FieldFilter is one of Tetragon's --field-filters: it keeps (include)
// or removes (exclude) fields of the event's body (what is under
// process_kprobe, ...), for the event types of its event set, or for all
// but those when the set is inverted, or for every event without a set.
type FieldFilter struct {
	eventSet map[string]bool
	invert   bool
	include  bool
	mask     mask
}

// mask is a tree of field paths: an empty mask under a name means the
// whole field.
type mask map[string]mask

func (m mask) add(path string) {
	for _, name := range strings.Split(path, ".") {
		sub, ok := m[name]
		if !ok {
			sub = mask{}
			m[name] = sub
		}
		m = sub
	}
}

// ParseFieldFilters parses field filters in the form of Tetragon's
// --field-filters: one object per line with "fields" (comma-separated
// dotted paths in snake_case), "action" (INCLUDE or EXCLUDE), and
// optionally "event_set" and "invert_event_set".
func ParseFieldFilters(flag, s string) ([]*FieldFilter, error) {
	objs, err := decodeObjects(flag, s)
	if err != nil {
		return nil, err
	}
	var out []*FieldFilter
	for i, obj := range objs {
		ff := &FieldFilter{mask: mask{}}
		where := fmt.Sprintf("%s: object %d", flag, i+1)
		action := ""
		for k, raw := range obj {
			switch snake(k) {
			case "fields":
				var fields string
				if err := json.Unmarshal(raw, &fields); err != nil {
					return nil, fmt.Errorf("%s: fields: want a string of comma-separated paths (\"process.binary,process.pid\")", where)
				}
				for _, p := range strings.Split(fields, ",") {
					p = strings.TrimSpace(p)
					if p == "" {
						continue
					}
					if strings.HasPrefix(p, ".") || strings.HasSuffix(p, ".") || strings.Contains(p, "..") {
						return nil, fmt.Errorf("%s: fields: bad path %q", where, p)
					}
					ff.mask.add(snake(p))
				}
			case "action":
				if err := json.Unmarshal(raw, &action); err != nil {
					return nil, fmt.Errorf("%s: action: want INCLUDE or EXCLUDE", where)
				}
			case "event_set":
				var list []string
				if err := json.Unmarshal(raw, &list); err != nil {
					return nil, fmt.Errorf("%s: event_set: want a list of event types", where)
				}
				for _, t := range list {
					key, ok := eventTypes[t]
					if !ok {
						return nil, fmt.Errorf("%s: event_set: unknown event type %q (one of %s)", where, t, strings.Join(eventTypeNames(), ", "))
					}
					if ff.eventSet == nil {
						ff.eventSet = map[string]bool{}
					}
					ff.eventSet[key] = true
				}
			case "invert_event_set":
				if err := json.Unmarshal(raw, &ff.invert); err != nil {
					return nil, fmt.Errorf("%s: invert_event_set: want true or false", where)
				}
			default:
				return nil, fmt.Errorf("%s: unknown field %s (a field filter has fields, action, event_set, invert_event_set)", where, k)
			}
		}
		switch action {
		case "INCLUDE":
			ff.include = true
		case "EXCLUDE":
		default:
			return nil, fmt.Errorf("%s: action %q: want INCLUDE or EXCLUDE", where, action)
		}
		out = append(out, ff)
	}
	return out, nil
}

// applies says whether the filter applies to an event of kind.
func (ff *FieldFilter) applies(kind string) bool {
	if ff.eventSet == nil {
		return true
	}
	return ff.eventSet[kind] != ff.invert
}

// ApplyFields returns the JSON line with the field filters applied to the
// event's body, keeping the order of the fields. line is not changed.
func ApplyFields(ffs []*FieldFilter, line []byte) ([]byte, error) {
	kind := lineKind(line)
	for _, ff := range ffs {
		if !ff.applies(kind) {
			continue
		}
		var out []byte
		err := eachMember(line, func(key string, val []byte) error {
			if key == kind && bytes.HasPrefix(val, []byte("{")) {
				var err error
				val, err = filterValue(val, ff.mask, ff.include)
				if err != nil {
					return err
				}
			}
			out = appendMember(out, key, val)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = []byte{'{'}
		}
		line = append(out, '}')
	}
	return line, nil
}

// lineKind is the first key of a JSON event line: the event type.
func lineKind(line []byte) string {
	if !bytes.HasPrefix(line, []byte(`{"`)) {
		return ""
	}
	end := bytes.IndexByte(line[2:], '"')
	if end < 0 {
		return ""
	}
	return string(line[2 : 2+end])
}

// filterValue applies m to a JSON value: to each member of an object, to
// each element of an array of objects; other values are leaves.
func filterValue(val []byte, m mask, include bool) ([]byte, error) {
	if len(m) == 0 {
		return val, nil
	}
	switch {
	case bytes.HasPrefix(val, []byte("[")):
		var elems []json.RawMessage
		if err := json.Unmarshal(val, &elems); err != nil {
			return nil, err
		}
		out := []byte{'['}
		for i, e := range elems {
			if i > 0 {
				out = append(out, ',')
			}
			fe, err := filterValue(e, m, include)
			if err != nil {
				return nil, err
			}
			out = append(out, fe...)
		}
		return append(out, ']'), nil
	case !bytes.HasPrefix(val, []byte("{")):
		return val, nil
	}
	var out []byte
	err := eachMember(val, func(key string, v []byte) error {
		sub, named := m[key]
		switch {
		case include && !named, !include && named && len(sub) == 0:
			return nil // left out
		case named && len(sub) > 0:
			fv, err := filterValue(v, sub, include)
			if err != nil {
				return err
			}
			v = fv
		}
		out = appendMember(out, key, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		return []byte("{}"), nil
	}
	return append(out, '}'), nil
}

// eachMember calls f with each member of a JSON object, the value as its
// raw bytes.
func eachMember(obj []byte, f func(key string, val []byte) error) error {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("field filter: not a JSON object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("field filter: %w", err)
		}
		key, _ := t.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return fmt.Errorf("field filter: %w", err)
		}
		if err := f(key, val); err != nil {
			return err
		}
	}
	return nil
}

// appendMember appends "key":val to an object being written: out is nil
// before its first member.
func appendMember(out []byte, key string, val []byte) []byte {
	if out == nil {
		out = []byte{'{'}
	} else {
		out = append(out, ',')
	}
	k, _ := json.Marshal(key)
	out = append(out, k...)
	out = append(out, ':')
	return append(out, val...)
}
