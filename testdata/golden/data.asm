bundle data
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=4528 max=1
map polc_out PerCPUArray key=4 value=4168 max=1
map polc_counters PerCPUArray key=4 value=24 max=1

program h0_sys_openat section kprobe/__x64_sys_openat (161 instructions)
	; - call: "sys_openat"
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
	r3 = *(u64 *)(r10 - 32)
	r3 += 112
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 4160) = r7
	; - index: 1
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 104
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	r3 = r7
	r1 = r9
	r1 += 56
	r2 = 4097
	call bpf_probe_read_user_str
	if r0 s< 0x0 goto str_fault
	if r0 != 0x0 goto user_str_read
	r0 = 1
user_str_read:
	r0 -= 1
	if r0 < 0x1000 goto str_done
	r1 = 0x100000000 ll
	r0 |= r1
	goto str_done
str_fault:
	r0 = 0x200000000 ll
str_done:
	*(u64 *)(r9 + 40) = r0
	r0 <<= 32
	r0 >>= 32
	*(u64 *)(r9 + 48) = r0
	; - index: 0
sel0:
	r4 = *(u64 *)(r9 + 4160)
	if r4 == -0x64 goto pass
	goto exit
pass:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchData:
post:
	call bpf_ktime_get_boot_ns
	*(u64 *)(r9 + 8) = r0
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_out]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto exit
	r8 = r0
	r7 = 40
	r1 = *(u64 *)(r9 + 0)
	*(u64 *)(r8 + 0) = r1
	r1 = *(u64 *)(r9 + 8)
	*(u64 *)(r8 + 8) = r1
	r1 = *(u64 *)(r9 + 16)
	*(u64 *)(r8 + 16) = r1
	r1 = *(u64 *)(r9 + 24)
	*(u64 *)(r8 + 24) = r1
	r1 = *(u64 *)(r9 + 32)
	*(u64 *)(r8 + 32) = r1
	r2 = *(u32 *)(r9 + 40)
	r2 += 7
	r2 &= -8
	if r2 <= 0x1008 goto padded_0
	r2 = 4104
padded_0:
	r2 += 16
	if r7 <= 0x28 goto pack_off_ok_0
	goto exit
pack_off_ok_0:
	*(u64 *)(r10 - 48) = r2
	r1 = r8
	r1 += r7
	r3 = r9
	r3 += 40
	call bpf_probe_read_kernel
	r2 = *(u64 *)(r10 - 48)
	r7 += r2
	r2 = 8
	if r7 <= 0x1040 goto pack_off_ok_1
	goto exit
pack_off_ok_1:
	*(u64 *)(r10 - 48) = r2
	r1 = r8
	r1 += r7
	r3 = r9
	r3 += 4160
	call bpf_probe_read_kernel
	r2 = *(u64 *)(r10 - 48)
	r7 += r2
	if r7 <= 0x1048 goto pack_done
	goto exit
pack_done:
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
	*(u32 *)(r8 + 4) = r7
	r1 = map[polc_events]
	r2 = r8
	r3 = r7
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

program h1_readline section uprobe//usr/bin/bash:readline (86 instructions)
	; - path: "/usr/bin/bash"
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
	r7 = *(u64 *)(r6 + 80)
	r7 <<= 48
	r7 s>>= 48
	r7 <<= 48
	r7 s>>= 48
	*(u64 *)(r9 + 40) = r7
	; - index: 1
	r7 = *(u64 *)(r6 + 152)
	*(u64 *)(r9 + 48) = r7
	; - args: [0]
sel0:
	r4 = *(u64 *)(r9 + 40)
	if r4 s> -0x2 goto pass
	goto exit
	; - args: [1]
pass:
	r4 = *(u64 *)(r9 + 48)
	if r4 == 0x0 goto exit
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchData:
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
	r3 = 56
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
