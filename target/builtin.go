package target

// BuiltinEvent is the part of a tracepoint's format polc knows without a
// target: the name of the kernel's trace_event_raw_* struct and the fields
// after the common ones.
type BuiltinEvent struct {
	Raw    string
	Fields []Field
}

// BuiltinEvents are the tracepoint events polc reads without a target
// (SUBSYS/EVENT): fields as the formats of Linux 6.1 and 6.12 have them
// (after the four common_* fields), with their raw structs. codegen reads
// them; the compiler's checks use the same fields.
// Read through CO-RE, a field is found where a later kernel moved it;
// one it changed (6.18 made sched_process_fork's comms __data_loc strings)
// is refused by polrun's check, by name.
var BuiltinEvents = map[string]BuiltinEvent{
	"sched/sched_process_exec": {"trace_event_raw_sched_process_exec", []Field{
		{Name: "filename", Type: "__data_loc char[]", Offset: 8, Size: 4},
		{Name: "pid", Type: "pid_t", Offset: 12, Size: 4, Signed: true},
		{Name: "old_pid", Type: "pid_t", Offset: 16, Size: 4, Signed: true},
	}},
	"sched/sched_process_exit": {"trace_event_raw_sched_process_template", []Field{
		{Name: "comm", Type: "char[16]", Offset: 8, Size: 16},
		{Name: "pid", Type: "pid_t", Offset: 24, Size: 4, Signed: true},
		{Name: "prio", Type: "int", Offset: 28, Size: 4, Signed: true},
	}},
	"sched/sched_process_fork": {"trace_event_raw_sched_process_fork", []Field{
		{Name: "parent_comm", Type: "char[16]", Offset: 8, Size: 16},
		{Name: "parent_pid", Type: "pid_t", Offset: 24, Size: 4, Signed: true},
		{Name: "child_comm", Type: "char[16]", Offset: 28, Size: 16},
		{Name: "child_pid", Type: "pid_t", Offset: 44, Size: 4, Signed: true},
	}},
}
