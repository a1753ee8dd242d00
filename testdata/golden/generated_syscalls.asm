bundle generated-syscalls
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=408 max=1
map polc_verdicts PerCPUArray key=4 value=32 max=1
map polc_counters PerCPUArray key=4 value=24 max=1
map m_iset_0 Hash key=8 value=1 max=368

program h0_sys_accept section kprobe/__x64_sys_accept (158 instructions)
	; - call: "list:all"
	r6 = r1
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_rec]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto exit
	r9 = r0
	call bpf_get_current_pid_tgid
	*(u64 *)(r10 - 40) = r0
	r1 = *(u64 *)(r6 + 112)
	*(u64 *)(r10 - 32) = r1
	*(u64 *)(r10 - 56) = 0
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	r1 &= 1023
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_proc_gens]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto verdict_compute
	r1 = *(u64 *)(r0 + 0)
	*(u64 *)(r10 - 56) = r1
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_verdicts]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto verdict_compute
	r7 = r0
	r1 = *(u32 *)(r7 + 4)
	if r1 != 0x1 goto verdict_compute
	r1 = *(u32 *)(r7 + 0)
	r2 = *(u64 *)(r10 - 40)
	r2 >>= 32
	if r1 != r2 goto verdict_compute
	r2 = *(u64 *)(r10 - 56)
	r1 = *(u64 *)(r7 + 8)
	if r1 != r2 goto verdict_compute
	r2 = 0
	r1 = *(u64 *)(r7 + 24)
	*(u64 *)(r9 + 392) = r1
	r2 |= r1
	if r2 == 0x0 goto exit
	goto verdict_decide
verdict_compute:
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	r3 = r0
	r1 = r9
	r1 += 40
	r2 = 352
	call bpf_probe_read_kernel
	*(u64 *)(r9 + 392) = 0
	; - operator: "In"
	r1 = *(u32 *)(r9 + 128)
	if r1 != 0xd goto str_next
	r2 = r9
	r2 += 136
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6e69622f7273752f ll
	if r1 != r3 goto str_next
	r1 = *(u32 *)(r2 + 8)
	if r1 != 0x6c696b2f goto str_next
	r1 = *(u8 *)(r2 + 12)
	if r1 != 0x6c goto str_next
	goto pass
str_next:
	r0 = 0
	goto sel0_proc_fail
pass:
	*(u8 *)(r9 + 392) = 1
sel0_proc_fail:
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_verdicts]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto verdict_decide
	r1 = *(u64 *)(r9 + 392)
	*(u64 *)(r0 + 24) = r1
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r0 + 0) = r1
	r1 = *(u64 *)(r10 - 56)
	*(u64 *)(r0 + 8) = r1
	*(u32 *)(r0 + 4) = 1
verdict_decide:
	r0 = 0
	r2 = 0
	r1 = *(u64 *)(r9 + 392)
	r2 |= r1
	if r2 == 0x0 goto exit
	*(u64 *)(r9 + 0) = 257
	r1 = &var[polc_policy_id]+0
	r1 = *(u32 *)(r1 + 0)
	*(u32 *)(r9 + 16) = r1
	r1 = *(u64 *)(r10 - 40)
	*(u32 *)(r9 + 28) = r1
	r1 >>= 32
	*(u32 *)(r9 + 24) = r1
	*(u64 *)(r9 + 32) = 0
	*(u32 *)(r9 + 20) = hook_id | 0x1000000
	; - matchBinaries:
sel0:
	r1 = *(u8 *)(r9 + 392)
	if r1 == 0x0 goto exit
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
post:
	call bpf_ktime_get_boot_ns
	*(u64 *)(r9 + 8) = r0
	r1 = map[polc_events]
	r2 = 1
	call bpf_ringbuf_query
	r0 >>= 5
	*(u32 *)(r10 - 8) = r0
	r1 = map[polc_events]
	r2 = 0
	call bpf_ringbuf_query
	r1 = *(u32 *)(r10 - 8)
	r4 = 1
	if r0 < r1 goto no_wakeup
	r4 = 2
no_wakeup:
	r3 = 40
	*(u32 *)(r9 + 4) = r3
	r1 = map[polc_events]
	r2 = r9
	call bpf_ringbuf_output
	if r0 != 0x0 goto post_lost
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_counters]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto counted.1
	r1 = 1
	lock *(u64 *)(r0 + 0) += r1
counted:
	goto counted.1
post_lost:
	if r0 == 0x0 goto posted
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_drops]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto posted
	r1 = *(u64 *)(r0 + 0)
	r1 += 1
	*(u64 *)(r0 + 0) = r1
posted:
	r0 = 0
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_counters]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto counted.1
	r1 = 1
	lock *(u64 *)(r0 + 16) += r1
counted.1:
	r0 = 0
exit:
	r0 = 0
	exit

program h1_sys_accept4 section kprobe/__x64_sys_accept4 (158 instructions): the code of h0_sys_accept

program h2_sys_access section kprobe/__x64_sys_access (158 instructions): the code of h0_sys_accept

program h3_sys_acct section kprobe/__x64_sys_acct (158 instructions): the code of h0_sys_accept

program h4_sys_add_key section kprobe/__x64_sys_add_key (158 instructions): the code of h0_sys_accept

program h5_sys_adjtimex section kprobe/__x64_sys_adjtimex (158 instructions): the code of h0_sys_accept

program h6_sys_alarm section kprobe/__x64_sys_alarm (158 instructions): the code of h0_sys_accept

program h7_sys_arch_prctl section kprobe/__x64_sys_arch_prctl (158 instructions): the code of h0_sys_accept

program h8_sys_bind section kprobe/__x64_sys_bind (158 instructions): the code of h0_sys_accept

program h9_sys_bpf section kprobe/__x64_sys_bpf (158 instructions): the code of h0_sys_accept

program h10_sys_brk section kprobe/__x64_sys_brk (158 instructions): the code of h0_sys_accept

program h11_sys_cachestat section kprobe/__x64_sys_cachestat (158 instructions): the code of h0_sys_accept

program h12_sys_capget section kprobe/__x64_sys_capget (158 instructions): the code of h0_sys_accept

program h13_sys_capset section kprobe/__x64_sys_capset (158 instructions): the code of h0_sys_accept

program h14_sys_chdir section kprobe/__x64_sys_chdir (158 instructions): the code of h0_sys_accept

program h15_sys_chmod section kprobe/__x64_sys_chmod (158 instructions): the code of h0_sys_accept

program h16_sys_chown section kprobe/__x64_sys_chown (158 instructions): the code of h0_sys_accept

program h17_sys_chroot section kprobe/__x64_sys_chroot (158 instructions): the code of h0_sys_accept

program h18_sys_clock_adjtime section kprobe/__x64_sys_clock_adjtime (158 instructions): the code of h0_sys_accept

program h19_sys_clock_getres section kprobe/__x64_sys_clock_getres (158 instructions): the code of h0_sys_accept

program h20_sys_clock_gettime section kprobe/__x64_sys_clock_gettime (158 instructions): the code of h0_sys_accept

program h21_sys_clock_nanosleep section kprobe/__x64_sys_clock_nanosleep (158 instructions): the code of h0_sys_accept

program h22_sys_clock_settime section kprobe/__x64_sys_clock_settime (158 instructions): the code of h0_sys_accept

program h23_sys_clone section kprobe/__x64_sys_clone (158 instructions): the code of h0_sys_accept

program h24_sys_clone3 section kprobe/__x64_sys_clone3 (158 instructions): the code of h0_sys_accept

program h25_sys_close section kprobe/__x64_sys_close (158 instructions): the code of h0_sys_accept

program h26_sys_close_range section kprobe/__x64_sys_close_range (158 instructions): the code of h0_sys_accept

program h27_sys_connect section kprobe/__x64_sys_connect (158 instructions): the code of h0_sys_accept

program h28_sys_copy_file_range section kprobe/__x64_sys_copy_file_range (158 instructions): the code of h0_sys_accept

program h29_sys_creat section kprobe/__x64_sys_creat (158 instructions): the code of h0_sys_accept

program h30_sys_delete_module section kprobe/__x64_sys_delete_module (158 instructions): the code of h0_sys_accept

program h31_sys_dup section kprobe/__x64_sys_dup (158 instructions): the code of h0_sys_accept

program h32_sys_dup2 section kprobe/__x64_sys_dup2 (158 instructions): the code of h0_sys_accept

program h33_sys_dup3 section kprobe/__x64_sys_dup3 (158 instructions): the code of h0_sys_accept

program h34_sys_epoll_create section kprobe/__x64_sys_epoll_create (158 instructions): the code of h0_sys_accept

program h35_sys_epoll_create1 section kprobe/__x64_sys_epoll_create1 (158 instructions): the code of h0_sys_accept

program h36_sys_epoll_ctl section kprobe/__x64_sys_epoll_ctl (158 instructions): the code of h0_sys_accept

program h37_sys_epoll_pwait section kprobe/__x64_sys_epoll_pwait (158 instructions): the code of h0_sys_accept

program h38_sys_epoll_pwait2 section kprobe/__x64_sys_epoll_pwait2 (158 instructions): the code of h0_sys_accept

program h39_sys_epoll_wait section kprobe/__x64_sys_epoll_wait (158 instructions): the code of h0_sys_accept

program h40_sys_eventfd section kprobe/__x64_sys_eventfd (158 instructions): the code of h0_sys_accept

program h41_sys_eventfd2 section kprobe/__x64_sys_eventfd2 (158 instructions): the code of h0_sys_accept

program h42_sys_execve section kprobe/__x64_sys_execve (158 instructions): the code of h0_sys_accept

program h43_sys_execveat section kprobe/__x64_sys_execveat (158 instructions): the code of h0_sys_accept

program h44_sys_exit section kprobe/__x64_sys_exit (158 instructions): the code of h0_sys_accept

program h45_sys_exit_group section kprobe/__x64_sys_exit_group (158 instructions): the code of h0_sys_accept

program h46_sys_faccessat section kprobe/__x64_sys_faccessat (158 instructions): the code of h0_sys_accept

program h47_sys_faccessat2 section kprobe/__x64_sys_faccessat2 (158 instructions): the code of h0_sys_accept

program h48_sys_fadvise64 section kprobe/__x64_sys_fadvise64 (158 instructions): the code of h0_sys_accept

program h49_sys_fallocate section kprobe/__x64_sys_fallocate (158 instructions): the code of h0_sys_accept

program h50_sys_fanotify_init section kprobe/__x64_sys_fanotify_init (158 instructions): the code of h0_sys_accept

program h51_sys_fanotify_mark section kprobe/__x64_sys_fanotify_mark (158 instructions): the code of h0_sys_accept

program h52_sys_fchdir section kprobe/__x64_sys_fchdir (158 instructions): the code of h0_sys_accept

program h53_sys_fchmod section kprobe/__x64_sys_fchmod (158 instructions): the code of h0_sys_accept

program h54_sys_fchmodat section kprobe/__x64_sys_fchmodat (158 instructions): the code of h0_sys_accept

program h55_sys_fchmodat2 section kprobe/__x64_sys_fchmodat2 (158 instructions): the code of h0_sys_accept

program h56_sys_fchown section kprobe/__x64_sys_fchown (158 instructions): the code of h0_sys_accept

program h57_sys_fchownat section kprobe/__x64_sys_fchownat (158 instructions): the code of h0_sys_accept

program h58_sys_fcntl section kprobe/__x64_sys_fcntl (158 instructions): the code of h0_sys_accept

program h59_sys_fdatasync section kprobe/__x64_sys_fdatasync (158 instructions): the code of h0_sys_accept

program h60_sys_fgetxattr section kprobe/__x64_sys_fgetxattr (158 instructions): the code of h0_sys_accept

program h61_sys_file_getattr section kprobe/__x64_sys_file_getattr (158 instructions): the code of h0_sys_accept

program h62_sys_file_setattr section kprobe/__x64_sys_file_setattr (158 instructions): the code of h0_sys_accept

program h63_sys_finit_module section kprobe/__x64_sys_finit_module (158 instructions): the code of h0_sys_accept

program h64_sys_flistxattr section kprobe/__x64_sys_flistxattr (158 instructions): the code of h0_sys_accept

program h65_sys_flock section kprobe/__x64_sys_flock (158 instructions): the code of h0_sys_accept

program h66_sys_fork section kprobe/__x64_sys_fork (158 instructions): the code of h0_sys_accept

program h67_sys_fremovexattr section kprobe/__x64_sys_fremovexattr (158 instructions): the code of h0_sys_accept

program h68_sys_fsconfig section kprobe/__x64_sys_fsconfig (158 instructions): the code of h0_sys_accept

program h69_sys_fsetxattr section kprobe/__x64_sys_fsetxattr (158 instructions): the code of h0_sys_accept

program h70_sys_fsmount section kprobe/__x64_sys_fsmount (158 instructions): the code of h0_sys_accept

program h71_sys_fsopen section kprobe/__x64_sys_fsopen (158 instructions): the code of h0_sys_accept

program h72_sys_fspick section kprobe/__x64_sys_fspick (158 instructions): the code of h0_sys_accept

program h73_sys_newfstat section kprobe/__x64_sys_newfstat (158 instructions): the code of h0_sys_accept

program h74_sys_fstatfs section kprobe/__x64_sys_fstatfs (158 instructions): the code of h0_sys_accept

program h75_sys_fsync section kprobe/__x64_sys_fsync (158 instructions): the code of h0_sys_accept

program h76_sys_ftruncate section kprobe/__x64_sys_ftruncate (158 instructions): the code of h0_sys_accept

program h77_sys_futex section kprobe/__x64_sys_futex (158 instructions): the code of h0_sys_accept

program h78_sys_futex_requeue section kprobe/__x64_sys_futex_requeue (158 instructions): the code of h0_sys_accept

program h79_sys_futex_wait section kprobe/__x64_sys_futex_wait (158 instructions): the code of h0_sys_accept

program h80_sys_futex_waitv section kprobe/__x64_sys_futex_waitv (158 instructions): the code of h0_sys_accept

program h81_sys_futex_wake section kprobe/__x64_sys_futex_wake (158 instructions): the code of h0_sys_accept

program h82_sys_futimesat section kprobe/__x64_sys_futimesat (158 instructions): the code of h0_sys_accept

program h83_sys_get_mempolicy section kprobe/__x64_sys_get_mempolicy (158 instructions): the code of h0_sys_accept

program h84_sys_get_robust_list section kprobe/__x64_sys_get_robust_list (158 instructions): the code of h0_sys_accept

program h85_sys_getcpu section kprobe/__x64_sys_getcpu (158 instructions): the code of h0_sys_accept

program h86_sys_getcwd section kprobe/__x64_sys_getcwd (158 instructions): the code of h0_sys_accept

program h87_sys_getdents section kprobe/__x64_sys_getdents (158 instructions): the code of h0_sys_accept

program h88_sys_getdents64 section kprobe/__x64_sys_getdents64 (158 instructions): the code of h0_sys_accept

program h89_sys_getegid section kprobe/__x64_sys_getegid (158 instructions): the code of h0_sys_accept

program h90_sys_geteuid section kprobe/__x64_sys_geteuid (158 instructions): the code of h0_sys_accept

program h91_sys_getgid section kprobe/__x64_sys_getgid (158 instructions): the code of h0_sys_accept

program h92_sys_getgroups section kprobe/__x64_sys_getgroups (158 instructions): the code of h0_sys_accept

program h93_sys_getitimer section kprobe/__x64_sys_getitimer (158 instructions): the code of h0_sys_accept

program h94_sys_getpeername section kprobe/__x64_sys_getpeername (158 instructions): the code of h0_sys_accept

program h95_sys_getpgid section kprobe/__x64_sys_getpgid (158 instructions): the code of h0_sys_accept

program h96_sys_getpgrp section kprobe/__x64_sys_getpgrp (158 instructions): the code of h0_sys_accept

program h97_sys_getpid section kprobe/__x64_sys_getpid (158 instructions): the code of h0_sys_accept

program h98_sys_getppid section kprobe/__x64_sys_getppid (158 instructions): the code of h0_sys_accept

program h99_sys_getpriority section kprobe/__x64_sys_getpriority (158 instructions): the code of h0_sys_accept

program h100_sys_getrandom section kprobe/__x64_sys_getrandom (158 instructions): the code of h0_sys_accept

program h101_sys_getresgid section kprobe/__x64_sys_getresgid (158 instructions): the code of h0_sys_accept

program h102_sys_getresuid section kprobe/__x64_sys_getresuid (158 instructions): the code of h0_sys_accept

program h103_sys_getrlimit section kprobe/__x64_sys_getrlimit (158 instructions): the code of h0_sys_accept

program h104_sys_getrusage section kprobe/__x64_sys_getrusage (158 instructions): the code of h0_sys_accept

program h105_sys_getsid section kprobe/__x64_sys_getsid (158 instructions): the code of h0_sys_accept

program h106_sys_getsockname section kprobe/__x64_sys_getsockname (158 instructions): the code of h0_sys_accept

program h107_sys_getsockopt section kprobe/__x64_sys_getsockopt (158 instructions): the code of h0_sys_accept

program h108_sys_gettid section kprobe/__x64_sys_gettid (158 instructions): the code of h0_sys_accept

program h109_sys_gettimeofday section kprobe/__x64_sys_gettimeofday (158 instructions): the code of h0_sys_accept

program h110_sys_getuid section kprobe/__x64_sys_getuid (158 instructions): the code of h0_sys_accept

program h111_sys_getxattr section kprobe/__x64_sys_getxattr (158 instructions): the code of h0_sys_accept

program h112_sys_getxattrat section kprobe/__x64_sys_getxattrat (158 instructions): the code of h0_sys_accept

program h113_sys_init_module section kprobe/__x64_sys_init_module (158 instructions): the code of h0_sys_accept

program h114_sys_inotify_add_watch section kprobe/__x64_sys_inotify_add_watch (158 instructions): the code of h0_sys_accept

program h115_sys_inotify_init section kprobe/__x64_sys_inotify_init (158 instructions): the code of h0_sys_accept

program h116_sys_inotify_init1 section kprobe/__x64_sys_inotify_init1 (158 instructions): the code of h0_sys_accept

program h117_sys_inotify_rm_watch section kprobe/__x64_sys_inotify_rm_watch (158 instructions): the code of h0_sys_accept

program h118_sys_io_cancel section kprobe/__x64_sys_io_cancel (158 instructions): the code of h0_sys_accept

program h119_sys_io_destroy section kprobe/__x64_sys_io_destroy (158 instructions): the code of h0_sys_accept

program h120_sys_io_getevents section kprobe/__x64_sys_io_getevents (158 instructions): the code of h0_sys_accept

program h121_sys_io_pgetevents section kprobe/__x64_sys_io_pgetevents (158 instructions): the code of h0_sys_accept

program h122_sys_io_setup section kprobe/__x64_sys_io_setup (158 instructions): the code of h0_sys_accept

program h123_sys_io_submit section kprobe/__x64_sys_io_submit (158 instructions): the code of h0_sys_accept

program h124_sys_io_uring_enter section kprobe/__x64_sys_io_uring_enter (158 instructions): the code of h0_sys_accept

program h125_sys_io_uring_register section kprobe/__x64_sys_io_uring_register (158 instructions): the code of h0_sys_accept

program h126_sys_io_uring_setup section kprobe/__x64_sys_io_uring_setup (158 instructions): the code of h0_sys_accept

program h127_sys_ioctl section kprobe/__x64_sys_ioctl (158 instructions): the code of h0_sys_accept

program h128_sys_ioperm section kprobe/__x64_sys_ioperm (158 instructions): the code of h0_sys_accept

program h129_sys_iopl section kprobe/__x64_sys_iopl (158 instructions): the code of h0_sys_accept

program h130_sys_ioprio_get section kprobe/__x64_sys_ioprio_get (158 instructions): the code of h0_sys_accept

program h131_sys_ioprio_set section kprobe/__x64_sys_ioprio_set (158 instructions): the code of h0_sys_accept

program h132_sys_kcmp section kprobe/__x64_sys_kcmp (158 instructions): the code of h0_sys_accept

program h133_sys_kexec_file_load section kprobe/__x64_sys_kexec_file_load (158 instructions): the code of h0_sys_accept

program h134_sys_kexec_load section kprobe/__x64_sys_kexec_load (158 instructions): the code of h0_sys_accept

program h135_sys_keyctl section kprobe/__x64_sys_keyctl (158 instructions): the code of h0_sys_accept

program h136_sys_kill section kprobe/__x64_sys_kill (158 instructions): the code of h0_sys_accept

program h137_sys_landlock_add_rule section kprobe/__x64_sys_landlock_add_rule (158 instructions): the code of h0_sys_accept

program h138_sys_landlock_create_ruleset section kprobe/__x64_sys_landlock_create_ruleset (158 instructions): the code of h0_sys_accept

program h139_sys_landlock_restrict_self section kprobe/__x64_sys_landlock_restrict_self (158 instructions): the code of h0_sys_accept

program h140_sys_lchown section kprobe/__x64_sys_lchown (158 instructions): the code of h0_sys_accept

program h141_sys_lgetxattr section kprobe/__x64_sys_lgetxattr (158 instructions): the code of h0_sys_accept

program h142_sys_link section kprobe/__x64_sys_link (158 instructions): the code of h0_sys_accept

program h143_sys_linkat section kprobe/__x64_sys_linkat (158 instructions): the code of h0_sys_accept

program h144_sys_listen section kprobe/__x64_sys_listen (158 instructions): the code of h0_sys_accept

program h145_sys_listmount section kprobe/__x64_sys_listmount (158 instructions): the code of h0_sys_accept

program h146_sys_listns section kprobe/__x64_sys_listns (158 instructions): the code of h0_sys_accept

program h147_sys_listxattr section kprobe/__x64_sys_listxattr (158 instructions): the code of h0_sys_accept

program h148_sys_listxattrat section kprobe/__x64_sys_listxattrat (158 instructions): the code of h0_sys_accept

program h149_sys_llistxattr section kprobe/__x64_sys_llistxattr (158 instructions): the code of h0_sys_accept

program h150_sys_lremovexattr section kprobe/__x64_sys_lremovexattr (158 instructions): the code of h0_sys_accept

program h151_sys_lseek section kprobe/__x64_sys_lseek (158 instructions): the code of h0_sys_accept

program h152_sys_lsetxattr section kprobe/__x64_sys_lsetxattr (158 instructions): the code of h0_sys_accept

program h153_sys_lsm_get_self_attr section kprobe/__x64_sys_lsm_get_self_attr (158 instructions): the code of h0_sys_accept

program h154_sys_lsm_list_modules section kprobe/__x64_sys_lsm_list_modules (158 instructions): the code of h0_sys_accept

program h155_sys_lsm_set_self_attr section kprobe/__x64_sys_lsm_set_self_attr (158 instructions): the code of h0_sys_accept

program h156_sys_newlstat section kprobe/__x64_sys_newlstat (158 instructions): the code of h0_sys_accept

program h157_sys_madvise section kprobe/__x64_sys_madvise (158 instructions): the code of h0_sys_accept

program h158_sys_map_shadow_stack section kprobe/__x64_sys_map_shadow_stack (158 instructions): the code of h0_sys_accept

program h159_sys_mbind section kprobe/__x64_sys_mbind (158 instructions): the code of h0_sys_accept

program h160_sys_membarrier section kprobe/__x64_sys_membarrier (158 instructions): the code of h0_sys_accept

program h161_sys_memfd_create section kprobe/__x64_sys_memfd_create (158 instructions): the code of h0_sys_accept

program h162_sys_memfd_secret section kprobe/__x64_sys_memfd_secret (158 instructions): the code of h0_sys_accept

program h163_sys_migrate_pages section kprobe/__x64_sys_migrate_pages (158 instructions): the code of h0_sys_accept

program h164_sys_mincore section kprobe/__x64_sys_mincore (158 instructions): the code of h0_sys_accept

program h165_sys_mkdir section kprobe/__x64_sys_mkdir (158 instructions): the code of h0_sys_accept

program h166_sys_mkdirat section kprobe/__x64_sys_mkdirat (158 instructions): the code of h0_sys_accept

program h167_sys_mknod section kprobe/__x64_sys_mknod (158 instructions): the code of h0_sys_accept

program h168_sys_mknodat section kprobe/__x64_sys_mknodat (158 instructions): the code of h0_sys_accept

program h169_sys_mlock section kprobe/__x64_sys_mlock (158 instructions): the code of h0_sys_accept

program h170_sys_mlock2 section kprobe/__x64_sys_mlock2 (158 instructions): the code of h0_sys_accept

program h171_sys_mlockall section kprobe/__x64_sys_mlockall (158 instructions): the code of h0_sys_accept

program h172_sys_mmap section kprobe/__x64_sys_mmap (158 instructions): the code of h0_sys_accept

program h173_sys_modify_ldt section kprobe/__x64_sys_modify_ldt (158 instructions): the code of h0_sys_accept

program h174_sys_mount section kprobe/__x64_sys_mount (158 instructions): the code of h0_sys_accept

program h175_sys_mount_setattr section kprobe/__x64_sys_mount_setattr (158 instructions): the code of h0_sys_accept

program h176_sys_move_mount section kprobe/__x64_sys_move_mount (158 instructions): the code of h0_sys_accept

program h177_sys_move_pages section kprobe/__x64_sys_move_pages (158 instructions): the code of h0_sys_accept

program h178_sys_mprotect section kprobe/__x64_sys_mprotect (158 instructions): the code of h0_sys_accept

program h179_sys_mq_getsetattr section kprobe/__x64_sys_mq_getsetattr (158 instructions): the code of h0_sys_accept

program h180_sys_mq_notify section kprobe/__x64_sys_mq_notify (158 instructions): the code of h0_sys_accept

program h181_sys_mq_open section kprobe/__x64_sys_mq_open (158 instructions): the code of h0_sys_accept

program h182_sys_mq_timedreceive section kprobe/__x64_sys_mq_timedreceive (158 instructions): the code of h0_sys_accept

program h183_sys_mq_timedsend section kprobe/__x64_sys_mq_timedsend (158 instructions): the code of h0_sys_accept

program h184_sys_mq_unlink section kprobe/__x64_sys_mq_unlink (158 instructions): the code of h0_sys_accept

program h185_sys_mremap section kprobe/__x64_sys_mremap (158 instructions): the code of h0_sys_accept

program h186_sys_mseal section kprobe/__x64_sys_mseal (158 instructions): the code of h0_sys_accept

program h187_sys_msgctl section kprobe/__x64_sys_msgctl (158 instructions): the code of h0_sys_accept

program h188_sys_msgget section kprobe/__x64_sys_msgget (158 instructions): the code of h0_sys_accept

program h189_sys_msgrcv section kprobe/__x64_sys_msgrcv (158 instructions): the code of h0_sys_accept

program h190_sys_msgsnd section kprobe/__x64_sys_msgsnd (158 instructions): the code of h0_sys_accept

program h191_sys_msync section kprobe/__x64_sys_msync (158 instructions): the code of h0_sys_accept

program h192_sys_munlock section kprobe/__x64_sys_munlock (158 instructions): the code of h0_sys_accept

program h193_sys_munlockall section kprobe/__x64_sys_munlockall (158 instructions): the code of h0_sys_accept

program h194_sys_munmap section kprobe/__x64_sys_munmap (158 instructions): the code of h0_sys_accept

program h195_sys_name_to_handle_at section kprobe/__x64_sys_name_to_handle_at (158 instructions): the code of h0_sys_accept

program h196_sys_nanosleep section kprobe/__x64_sys_nanosleep (158 instructions): the code of h0_sys_accept

program h197_sys_newfstatat section kprobe/__x64_sys_newfstatat (158 instructions): the code of h0_sys_accept

program h198_sys_open section kprobe/__x64_sys_open (158 instructions): the code of h0_sys_accept

program h199_sys_open_by_handle_at section kprobe/__x64_sys_open_by_handle_at (158 instructions): the code of h0_sys_accept

program h200_sys_open_tree section kprobe/__x64_sys_open_tree (158 instructions): the code of h0_sys_accept

program h201_sys_open_tree_attr section kprobe/__x64_sys_open_tree_attr (158 instructions): the code of h0_sys_accept

program h202_sys_openat section kprobe/__x64_sys_openat (158 instructions): the code of h0_sys_accept

program h203_sys_openat2 section kprobe/__x64_sys_openat2 (158 instructions): the code of h0_sys_accept

program h204_sys_pause section kprobe/__x64_sys_pause (158 instructions): the code of h0_sys_accept

program h205_sys_perf_event_open section kprobe/__x64_sys_perf_event_open (158 instructions): the code of h0_sys_accept

program h206_sys_personality section kprobe/__x64_sys_personality (158 instructions): the code of h0_sys_accept

program h207_sys_pidfd_getfd section kprobe/__x64_sys_pidfd_getfd (158 instructions): the code of h0_sys_accept

program h208_sys_pidfd_open section kprobe/__x64_sys_pidfd_open (158 instructions): the code of h0_sys_accept

program h209_sys_pidfd_send_signal section kprobe/__x64_sys_pidfd_send_signal (158 instructions): the code of h0_sys_accept

program h210_sys_pipe section kprobe/__x64_sys_pipe (158 instructions): the code of h0_sys_accept

program h211_sys_pipe2 section kprobe/__x64_sys_pipe2 (158 instructions): the code of h0_sys_accept

program h212_sys_pivot_root section kprobe/__x64_sys_pivot_root (158 instructions): the code of h0_sys_accept

program h213_sys_pkey_alloc section kprobe/__x64_sys_pkey_alloc (158 instructions): the code of h0_sys_accept

program h214_sys_pkey_free section kprobe/__x64_sys_pkey_free (158 instructions): the code of h0_sys_accept

program h215_sys_pkey_mprotect section kprobe/__x64_sys_pkey_mprotect (158 instructions): the code of h0_sys_accept

program h216_sys_poll section kprobe/__x64_sys_poll (158 instructions): the code of h0_sys_accept

program h217_sys_ppoll section kprobe/__x64_sys_ppoll (158 instructions): the code of h0_sys_accept

program h218_sys_prctl section kprobe/__x64_sys_prctl (158 instructions): the code of h0_sys_accept

program h219_sys_pread64 section kprobe/__x64_sys_pread64 (158 instructions): the code of h0_sys_accept

program h220_sys_preadv section kprobe/__x64_sys_preadv (158 instructions): the code of h0_sys_accept

program h221_sys_preadv2 section kprobe/__x64_sys_preadv2 (158 instructions): the code of h0_sys_accept

program h222_sys_prlimit64 section kprobe/__x64_sys_prlimit64 (158 instructions): the code of h0_sys_accept

program h223_sys_process_madvise section kprobe/__x64_sys_process_madvise (158 instructions): the code of h0_sys_accept

program h224_sys_process_mrelease section kprobe/__x64_sys_process_mrelease (158 instructions): the code of h0_sys_accept

program h225_sys_process_vm_readv section kprobe/__x64_sys_process_vm_readv (158 instructions): the code of h0_sys_accept

program h226_sys_process_vm_writev section kprobe/__x64_sys_process_vm_writev (158 instructions): the code of h0_sys_accept

program h227_sys_pselect6 section kprobe/__x64_sys_pselect6 (158 instructions): the code of h0_sys_accept

program h228_sys_ptrace section kprobe/__x64_sys_ptrace (158 instructions): the code of h0_sys_accept

program h229_sys_pwrite64 section kprobe/__x64_sys_pwrite64 (158 instructions): the code of h0_sys_accept

program h230_sys_pwritev section kprobe/__x64_sys_pwritev (158 instructions): the code of h0_sys_accept

program h231_sys_pwritev2 section kprobe/__x64_sys_pwritev2 (158 instructions): the code of h0_sys_accept

program h232_sys_quotactl section kprobe/__x64_sys_quotactl (158 instructions): the code of h0_sys_accept

program h233_sys_quotactl_fd section kprobe/__x64_sys_quotactl_fd (158 instructions): the code of h0_sys_accept

program h234_sys_read section kprobe/__x64_sys_read (158 instructions): the code of h0_sys_accept

program h235_sys_readahead section kprobe/__x64_sys_readahead (158 instructions): the code of h0_sys_accept

program h236_sys_readlink section kprobe/__x64_sys_readlink (158 instructions): the code of h0_sys_accept

program h237_sys_readlinkat section kprobe/__x64_sys_readlinkat (158 instructions): the code of h0_sys_accept

program h238_sys_readv section kprobe/__x64_sys_readv (158 instructions): the code of h0_sys_accept

program h239_sys_reboot section kprobe/__x64_sys_reboot (158 instructions): the code of h0_sys_accept

program h240_sys_recvfrom section kprobe/__x64_sys_recvfrom (158 instructions): the code of h0_sys_accept

program h241_sys_recvmmsg section kprobe/__x64_sys_recvmmsg (158 instructions): the code of h0_sys_accept

program h242_sys_recvmsg section kprobe/__x64_sys_recvmsg (158 instructions): the code of h0_sys_accept

program h243_sys_remap_file_pages section kprobe/__x64_sys_remap_file_pages (158 instructions): the code of h0_sys_accept

program h244_sys_removexattr section kprobe/__x64_sys_removexattr (158 instructions): the code of h0_sys_accept

program h245_sys_removexattrat section kprobe/__x64_sys_removexattrat (158 instructions): the code of h0_sys_accept

program h246_sys_rename section kprobe/__x64_sys_rename (158 instructions): the code of h0_sys_accept

program h247_sys_renameat section kprobe/__x64_sys_renameat (158 instructions): the code of h0_sys_accept

program h248_sys_renameat2 section kprobe/__x64_sys_renameat2 (158 instructions): the code of h0_sys_accept

program h249_sys_request_key section kprobe/__x64_sys_request_key (158 instructions): the code of h0_sys_accept

program h250_sys_restart_syscall section kprobe/__x64_sys_restart_syscall (158 instructions): the code of h0_sys_accept

program h251_sys_rmdir section kprobe/__x64_sys_rmdir (158 instructions): the code of h0_sys_accept

program h252_sys_rseq section kprobe/__x64_sys_rseq (158 instructions): the code of h0_sys_accept

program h253_sys_rseq_slice_yield section kprobe/__x64_sys_rseq_slice_yield (158 instructions): the code of h0_sys_accept

program h254_sys_rt_sigaction section kprobe/__x64_sys_rt_sigaction (158 instructions): the code of h0_sys_accept

program h255_sys_rt_sigpending section kprobe/__x64_sys_rt_sigpending (158 instructions): the code of h0_sys_accept

program h256_sys_rt_sigprocmask section kprobe/__x64_sys_rt_sigprocmask (158 instructions): the code of h0_sys_accept

program h257_sys_rt_sigqueueinfo section kprobe/__x64_sys_rt_sigqueueinfo (158 instructions): the code of h0_sys_accept

program h258_sys_rt_sigreturn section kprobe/__x64_sys_rt_sigreturn (158 instructions): the code of h0_sys_accept

program h259_sys_rt_sigsuspend section kprobe/__x64_sys_rt_sigsuspend (158 instructions): the code of h0_sys_accept

program h260_sys_rt_sigtimedwait section kprobe/__x64_sys_rt_sigtimedwait (158 instructions): the code of h0_sys_accept

program h261_sys_rt_tgsigqueueinfo section kprobe/__x64_sys_rt_tgsigqueueinfo (158 instructions): the code of h0_sys_accept

program h262_sys_sched_get_priority_max section kprobe/__x64_sys_sched_get_priority_max (158 instructions): the code of h0_sys_accept

program h263_sys_sched_get_priority_min section kprobe/__x64_sys_sched_get_priority_min (158 instructions): the code of h0_sys_accept

program h264_sys_sched_getaffinity section kprobe/__x64_sys_sched_getaffinity (158 instructions): the code of h0_sys_accept

program h265_sys_sched_getattr section kprobe/__x64_sys_sched_getattr (158 instructions): the code of h0_sys_accept

program h266_sys_sched_getparam section kprobe/__x64_sys_sched_getparam (158 instructions): the code of h0_sys_accept

program h267_sys_sched_getscheduler section kprobe/__x64_sys_sched_getscheduler (158 instructions): the code of h0_sys_accept

program h268_sys_sched_rr_get_interval section kprobe/__x64_sys_sched_rr_get_interval (158 instructions): the code of h0_sys_accept

program h269_sys_sched_setaffinity section kprobe/__x64_sys_sched_setaffinity (158 instructions): the code of h0_sys_accept

program h270_sys_sched_setattr section kprobe/__x64_sys_sched_setattr (158 instructions): the code of h0_sys_accept

program h271_sys_sched_setparam section kprobe/__x64_sys_sched_setparam (158 instructions): the code of h0_sys_accept

program h272_sys_sched_setscheduler section kprobe/__x64_sys_sched_setscheduler (158 instructions): the code of h0_sys_accept

program h273_sys_sched_yield section kprobe/__x64_sys_sched_yield (158 instructions): the code of h0_sys_accept

program h274_sys_seccomp section kprobe/__x64_sys_seccomp (158 instructions): the code of h0_sys_accept

program h275_sys_select section kprobe/__x64_sys_select (158 instructions): the code of h0_sys_accept

program h276_sys_semctl section kprobe/__x64_sys_semctl (158 instructions): the code of h0_sys_accept

program h277_sys_semget section kprobe/__x64_sys_semget (158 instructions): the code of h0_sys_accept

program h278_sys_semop section kprobe/__x64_sys_semop (158 instructions): the code of h0_sys_accept

program h279_sys_semtimedop section kprobe/__x64_sys_semtimedop (158 instructions): the code of h0_sys_accept

program h280_sys_sendfile64 section kprobe/__x64_sys_sendfile64 (158 instructions): the code of h0_sys_accept

program h281_sys_sendmmsg section kprobe/__x64_sys_sendmmsg (158 instructions): the code of h0_sys_accept

program h282_sys_sendmsg section kprobe/__x64_sys_sendmsg (158 instructions): the code of h0_sys_accept

program h283_sys_sendto section kprobe/__x64_sys_sendto (158 instructions): the code of h0_sys_accept

program h284_sys_set_mempolicy section kprobe/__x64_sys_set_mempolicy (158 instructions): the code of h0_sys_accept

program h285_sys_set_mempolicy_home_node section kprobe/__x64_sys_set_mempolicy_home_node (158 instructions): the code of h0_sys_accept

program h286_sys_set_robust_list section kprobe/__x64_sys_set_robust_list (158 instructions): the code of h0_sys_accept

program h287_sys_set_tid_address section kprobe/__x64_sys_set_tid_address (158 instructions): the code of h0_sys_accept

program h288_sys_setdomainname section kprobe/__x64_sys_setdomainname (158 instructions): the code of h0_sys_accept

program h289_sys_setfsgid section kprobe/__x64_sys_setfsgid (158 instructions): the code of h0_sys_accept

program h290_sys_setfsuid section kprobe/__x64_sys_setfsuid (158 instructions): the code of h0_sys_accept

program h291_sys_setgid section kprobe/__x64_sys_setgid (158 instructions): the code of h0_sys_accept

program h292_sys_setgroups section kprobe/__x64_sys_setgroups (158 instructions): the code of h0_sys_accept

program h293_sys_sethostname section kprobe/__x64_sys_sethostname (158 instructions): the code of h0_sys_accept

program h294_sys_setitimer section kprobe/__x64_sys_setitimer (158 instructions): the code of h0_sys_accept

program h295_sys_setns section kprobe/__x64_sys_setns (158 instructions): the code of h0_sys_accept

program h296_sys_setpgid section kprobe/__x64_sys_setpgid (158 instructions): the code of h0_sys_accept

program h297_sys_setpriority section kprobe/__x64_sys_setpriority (158 instructions): the code of h0_sys_accept

program h298_sys_setregid section kprobe/__x64_sys_setregid (158 instructions): the code of h0_sys_accept

program h299_sys_setresgid section kprobe/__x64_sys_setresgid (158 instructions): the code of h0_sys_accept

program h300_sys_setresuid section kprobe/__x64_sys_setresuid (158 instructions): the code of h0_sys_accept

program h301_sys_setreuid section kprobe/__x64_sys_setreuid (158 instructions): the code of h0_sys_accept

program h302_sys_setrlimit section kprobe/__x64_sys_setrlimit (158 instructions): the code of h0_sys_accept

program h303_sys_setsid section kprobe/__x64_sys_setsid (158 instructions): the code of h0_sys_accept

program h304_sys_setsockopt section kprobe/__x64_sys_setsockopt (158 instructions): the code of h0_sys_accept

program h305_sys_settimeofday section kprobe/__x64_sys_settimeofday (158 instructions): the code of h0_sys_accept

program h306_sys_setuid section kprobe/__x64_sys_setuid (158 instructions): the code of h0_sys_accept

program h307_sys_setxattr section kprobe/__x64_sys_setxattr (158 instructions): the code of h0_sys_accept

program h308_sys_setxattrat section kprobe/__x64_sys_setxattrat (158 instructions): the code of h0_sys_accept

program h309_sys_shmat section kprobe/__x64_sys_shmat (158 instructions): the code of h0_sys_accept

program h310_sys_shmctl section kprobe/__x64_sys_shmctl (158 instructions): the code of h0_sys_accept

program h311_sys_shmdt section kprobe/__x64_sys_shmdt (158 instructions): the code of h0_sys_accept

program h312_sys_shmget section kprobe/__x64_sys_shmget (158 instructions): the code of h0_sys_accept

program h313_sys_shutdown section kprobe/__x64_sys_shutdown (158 instructions): the code of h0_sys_accept

program h314_sys_sigaltstack section kprobe/__x64_sys_sigaltstack (158 instructions): the code of h0_sys_accept

program h315_sys_signalfd section kprobe/__x64_sys_signalfd (158 instructions): the code of h0_sys_accept

program h316_sys_signalfd4 section kprobe/__x64_sys_signalfd4 (158 instructions): the code of h0_sys_accept

program h317_sys_socket section kprobe/__x64_sys_socket (158 instructions): the code of h0_sys_accept

program h318_sys_socketpair section kprobe/__x64_sys_socketpair (158 instructions): the code of h0_sys_accept

program h319_sys_splice section kprobe/__x64_sys_splice (158 instructions): the code of h0_sys_accept

program h320_sys_newstat section kprobe/__x64_sys_newstat (158 instructions): the code of h0_sys_accept

program h321_sys_statfs section kprobe/__x64_sys_statfs (158 instructions): the code of h0_sys_accept

program h322_sys_statmount section kprobe/__x64_sys_statmount (158 instructions): the code of h0_sys_accept

program h323_sys_statx section kprobe/__x64_sys_statx (158 instructions): the code of h0_sys_accept

program h324_sys_swapoff section kprobe/__x64_sys_swapoff (158 instructions): the code of h0_sys_accept

program h325_sys_swapon section kprobe/__x64_sys_swapon (158 instructions): the code of h0_sys_accept

program h326_sys_symlink section kprobe/__x64_sys_symlink (158 instructions): the code of h0_sys_accept

program h327_sys_symlinkat section kprobe/__x64_sys_symlinkat (158 instructions): the code of h0_sys_accept

program h328_sys_sync section kprobe/__x64_sys_sync (158 instructions): the code of h0_sys_accept

program h329_sys_sync_file_range section kprobe/__x64_sys_sync_file_range (158 instructions): the code of h0_sys_accept

program h330_sys_syncfs section kprobe/__x64_sys_syncfs (158 instructions): the code of h0_sys_accept

program h331_sys_sysfs section kprobe/__x64_sys_sysfs (158 instructions): the code of h0_sys_accept

program h332_sys_sysinfo section kprobe/__x64_sys_sysinfo (158 instructions): the code of h0_sys_accept

program h333_sys_syslog section kprobe/__x64_sys_syslog (158 instructions): the code of h0_sys_accept

program h334_sys_tee section kprobe/__x64_sys_tee (158 instructions): the code of h0_sys_accept

program h335_sys_tgkill section kprobe/__x64_sys_tgkill (158 instructions): the code of h0_sys_accept

program h336_sys_time section kprobe/__x64_sys_time (158 instructions): the code of h0_sys_accept

program h337_sys_timer_create section kprobe/__x64_sys_timer_create (158 instructions): the code of h0_sys_accept

program h338_sys_timer_delete section kprobe/__x64_sys_timer_delete (158 instructions): the code of h0_sys_accept

program h339_sys_timer_getoverrun section kprobe/__x64_sys_timer_getoverrun (158 instructions): the code of h0_sys_accept

program h340_sys_timer_gettime section kprobe/__x64_sys_timer_gettime (158 instructions): the code of h0_sys_accept

program h341_sys_timer_settime section kprobe/__x64_sys_timer_settime (158 instructions): the code of h0_sys_accept

program h342_sys_timerfd_create section kprobe/__x64_sys_timerfd_create (158 instructions): the code of h0_sys_accept

program h343_sys_timerfd_gettime section kprobe/__x64_sys_timerfd_gettime (158 instructions): the code of h0_sys_accept

program h344_sys_timerfd_settime section kprobe/__x64_sys_timerfd_settime (158 instructions): the code of h0_sys_accept

program h345_sys_times section kprobe/__x64_sys_times (158 instructions): the code of h0_sys_accept

program h346_sys_tkill section kprobe/__x64_sys_tkill (158 instructions): the code of h0_sys_accept

program h347_sys_truncate section kprobe/__x64_sys_truncate (158 instructions): the code of h0_sys_accept

program h348_sys_umask section kprobe/__x64_sys_umask (158 instructions): the code of h0_sys_accept

program h349_sys_umount section kprobe/__x64_sys_umount (158 instructions): the code of h0_sys_accept

program h350_sys_newuname section kprobe/__x64_sys_newuname (158 instructions): the code of h0_sys_accept

program h351_sys_unlink section kprobe/__x64_sys_unlink (158 instructions): the code of h0_sys_accept

program h352_sys_unlinkat section kprobe/__x64_sys_unlinkat (158 instructions): the code of h0_sys_accept

program h353_sys_unshare section kprobe/__x64_sys_unshare (158 instructions): the code of h0_sys_accept

program h354_sys_uprobe section kprobe/__x64_sys_uprobe (158 instructions): the code of h0_sys_accept

program h355_sys_uretprobe section kprobe/__x64_sys_uretprobe (158 instructions): the code of h0_sys_accept

program h356_sys_userfaultfd section kprobe/__x64_sys_userfaultfd (158 instructions): the code of h0_sys_accept

program h357_sys_ustat section kprobe/__x64_sys_ustat (158 instructions): the code of h0_sys_accept

program h358_sys_utime section kprobe/__x64_sys_utime (158 instructions): the code of h0_sys_accept

program h359_sys_utimensat section kprobe/__x64_sys_utimensat (158 instructions): the code of h0_sys_accept

program h360_sys_utimes section kprobe/__x64_sys_utimes (158 instructions): the code of h0_sys_accept

program h361_sys_vfork section kprobe/__x64_sys_vfork (158 instructions): the code of h0_sys_accept

program h362_sys_vhangup section kprobe/__x64_sys_vhangup (158 instructions): the code of h0_sys_accept

program h363_sys_vmsplice section kprobe/__x64_sys_vmsplice (158 instructions): the code of h0_sys_accept

program h364_sys_wait4 section kprobe/__x64_sys_wait4 (158 instructions): the code of h0_sys_accept

program h365_sys_waitid section kprobe/__x64_sys_waitid (158 instructions): the code of h0_sys_accept

program h366_sys_write section kprobe/__x64_sys_write (158 instructions): the code of h0_sys_accept

program h367_sys_writev section kprobe/__x64_sys_writev (158 instructions): the code of h0_sys_accept

program h368_sys_enter section tracepoint/raw_syscalls/sys_enter (98 instructions)
	; - subsystem: "raw_syscalls"
	r6 = r1
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_rec]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto exit
	r9 = r0
	call bpf_get_current_pid_tgid
	*(u64 *)(r10 - 40) = r0
	*(u64 *)(r9 + 0) = 257
	r1 = &var[polc_policy_id]+0
	r1 = *(u32 *)(r1 + 0)
	*(u32 *)(r9 + 16) = r1
	r1 = *(u64 *)(r10 - 40)
	*(u32 *)(r9 + 28) = r1
	r1 >>= 32
	*(u32 *)(r9 + 24) = r1
	*(u64 *)(r9 + 32) = 0
	*(u32 *)(r9 + 20) = hook_id | 0x1000000
	; - index: 4
	r7 = *(u64 *)(r6 + 8)
	r7 <<= 33
	r7 >>= 33
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 8	; CO-RE byte_off task_struct[0:0:1]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r0 = *(u32 *)(r10 - 16)
	r0 &= 2
	if r0 == 0x0 goto native_abi
	r0 = 0x80000000 ll
	r7 |= r0
native_abi:
	r0 = 0
	*(u64 *)(r9 + 40) = r7
	; - index: 0
sel0:
	r4 = *(u64 *)(r9 + 40)
	r1 = map[m_iset_0]
	r2 = r9
	r2 += 40
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass
	goto exit
pass:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
post:
	call bpf_ktime_get_boot_ns
	*(u64 *)(r9 + 8) = r0
	r1 = map[polc_events]
	r2 = 1
	call bpf_ringbuf_query
	r0 >>= 5
	*(u32 *)(r10 - 8) = r0
	r1 = map[polc_events]
	r2 = 0
	call bpf_ringbuf_query
	r1 = *(u32 *)(r10 - 8)
	r4 = 1
	if r0 < r1 goto no_wakeup
	r4 = 2
no_wakeup:
	r3 = 48
	*(u32 *)(r9 + 4) = r3
	r1 = map[polc_events]
	r2 = r9
	call bpf_ringbuf_output
	if r0 != 0x0 goto post_lost
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_counters]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto counted.1
	r1 = 1
	lock *(u64 *)(r0 + 0) += r1
counted:
	goto counted.1
post_lost:
	if r0 == 0x0 goto posted
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_drops]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto posted
	r1 = *(u64 *)(r0 + 0)
	r1 += 1
	*(u64 *)(r0 + 0) = r1
posted:
	r0 = 0
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_counters]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto counted.1
	r1 = 1
	lock *(u64 *)(r0 + 16) += r1
counted.1:
	r0 = 0
exit:
	r0 = 0
	exit

program k0_sys_accept_multi section kprobe.multi/k0_sys_accept (162 instructions)
	; - call: "list:all"
	r6 = r1
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_rec]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto exit
	r9 = r0
	r1 = r6
	call bpf_get_attach_cookie
	*(u16 *)(r9 + 20) = r0
	call bpf_get_current_pid_tgid
	*(u64 *)(r10 - 40) = r0
	r1 = *(u64 *)(r6 + 112)
	*(u64 *)(r10 - 32) = r1
	*(u64 *)(r10 - 56) = 0
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	r1 &= 1023
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_proc_gens]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto verdict_compute
	r1 = *(u64 *)(r0 + 0)
	*(u64 *)(r10 - 56) = r1
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_verdicts]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto verdict_compute
	r7 = r0
	r1 = *(u32 *)(r7 + 4)
	if r1 != 0x1 goto verdict_compute
	r1 = *(u32 *)(r7 + 0)
	r2 = *(u64 *)(r10 - 40)
	r2 >>= 32
	if r1 != r2 goto verdict_compute
	r2 = *(u64 *)(r10 - 56)
	r1 = *(u64 *)(r7 + 8)
	if r1 != r2 goto verdict_compute
	r2 = 0
	r1 = *(u64 *)(r7 + 24)
	*(u64 *)(r9 + 392) = r1
	r2 |= r1
	if r2 == 0x0 goto exit
	goto verdict_decide
verdict_compute:
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	r3 = r0
	r1 = r9
	r1 += 40
	r2 = 352
	call bpf_probe_read_kernel
	*(u64 *)(r9 + 392) = 0
	; - operator: "In"
	r1 = *(u32 *)(r9 + 128)
	if r1 != 0xd goto str_next
	r2 = r9
	r2 += 136
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6e69622f7273752f ll
	if r1 != r3 goto str_next
	r1 = *(u32 *)(r2 + 8)
	if r1 != 0x6c696b2f goto str_next
	r1 = *(u8 *)(r2 + 12)
	if r1 != 0x6c goto str_next
	goto pass
str_next:
	r0 = 0
	goto sel0_proc_fail
pass:
	*(u8 *)(r9 + 392) = 1
sel0_proc_fail:
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_verdicts]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto verdict_decide
	r1 = *(u64 *)(r9 + 392)
	*(u64 *)(r0 + 24) = r1
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r0 + 0) = r1
	r1 = *(u64 *)(r10 - 56)
	*(u64 *)(r0 + 8) = r1
	*(u32 *)(r0 + 4) = 1
verdict_decide:
	r0 = 0
	r2 = 0
	r1 = *(u64 *)(r9 + 392)
	r2 |= r1
	if r2 == 0x0 goto exit
	*(u64 *)(r9 + 0) = 257
	r1 = &var[polc_policy_id]+0
	r1 = *(u32 *)(r1 + 0)
	*(u32 *)(r9 + 16) = r1
	r1 = *(u64 *)(r10 - 40)
	*(u32 *)(r9 + 28) = r1
	r1 >>= 32
	*(u32 *)(r9 + 24) = r1
	*(u64 *)(r9 + 32) = 0
	*(u8 *)(r9 + 22) = 0
	*(u8 *)(r9 + 23) = 1
	; - matchBinaries:
sel0:
	r1 = *(u8 *)(r9 + 392)
	if r1 == 0x0 goto exit
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
post:
	call bpf_ktime_get_boot_ns
	*(u64 *)(r9 + 8) = r0
	r1 = map[polc_events]
	r2 = 1
	call bpf_ringbuf_query
	r0 >>= 5
	*(u32 *)(r10 - 8) = r0
	r1 = map[polc_events]
	r2 = 0
	call bpf_ringbuf_query
	r1 = *(u32 *)(r10 - 8)
	r4 = 1
	if r0 < r1 goto no_wakeup
	r4 = 2
no_wakeup:
	r3 = 40
	*(u32 *)(r9 + 4) = r3
	r1 = map[polc_events]
	r2 = r9
	call bpf_ringbuf_output
	if r0 != 0x0 goto post_lost
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_counters]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto counted.1
	r1 = 1
	lock *(u64 *)(r0 + 0) += r1
counted:
	goto counted.1
post_lost:
	if r0 == 0x0 goto posted
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_drops]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto posted
	r1 = *(u64 *)(r0 + 0)
	r1 += 1
	*(u64 *)(r0 + 0) = r1
posted:
	r0 = 0
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_counters]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto counted.1
	r1 = 1
	lock *(u64 *)(r0 + 16) += r1
counted.1:
	r0 = 0
exit:
	r0 = 0
	exit
