bundle fold
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=4536 max=1
map polc_mode Array key=4 value=4 max=1
map polc_counters PerCPUArray key=4 value=24 max=1
map polc_ret_h1 Hash key=8 value=40 max=32768 flags=0x1

program h0_sys_fsconfig section kprobe/__x64_sys_fsconfig (152 instructions)
	; - call: "sys_fsconfig"
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
	; - index: 1
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 104
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	r7 <<= 56
	r7 >>= 56
	*(u64 *)(r9 + 48) = r7
	; - index: 2
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 96
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	r3 = r7
	r1 = r9
	r1 += 72
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
	*(u64 *)(r9 + 56) = r0
	r0 <<= 32
	r0 >>= 32
	*(u64 *)(r9 + 64) = r0
	; - index: 1
sel0:
	r4 = *(u64 *)(r9 + 48)
	if r4 == 0x9 goto pass
	goto sel1
pass:
	*(u8 *)(r9 + 22) = 3
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - matchActions:
sel1:
	*(u8 *)(r9 + 22) = 8
	*(u8 *)(r9 + 23) = 2
	; - action: Sigkill
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_mode]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto enforce1
	r1 = *(u32 *)(r0 + 0)
	if r1 == 0x2 goto post
enforce1:
	r1 = 9
	call bpf_send_signal
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
	r3 = *(u32 *)(r9 + 56)
	r3 += 7
	r3 &= -8
	if r3 <= 0x1008 goto padded_2
	r3 = 4104
padded_2:
	r3 += 72
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

program h1_sys_tgkill section kprobe/__x64_sys_tgkill (34 instructions)
	; - call: "sys_tgkill"
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
	; - matchReturnArgs:
sel0:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
post:
	call bpf_ktime_get_boot_ns
	*(u64 *)(r9 + 8) = r0
	r1 = map[polc_ret_h1]
	r2 = r10
	r2 += -40
	r3 = r9
	r4 = 0
	call bpf_map_update_elem
exit:
	r0 = 0
	exit

program h1_sys_tgkill_ret section kretprobe/__x64_sys_tgkill (82 instructions)
	; - call: "sys_tgkill"
	r6 = r1
	call bpf_get_current_pid_tgid
	*(u64 *)(r10 - 40) = r0
	r1 = map[polc_ret_h1]
	r2 = r10
	r2 += -40
	call bpf_map_lookup_elem
	if r0 == 0x0 goto exit
	r9 = r0
	r1 = *(u64 *)(r6 + 80)
	*(u64 *)(r9 + 32) = r1
	r1 = *(u32 *)(r9 + 0)
	r1 |= 65536
	*(u32 *)(r9 + 0) = r1
	; - matchReturnArgs:
	r1 = *(u8 *)(r9 + 22)
	if r1 != 0x1 goto pass.1
	; - operator: "Equal"
	r4 = *(u64 *)(r9 + 32)
	r4 <<= 32
	r4 s>>= 32
	*(u64 *)(r10 - 48) = r4
	if r4 == 0x0 goto pass
	goto drop
pass:
	r4 = *(u64 *)(r9 + 32)
	r4 <<= 32
	r4 s>>= 32
	*(u64 *)(r10 - 48) = r4
	if r4 == 0x1 goto pass.1
	goto drop
pass.1:
	r0 = 0
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
drop:
	r1 = map[polc_ret_h1]
	r2 = r10
	r2 += -40
	call bpf_map_delete_elem
exit:
	r0 = 0
	exit
