package target

import (
	"strings"
	"testing"
)

// TestEventFromBTFMatchesFormats: against each kernel of the matrix, BTF
// alone knows every tracepoint of vmlinux (not the syscalls ones, which
// have no TP_PROTO, nor modules' and dynamic ones), and the fields it
// gives are those of the tracepoint's format, at their offsets.
func TestEventFromBTFMatchesFormats(t *testing.T) {
	for _, k := range kernels {
		full := profile(t, k)
		btfOnly := &Profile{Arch: full.Arch, BTF: full.BTF}
		var known, withFields, missing int
		for _, ev := range full.Tracepoints {
			has, bev := btfOnly.EventFromBTF(ev.Subsystem, ev.Event)
			if has != Yes {
				missing++
				continue
			}
			known++
			if bev == nil {
				continue
			}
			withFields++
			if len(bev.Fields) != len(ev.Fields) {
				t.Errorf("%s %s: BTF gives %d fields %v, the format %d %v", k, ev.Name(), len(bev.Fields), bev.Fields, len(ev.Fields), ev.Fields)
				continue
			}
			for i, f := range ev.Fields {
				b := bev.Fields[i]
				if b.Name != f.Name || b.Offset != f.Offset || b.Size != f.Size || f.IsDynamic() != b.IsDynamic() {
					t.Errorf("%s %s field %d: BTF gives %+v, the format %+v", k, ev.Name(), i, b, f)
				}
			}
		}
		t.Logf("%s: %d tracepoints, %d known to BTF (%d with fields), %d not", k, len(full.Tracepoints), known, withFields, missing)
		if known == 0 || withFields < known/3 {
			t.Errorf("%s: BTF knows %d tracepoints, %d with fields", k, known, withFields)
		}
		if has, _ := btfOnly.EventFromBTF("sched", "sched_no_such_event"); has != No {
			t.Errorf("%s: an event that does not exist: %v", k, has)
		}
		if has, ev := btfOnly.EventFromBTF("sched", "sched_process_exec"); has != Yes || ev == nil || !strings.Contains(ev.Fields[len(ev.Fields)-3].Type, "__data_loc") {
			t.Errorf("%s: sched_process_exec: %v %+v", k, has, ev)
		}
	}
}
