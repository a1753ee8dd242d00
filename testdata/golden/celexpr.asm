bundle celexpr
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=424 max=1
map polc_counters PerCPUArray key=4 value=24 max=1

program h0_sys_lseek section kprobe/__x64_sys_lseek (117 instructions)
	; - call: "sys_lseek"
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
	r7 <<= 32
	r7 s>>= 32
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
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 56) = r7
	; - args: [0, 1, 2]
sel0:
	r0 = *(u64 *)(r9 + 40)
	r0 -= 10
	r0 <<= 32
	r0 s>>= 32
	r1 = *(u64 *)(r9 + 48)
	r1 += 5
	r1 <<= 32
	r1 s>>= 32
	if r0 != r1 goto exit
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
	r3 = 64
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

program h1_sys_enter_lseek section tracepoint/syscalls/sys_enter_lseek (116 instructions)
	; - subsystem: "syscalls"
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
	; - index: 5
	r7 = *(u64 *)(r6 + 16)
	r7 <<= 32
	r7 >>= 32
	*(u64 *)(r9 + 40) = r7
	; - index: 6
	r7 = *(u64 *)(r6 + 24)
	*(u64 *)(r9 + 48) = r7
	; - index: 7
	r7 = *(u64 *)(r6 + 32)
	*(u64 *)(r9 + 56) = r7
	; - args: [0, 1, 2]
sel0:
	r0 = *(u64 *)(r9 + 48)
	r0 <<= 32
	r0 s>>= 32
	if r0 == -0x1 goto cel_true.1
	r0 = 0
	goto cel_done.1
cel_true.1:
	r0 = 1
cel_done.1:
	r1 = *(u64 *)(r9 + 56)
	r2 = 0xffffffffff ll
	if r1 >= r2 goto cel_true.2
	r1 = 0
	goto cel_done.2
cel_true.2:
	r1 = 1
cel_done.2:
	if r0 == r1 goto cel_true
	r0 = 0
	goto cel_done
cel_true:
	r0 = 1
cel_done:
	r1 = *(u64 *)(r9 + 40)
	if r1 > 0x7 goto cel_true.3
	r1 = 0
	goto cel_done.3
cel_true.3:
	r1 = 1
cel_done.3:
	r1 ^= 1
	r1 |= r0
	if r1 == 0x0 goto sel1
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - args: [0, 1, 2]
sel1:
	r0 = *(u64 *)(r9 + 48)
	r1 = 0xffffffff00000000 ll
	if r0 s>= r1 goto exit
	r0 = *(u64 *)(r9 + 40)
	r1 = *(u64 *)(r9 + 56)
	w1 = w1
	if r0 == r1 goto exit
	*(u8 *)(r9 + 22) = 2
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
	r3 = 64
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
