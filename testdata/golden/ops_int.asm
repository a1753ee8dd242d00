bundle ops-int
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=472 max=1
map m_iset_0 Hash key=8 value=1 max=3
map m_iset_1 Hash key=8 value=1 max=2
map polc_counters PerCPUArray key=4 value=24 max=1

program h0_integers section lsm/integers (195 instructions)
	; - hook: "integers"
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
	; - {index: 0, type: "int"}
	r7 = *(u64 *)(r6 + 0)
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 40) = r7
	; - {index: 1, type: "uint32"}
	r7 = *(u64 *)(r6 + 8)
	r7 <<= 32
	r7 >>= 32
	*(u64 *)(r9 + 48) = r7
	; - {index: 2, type: "int8"}
	r7 = *(u64 *)(r6 + 16)
	r7 <<= 56
	r7 s>>= 56
	*(u64 *)(r9 + 56) = r7
	; - {index: 3, type: "uint64"}
	r7 = *(u64 *)(r6 + 24)
	*(u64 *)(r9 + 64) = r7
	; - {index: 4, type: "long"}
	r7 = *(u64 *)(r6 + 32)
	*(u64 *)(r9 + 72) = r7
	; - {index: 5, type: "capability"}
	r7 = *(u64 *)(r6 + 40)
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 80) = r7
	; - {index: 6, type: "kernel_cap_t"}
	r7 = *(u64 *)(r6 + 48)
	r3 = r7
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	*(u64 *)(r9 + 88) = r7
	; - {index: 7, type: "cap_effective"}
	r7 = *(u64 *)(r6 + 56)
	r3 = r7
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	*(u64 *)(r9 + 96) = r7
	; - {index: 8, type: "cap_permitted"}
	r7 = *(u64 *)(r6 + 64)
	r3 = r7
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	*(u64 *)(r9 + 104) = r7
	; - index: 0
sel0:
	r4 = *(u64 *)(r9 + 40)
	if r4 == -0x1 goto pass
	if r4 == 0x3 goto pass
	if r4 == 0x10 goto pass
	goto sel1
	; - index: 1
pass:
	r4 = *(u64 *)(r9 + 48)
	if r4 == 0x0 goto sel1
	r3 = 0xffffffff ll
	if r4 == r3 goto sel1
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 2
sel1:
	r4 = *(u64 *)(r9 + 56)
	if r4 s> -0x5 goto pass.1
	goto sel2
	; - index: 4
pass.1:
	r4 = *(u64 *)(r9 + 72)
	if r4 s< -0x2 goto pass.2
	if r4 s< 0x1f4 goto pass.2
	goto sel2
pass.2:
	*(u8 *)(r9 + 22) = 2
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 0
sel2:
	r4 = *(u64 *)(r9 + 40)
	if r4 s< -0xa goto range_next
	if r4 s<= -0x1 goto sel3
range_next:
	r0 = 0
	; - index: 1
	r4 = *(u64 *)(r9 + 48)
	if r4 < 0xa goto range_next.1
	if r4 <= 0x14 goto pass.3
range_next.1:
	r0 = 0
	if r4 < 0x100 goto range_next.2
	if r4 <= 0x1ff goto pass.3
range_next.2:
	r0 = 0
	goto sel3
	; - index: 3
pass.3:
	r4 = *(u64 *)(r9 + 64)
	if r4 & 0x3 goto pass.4
	r3 = 0x8000000000000000 ll
	if r4 & r3 goto pass.4
	goto sel3
pass.4:
	*(u8 *)(r9 + 22) = 3
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 3
sel3:
	r4 = *(u64 *)(r9 + 64)
	if r4 < 0x2 goto range_next.3
	if r4 <= 0x4 goto pass.5
range_next.3:
	r0 = 0
	r1 = map[m_iset_0]
	r2 = r9
	r2 += 64
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass.5
	goto sel4
	; - index: 4
pass.5:
	r4 = *(u64 *)(r9 + 72)
	r1 = map[m_iset_1]
	r2 = r9
	r2 += 72
	call bpf_map_lookup_elem
	if r0 != 0x0 goto sel4
	*(u8 *)(r9 + 22) = 4
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 5
sel4:
	r4 = *(u64 *)(r9 + 80)
	if r4 == 0xc goto pass.6
	if r4 == 0x15 goto pass.6
	goto sel5
	; - index: 6
pass.6:
	r4 = *(u64 *)(r9 + 88)
	if r4 == 0x2001 goto pass.7
	goto sel5
	; - index: 7
pass.7:
	r4 = *(u64 *)(r9 + 96)
	if r4 == 0x0 goto sel5
	*(u8 *)(r9 + 22) = 5
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 7
sel5:
	r1 = *(u64 *)(r9 + 104)
	r1 ^= -1
	r4 = *(u64 *)(r9 + 96)
	r4 &= r1
	if r4 == 0x0 goto exit
	*(u8 *)(r9 + 22) = 6
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
	r3 = 112
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
