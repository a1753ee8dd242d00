// Package target describes a kernel that policies will run on, so that polc
// can check and expand them offline: on a CI machine, for production hosts
// it never sees.
//
// A Profile is plain data: the kernel release and architecture, the BPF
// features a probe found, the kernel's BTF (kept raw, parsed on first use
// with cilium/ebpf/btf), the tracepoint formats, the functions ftrace can
// trace (available_filter_functions) and the text symbols of /proc/kallsyms.
// Any of them may be missing: a profile made from a BTF file alone has only
// the BTF, a host without access to ftrace has no traceable functions.
// Queries answer Unknown for what the profile cannot tell, so that callers
// check only what they can.
//
// Package target never touches the running kernel; package target/capture
// builds a Profile from it (`polrun profile -o FILE`).
//
// # File format
//
// A profile file is a gzip-compressed tar archive (Write, Read) of regular
// files, in this order, each present only when the profile has it:
//
//	profile.json                release, arch, features, and why sources are missing
//	btf                         the raw kernel BTF (/sys/kernel/btf/vmlinux)
//	tracepoints.json            every event's format fields, sorted by subsystem/event
//	available_filter_functions  one function per line, sorted, unique
//	kallsyms                    one text symbol per line, sorted, unique
//
// Entries have mode 0644, owner 0 and modification time 0, and the gzip
// header has no name or time, so a profile's bytes depend only on its
// content. `tar xzf` unpacks one for reading.
//
// # Errors
//
// ErrNotFound (the profile knows the thing does not exist) and ErrUnknown
// (the profile lacks what it would take to tell) come wrapped with the name
// looked up; branch on them with errors.Is.
package target
