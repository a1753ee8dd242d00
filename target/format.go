package target

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// fieldLine matches one field of a tracefs format file:
//
//	field:const char * filename;	offset:24;	size:8;	signed:0;
var fieldLine = regexp.MustCompile(`^\s*field:(.+?);\s*offset:(\d+);\s*size:(\d+);\s*(?:signed:(\d+);)?`)

// ParseFormat reads the format file of tracepoint subsystem/event
// (tracefs events/SUBSYSTEM/EVENT/format) into an Event.
func ParseFormat(subsystem, event string, format []byte) (Event, error) {
	e := Event{Subsystem: subsystem, Event: event, Fields: []Field{}}
	for i, line := range strings.Split(string(format), "\n") {
		if !strings.Contains(line, "field:") {
			continue
		}
		m := fieldLine.FindStringSubmatch(line)
		if m == nil {
			return Event{}, fmt.Errorf("format of %s/%s, line %d: cannot parse %q", subsystem, event, i+1, strings.TrimSpace(line))
		}
		typ, name, err := splitDeclaration(m[1])
		if err != nil {
			return Event{}, fmt.Errorf("format of %s/%s, line %d: %w", subsystem, event, i+1, err)
		}
		off, _ := strconv.Atoi(m[2])
		size, _ := strconv.Atoi(m[3])
		e.Fields = append(e.Fields, Field{Name: name, Type: typ, Offset: off, Size: size, Signed: m[4] == "1"})
	}
	return e, nil
}

var declarator = regexp.MustCompile(`^(.*?)\s*\b([A-Za-z_][A-Za-z0-9_]*)\s*((?:\[[^\]]*\])*)$`)

// splitDeclaration splits a C declaration into type and name: "const char
// * filename" is "const char *" and "filename"; "char comm[16]" is
// "char[16]" and "comm"; "__data_loc char[] name" keeps its "[]" in the
// type.
func splitDeclaration(decl string) (typ, name string, err error) {
	decl = strings.TrimSpace(decl)
	m := declarator.FindStringSubmatch(decl)
	if m == nil || m[1] == "" {
		return "", "", fmt.Errorf("cannot split %q into a type and a name", decl)
	}
	typ = strings.TrimSpace(m[1])
	// "const char * filename" → "const char *"; "struct sk_buff *skb" too.
	if i := strings.IndexByte(typ, '*'); i > 0 {
		typ = strings.TrimSpace(typ[:i]) + " " + strings.ReplaceAll(typ[i:], " ", "")
	}
	return typ + m[3], m[2], nil
}
