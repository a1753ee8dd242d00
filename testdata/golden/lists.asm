bundle lists
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=4504 max=1
map polc_counters PerCPUArray key=4 value=24 max=1
map m_iset_0 Hash key=8 value=1 max=4
map polc_mode Array key=4 value=4 max=1
map polc_enforcer LRUHash key=8 value=8 max=32768
map m_iset_1 Hash key=8 value=1 max=3
map polc_tmp PerCPUArray key=4 value=8520 max=1

program h0_sys_dup section kprobe/__x64_sys_dup (121 instructions)
	; - call: "list:dups"
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
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	r3 = r0
	r1 = r9
	r1 += 48
	r2 = 352
	call bpf_probe_read_kernel
	*(u64 *)(r9 + 400) = 0
	; - operator: In
	call bpf_get_current_task
	r7 = r0
	*(u64 *)(r10 - 72) = r7
	*(u64 *)(r10 - 80) = 0
	r1 = 65536
	r2 = &func[h0_walk1_pids]
	r3 = r10
	r3 += -72
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 80)
	if r1 == 0x0 goto sel0_proc_fail
	*(u8 *)(r9 + 400) = 1
sel0_proc_fail:
	r2 = 0
	r1 = *(u64 *)(r9 + 400)
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
	; - index: 0
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 112
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 40) = r7
	; - matchPIDs:
sel0:
	r1 = *(u8 *)(r9 + 400)
	if r1 == 0x0 goto exit
	; - index: 0
	r4 = *(u64 *)(r9 + 40)
	if r4 == 0x270f goto pass
	goto exit
pass:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchPIDs:
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

program h1_sys_dup2 section kprobe/__x64_sys_dup2 (121 instructions)
	; - call: "list:dups"
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
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	r3 = r0
	r1 = r9
	r1 += 48
	r2 = 352
	call bpf_probe_read_kernel
	*(u64 *)(r9 + 400) = 0
	; - operator: In
	call bpf_get_current_task
	r7 = r0
	*(u64 *)(r10 - 72) = r7
	*(u64 *)(r10 - 80) = 0
	r1 = 65536
	r2 = &func[h1_walk2_pids]
	r3 = r10
	r3 += -72
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 80)
	if r1 == 0x0 goto sel0_proc_fail
	*(u8 *)(r9 + 400) = 1
sel0_proc_fail:
	r2 = 0
	r1 = *(u64 *)(r9 + 400)
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
	; - index: 0
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 112
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 40) = r7
	; - matchPIDs:
sel0:
	r1 = *(u8 *)(r9 + 400)
	if r1 == 0x0 goto exit
	; - index: 0
	r4 = *(u64 *)(r9 + 40)
	if r4 == 0x270f goto pass
	goto exit
pass:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchPIDs:
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

program h2_sys_dup section kprobe/__ia32_sys_dup (121 instructions)
	; - call: "list:dups"
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
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	r3 = r0
	r1 = r9
	r1 += 48
	r2 = 352
	call bpf_probe_read_kernel
	*(u64 *)(r9 + 400) = 0
	; - operator: In
	call bpf_get_current_task
	r7 = r0
	*(u64 *)(r10 - 72) = r7
	*(u64 *)(r10 - 80) = 0
	r1 = 65536
	r2 = &func[h2_walk3_pids]
	r3 = r10
	r3 += -72
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 80)
	if r1 == 0x0 goto sel0_proc_fail
	*(u8 *)(r9 + 400) = 1
sel0_proc_fail:
	r2 = 0
	r1 = *(u64 *)(r9 + 400)
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
	; - index: 0
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 40
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 40) = r7
	; - matchPIDs:
sel0:
	r1 = *(u8 *)(r9 + 400)
	if r1 == 0x0 goto exit
	; - index: 0
	r4 = *(u64 *)(r9 + 40)
	if r4 == 0x270f goto pass
	goto exit
pass:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchPIDs:
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

program h3_vfs_read section kprobe/vfs_read (100 instructions)
	; - call: "list:vfs"
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
	; - index: 0
	r7 = *(u64 *)(r6 + 112)
	r3 = r7
	r3 += 0	; CO-RE byte_off file[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r8 = *(u64 *)(r10 - 16)
	r3 = r7
	r3 += 8	; CO-RE byte_off file[0:0:1]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	r2 = r8
	r3 = r9
	r3 += 56
	r4 = 4096
	call polc_path
	*(u64 *)(r9 + 40) = r0
	r0 <<= 32
	r0 >>= 32
	*(u64 *)(r9 + 48) = r0
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
	r3 = *(u32 *)(r9 + 40)
	r3 += 7
	r3 &= -8
	if r3 <= 0x1000 goto padded_0
	r3 = 4096
padded_0:
	r3 += 56
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

program h4_vfs_write section kprobe/vfs_write (100 instructions): the code of h3_vfs_read

program h5_sys_enter section tracepoint/raw_syscalls/sys_enter (125 instructions)
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
	*(u8 *)(r9 + 23) = 12
	; - action: NotifyEnforcer
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_mode]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto enforce1
	r1 = *(u32 *)(r0 + 0)
	if r1 == 0x2 goto post
enforce1:
	r1 = -1
	*(u32 *)(r10 - 48) = r1
	r1 = 0
	*(u32 *)(r10 - 44) = r1
	r1 = map[polc_enforcer]
	r2 = r10
	r2 += -40
	r3 = r10
	r3 += -48
	r4 = 0
	call bpf_map_update_elem
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_counters]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto post
	r1 = 1
	lock *(u64 *)(r0 + 8) += r1
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
	if r0 == 0x0 goto counted.2
	r1 = 1
	lock *(u64 *)(r0 + 0) += r1
counted.1:
	goto counted.2
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
	if r0 == 0x0 goto counted.2
	r1 = 1
	lock *(u64 *)(r0 + 16) += r1
counted.2:
	r0 = 0
exit:
	r0 = 0
	exit

program h6_sys_exit section tracepoint/raw_syscalls/sys_exit (81 instructions)
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
	*(u64 *)(r9 + 40) = r7
	; - matchArgs:
sel0:
	r4 = *(u64 *)(r9 + 40)
	r1 = map[m_iset_1]
	r2 = r9
	r2 += 40
	call bpf_map_lookup_elem
	if r0 != 0x0 goto exit
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

program enforcer0_sys_dup section kprobe/__x64_sys_dup#7 (25 instructions)
	; - "list:dups"
	r6 = r1
	call bpf_get_current_pid_tgid
	*(u64 *)(r10 - 40) = r0
	r1 = map[polc_enforcer]
	r2 = r10
	r2 += -40
	call bpf_map_lookup_elem
	if r0 == 0x0 goto exit
	r7 = *(u32 *)(r0 + 0)
	r7 <<= 32
	r7 s>>= 32
	r8 = *(u32 *)(r0 + 4)
	r1 = map[polc_enforcer]
	r2 = r10
	r2 += -40
	call bpf_map_delete_elem
	if r8 == 0x0 goto no_signal
	r1 = r8
	call bpf_send_signal
no_signal:
	if r7 == 0x0 goto exit
	r1 = r6
	r2 = r7
	call bpf_override_return
exit:
	r0 = 0
	exit

program enforcer1_sys_dup2 section kprobe/__x64_sys_dup2#8 (25 instructions): the code of enforcer0_sys_dup

program enforcer2_sys_dup section kprobe/__ia32_sys_dup#9 (25 instructions): the code of enforcer0_sys_dup

program k0_sys_dup_multi section kprobe.multi/k0_sys_dup (125 instructions)
	; - call: "list:dups"
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
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	r3 = r0
	r1 = r9
	r1 += 48
	r2 = 352
	call bpf_probe_read_kernel
	*(u64 *)(r9 + 400) = 0
	; - operator: In
	call bpf_get_current_task
	r7 = r0
	*(u64 *)(r10 - 72) = r7
	*(u64 *)(r10 - 80) = 0
	r1 = 65536
	r2 = &func[h0_walk4_pids]
	r3 = r10
	r3 += -72
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 80)
	if r1 == 0x0 goto sel0_proc_fail
	*(u8 *)(r9 + 400) = 1
sel0_proc_fail:
	r2 = 0
	r1 = *(u64 *)(r9 + 400)
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
	; - index: 0
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 112
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 40) = r7
	; - matchPIDs:
sel0:
	r1 = *(u8 *)(r9 + 400)
	if r1 == 0x0 goto exit
	; - index: 0
	r4 = *(u64 *)(r9 + 40)
	if r4 == 0x270f goto pass
	goto exit
pass:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchPIDs:
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

program k1_vfs_read_multi section kprobe.multi/k1_vfs_read (104 instructions)
	; - call: "list:vfs"
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
	; - index: 0
	r7 = *(u64 *)(r6 + 112)
	r3 = r7
	r3 += 0	; CO-RE byte_off file[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r8 = *(u64 *)(r10 - 16)
	r3 = r7
	r3 += 8	; CO-RE byte_off file[0:0:1]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	r2 = r8
	r3 = r9
	r3 += 56
	r4 = 4096
	call polc_path
	*(u64 *)(r9 + 40) = r0
	r0 <<= 32
	r0 >>= 32
	*(u64 *)(r9 + 48) = r0
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
	r3 = *(u32 *)(r9 + 40)
	r3 += 7
	r3 &= -8
	if r3 <= 0x1000 goto padded_0
	r3 = 4096
padded_0:
	r3 += 56
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

func polc_path (80 instructions)
	r6 = r3
	r7 = r4
	*(u64 *)(r10 - 8) = r1
	*(u64 *)(r10 - 16) = r2
	*(u32 *)(r10 - 20) = 0
	r1 = map[polc_tmp]
	r2 = r10
	r2 += -20
	call bpf_map_lookup_elem
	if r0 == 0x0 goto fault
	r8 = r0
	r1 = *(u64 *)(r10 - 8)
	if r1 == 0x0 goto fault
	*(u64 *)(r8 + 0) = r1
	r1 = *(u64 *)(r10 - 16)
	*(u64 *)(r8 + 8) = r1
	*(u32 *)(r8 + 32) = 4096
	*(u32 *)(r8 + 36) = 0
	call bpf_get_current_task
	r9 = r0
	r3 = r9
	r3 += 96	; CO-RE byte_off task_struct[0:12]
	r1 = r10
	r1 += -32
	r2 = 8
	call bpf_probe_read_kernel
	r9 = *(u64 *)(r10 - 32)
	r3 = r9
	r3 += 8	; CO-RE byte_off fs_struct[0:0:1]
	r1 = r10
	r1 += -32
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 32)
	*(u64 *)(r8 + 16) = r1
	r3 = r9
	r3 += 0	; CO-RE byte_off fs_struct[0:0:0]
	r1 = r10
	r1 += -32
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 32)
	*(u64 *)(r8 + 24) = r1
	*(u64 *)(r10 - 40) = r8
	r1 = 4096
	r2 = &func[polc_path_step]
	r3 = r10
	r3 += -40
	r4 = 0
	call bpf_loop
	if r0 < 0x1000 goto walked
	r1 = *(u32 *)(r8 + 36)
	r1 |= 1
	*(u32 *)(r8 + 36) = r1
walked:
	r1 = *(u32 *)(r8 + 32)
	if r1 > 0x1000 goto fault
	r2 = 4096
	r2 -= r1
	if r2 != 0x0 goto copy
	*(u8 *)(r6 + 0) = 47
	r0 = 1
	exit
copy:
	if r2 <= r7 goto fits
	r2 = r7
	r3 = *(u32 *)(r8 + 36)
	r3 |= 1
	*(u32 *)(r8 + 36) = r3
fits:
	*(u64 *)(r10 - 8) = r2
	r3 = r8
	r3 += r1
	r3 += 64
	r1 = r6
	call bpf_probe_read_kernel
	r0 = *(u32 *)(r8 + 36)
	r0 <<= 32
	r1 = *(u64 *)(r10 - 8)
	r0 |= r1
	exit
fault:
	r0 = 0x200000000 ll
	exit

func polc_path_step (85 instructions)
	r6 = *(u64 *)(r2 + 0)
	r7 = *(u64 *)(r6 + 0)
	if r7 == 0x0 goto stop
	r8 = *(u64 *)(r6 + 8)
	r1 = *(u64 *)(r6 + 16)
	if r7 != r1 goto below_root
	r1 = *(u64 *)(r6 + 24)
	if r8 == r1 goto stop
below_root:
	r3 = r7
	r3 += 0	; CO-RE byte_off dentry[0:0]
	r1 = r10
	r1 += -8
	r2 = 8
	call bpf_probe_read_kernel
	r9 = *(u64 *)(r10 - 8)
	if r8 == 0x0 goto fs_root
	r3 = r8
	r3 += 0	; CO-RE byte_off vfsmount[0:0]
	r1 = r10
	r1 += -8
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 8)
	if r7 == r1 goto cross
fs_root:
	if r7 != r9 goto component
cross:
	if r8 == 0x0 goto stop
	r8 -= 16	; CO-RE byte_off mount[0:2]
	r3 = r8
	r3 += 0	; CO-RE byte_off mount[0:0]
	r1 = r10
	r1 += -8
	r2 = 8
	call bpf_probe_read_kernel
	r9 = *(u64 *)(r10 - 8)
	if r9 == r8 goto stop
	if r9 == 0x0 goto stop
	r3 = r8
	r3 += 8	; CO-RE byte_off mount[0:1]
	r1 = r10
	r1 += -8
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 8)
	*(u64 *)(r6 + 0) = r1
	r9 += 16	; CO-RE byte_off mount[0:2]
	*(u64 *)(r6 + 8) = r9
	r0 = 0
	exit
component:
	r3 = r7
	r3 += 8	; CO-RE byte_off dentry[0:1:0]
	r1 = r10
	r1 += -8
	r2 = 4
	call bpf_probe_read_kernel
	r8 = *(u32 *)(r10 - 8)
	r3 = r7
	r3 += 16	; CO-RE byte_off dentry[0:1:1]
	r1 = r10
	r1 += -8
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 8)
	*(u64 *)(r10 - 16) = r1
	if r8 > 0xff goto truncated
	r1 = *(u32 *)(r6 + 32)
	if r1 > 0x1000 goto stop
	r1 -= r8
	r1 -= 1
	if r1 > 0xfff goto truncated
	*(u32 *)(r6 + 32) = r1
	r1 += r6
	r1 += 64
	*(u8 *)(r1 + 0) = 47
	r1 += 1
	r2 = r8
	r3 = *(u64 *)(r10 - 16)
	call bpf_probe_read_kernel
	*(u64 *)(r6 + 0) = r9
	r0 = 0
	exit
truncated:
	r1 = *(u32 *)(r6 + 36)
	r1 |= 1
	*(u32 *)(r6 + 36) = r1
stop:
	r0 = 1
	exit

func h0_walk1_pids (27 instructions)
	r6 = r2
	r7 = *(u64 *)(r6 + 0)
	if r7 == 0x0 goto stop
	r3 = r7
	r3 += 40	; CO-RE byte_off task_struct[0:5]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	if r4 == 0x0 goto stop
	*(u64 *)(r10 - 48) = r4
	if r4 == 0x3039 goto found
	r3 = r7
	r3 += 48	; CO-RE byte_off task_struct[0:6]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	if r1 == r7 goto stop
	*(u64 *)(r6 + 0) = r1
	r0 = 0
	exit
found:
	*(u64 *)(r6 - 8) = 1
stop:
	r0 = 1
	exit

func h1_walk2_pids (27 instructions)
	r6 = r2
	r7 = *(u64 *)(r6 + 0)
	if r7 == 0x0 goto stop
	r3 = r7
	r3 += 40	; CO-RE byte_off task_struct[0:5]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	if r4 == 0x0 goto stop
	*(u64 *)(r10 - 48) = r4
	if r4 == 0x3039 goto found
	r3 = r7
	r3 += 48	; CO-RE byte_off task_struct[0:6]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	if r1 == r7 goto stop
	*(u64 *)(r6 + 0) = r1
	r0 = 0
	exit
found:
	*(u64 *)(r6 - 8) = 1
stop:
	r0 = 1
	exit

func h2_walk3_pids (27 instructions)
	r6 = r2
	r7 = *(u64 *)(r6 + 0)
	if r7 == 0x0 goto stop
	r3 = r7
	r3 += 40	; CO-RE byte_off task_struct[0:5]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	if r4 == 0x0 goto stop
	*(u64 *)(r10 - 48) = r4
	if r4 == 0x3039 goto found
	r3 = r7
	r3 += 48	; CO-RE byte_off task_struct[0:6]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	if r1 == r7 goto stop
	*(u64 *)(r6 + 0) = r1
	r0 = 0
	exit
found:
	*(u64 *)(r6 - 8) = 1
stop:
	r0 = 1
	exit

func h0_walk4_pids (27 instructions)
	r6 = r2
	r7 = *(u64 *)(r6 + 0)
	if r7 == 0x0 goto stop
	r3 = r7
	r3 += 40	; CO-RE byte_off task_struct[0:5]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	if r4 == 0x0 goto stop
	*(u64 *)(r10 - 48) = r4
	if r4 == 0x3039 goto found
	r3 = r7
	r3 += 48	; CO-RE byte_off task_struct[0:6]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	if r1 == r7 goto stop
	*(u64 *)(r6 + 0) = r1
	r0 = 0
	exit
found:
	*(u64 *)(r6 - 8) = 1
stop:
	r0 = 1
	exit
