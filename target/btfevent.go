package target

import (
	"strings"

	"github.com/cilium/ebpf/btf"
)

// EventFromBTF tells what the kernel's BTF alone says of tracepoint
// subsystem/event, for profiles without tracepoint formats (polc validate
// --target-btf). BTF names no subsystems and holds only vmlinux's types:
// has is Yes when it has btf_trace_EVENT, the typedef the kernel makes of
// every tracepoint's TP_PROTO (include/trace/bpf_probe.h), No when it
// lacks it, which a module's tracepoint does too, and Unknown without BTF.
// ev, when not nil, has the fields of the tracepoint's format, from its
// record struct trace_event_raw_EVENT: only a tracepoint that is its own
// class (TRACE_EVENT) has one; those of a DEFINE_EVENT are their class's,
// which BTF does not tie to the event. A __data_loc field's element type
// is not in BTF: its Type is "__data_loc []".
func (p *Profile) EventFromBTF(subsystem, event string) (has Answer, ev *Event) {
	spec, err := p.Spec()
	if err != nil {
		return Unknown, nil
	}
	var td *btf.Typedef
	if spec.TypeByName("btf_trace_"+event, &td) != nil {
		return No, nil
	}
	var rec *btf.Struct
	if spec.TypeByName("trace_event_raw_"+event, &rec) != nil || len(rec.Members) == 0 || rec.Members[0].Name != "ent" {
		return Yes, nil
	}
	ev = &Event{Subsystem: subsystem, Event: event}
	var entry *btf.Struct
	if s, ok := btf.UnderlyingType(rec.Members[0].Type).(*btf.Struct); ok {
		entry = s
	} else {
		return Yes, nil
	}
	for _, m := range entry.Members {
		ev.Fields = append(ev.Fields, btfField("common_"+m.Name, m))
	}
	for _, m := range rec.Members[1:] {
		if a, ok := btf.UnderlyingType(m.Type).(*btf.Array); ok && a.Nelems == 0 && m.Name == "__data" {
			continue // the start of the dynamic data, not a field
		}
		switch {
		case strings.HasPrefix(m.Name, "__data_loc_"):
			f := btfField(strings.TrimPrefix(m.Name, "__data_loc_"), m)
			f.Type, f.Signed = DataLocPrefix+"[]", false
			ev.Fields = append(ev.Fields, f)
		case strings.HasPrefix(m.Name, "__rel_loc_"):
			f := btfField(strings.TrimPrefix(m.Name, "__rel_loc_"), m)
			f.Type, f.Signed = RelLocPrefix+"[]", false
			ev.Fields = append(ev.Fields, f)
		default:
			ev.Fields = append(ev.Fields, btfField(m.Name, m))
		}
	}
	return Yes, ev
}

// btfField is a format field of the struct member m.
func btfField(name string, m btf.Member) Field {
	f := Field{Name: name, Type: spelling(m.Type), Offset: int(m.Offset.Bytes())}
	if n, err := btf.Sizeof(m.Type); err == nil {
		f.Size = n
	}
	if i, ok := btf.UnderlyingType(m.Type).(*btf.Int); ok {
		f.Signed = i.Encoding&btf.Signed != 0
	}
	return f
}
