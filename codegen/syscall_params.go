package codegen

// syscallParams are the parameter names of syscalls, which name the fields
// of their syscalls/sys_enter_* tracepoints.
var syscallParams = map[string][]string{
	"openat": {"dfd", "filename", "flags", "mode"},
	"writev": {"fd", "vec", "vlen"},
}
