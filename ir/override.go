package ir

import "strings"

// OverrideAlternative names, for a syscall (sys_symlinkat, or its entry
// point __x64_sys_symlinkat), the security_* function and the BPF LSM hook
// that see the same operation. Override on a syscall needs
// bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE), which many
// distribution kernels lack; Override on the security_* function works
// through fmod_ret, and on the LSM hook through its return value. ok is
// false for syscalls without an obvious equivalent.
func OverrideAlternative(call string) (fn, lsm string, ok bool) {
	name := call
	if i := strings.Index(name, "sys_"); i >= 0 {
		name = name[i+len("sys_"):]
	}
	fn, ok = syscallSecurityHooks[name]
	if !ok {
		return "", "", false
	}
	return fn, LSMHookOf(fn), true
}

// LSMHookOf is the BPF LSM hook of a security_* function: its name without
// the prefix, except for the few LSM hooks named otherwise.
func LSMHookOf(fn string) string {
	if h, ok := lsmHookNames[fn]; ok {
		return h
	}
	return strings.TrimPrefix(fn, "security_")
}

var lsmHookNames = map[string]string{
	"security_bprm_check": "bprm_check_security",
	"security_settime64":  "settime",
}

// syscallSecurityHooks maps syscall names to the security_* function each
// passes through on its way to doing what it asks.
var syscallSecurityHooks = map[string]string{
	"open": "security_file_open", "openat": "security_file_open", "openat2": "security_file_open",
	"creat": "security_file_open", "open_by_handle_at": "security_file_open",
	"execve": "security_bprm_check", "execveat": "security_bprm_check",
	"symlink": "security_inode_symlink", "symlinkat": "security_inode_symlink",
	"link": "security_inode_link", "linkat": "security_inode_link",
	"unlink": "security_inode_unlink", "unlinkat": "security_inode_unlink",
	"rmdir": "security_inode_rmdir",
	"mkdir": "security_inode_mkdir", "mkdirat": "security_inode_mkdir",
	"mknod": "security_inode_mknod", "mknodat": "security_inode_mknod",
	"rename": "security_inode_rename", "renameat": "security_inode_rename", "renameat2": "security_inode_rename",
	"chmod": "security_inode_setattr", "fchmod": "security_inode_setattr", "fchmodat": "security_inode_setattr",
	"fchmodat2": "security_inode_setattr", "chown": "security_inode_setattr", "fchown": "security_inode_setattr",
	"lchown": "security_inode_setattr", "fchownat": "security_inode_setattr", "truncate": "security_inode_setattr",
	"ftruncate": "security_inode_setattr", "utimensat": "security_inode_setattr", "utimes": "security_inode_setattr",
	"setxattr": "security_inode_setxattr", "lsetxattr": "security_inode_setxattr", "fsetxattr": "security_inode_setxattr",
	"removexattr": "security_inode_removexattr", "lremovexattr": "security_inode_removexattr",
	"fremovexattr": "security_inode_removexattr",
	"read":         "security_file_permission", "write": "security_file_permission", "pread64": "security_file_permission",
	"pwrite64": "security_file_permission", "readv": "security_file_permission", "writev": "security_file_permission",
	"ioctl": "security_file_ioctl", "fcntl": "security_file_fcntl",
	"mmap": "security_mmap_file", "mprotect": "security_file_mprotect",
	"mount": "security_sb_mount", "umount": "security_sb_umount", "umount2": "security_sb_umount",
	"pivot_root": "security_sb_pivotroot", "chroot": "security_path_chroot",
	"socket": "security_socket_create", "connect": "security_socket_connect", "bind": "security_socket_bind",
	"listen": "security_socket_listen", "accept": "security_socket_accept", "accept4": "security_socket_accept",
	"sendto": "security_socket_sendmsg", "sendmsg": "security_socket_sendmsg", "sendmmsg": "security_socket_sendmsg",
	"recvfrom": "security_socket_recvmsg", "recvmsg": "security_socket_recvmsg", "recvmmsg": "security_socket_recvmsg",
	"ptrace": "security_ptrace_access_check",
	"kill":   "security_task_kill", "tkill": "security_task_kill", "tgkill": "security_task_kill",
	"setuid": "security_task_fix_setuid", "setreuid": "security_task_fix_setuid",
	"setresuid": "security_task_fix_setuid", "setfsuid": "security_task_fix_setuid",
	"capset":      "security_capset",
	"init_module": "security_kernel_load_data", "finit_module": "security_kernel_read_file",
	"bpf": "security_bpf", "perf_event_open": "security_perf_event_open",
	"settimeofday": "security_settime64", "clock_settime": "security_settime64",
}
