bundle maps
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=4512 max=1
map m_sset_1 Hash key=8 value=1 max=5
map m_spfx_1 LPMTrie key=20 value=1 max=5 flags=0x1
map m_iset_0 Hash key=8 value=1 max=9
map m_iset_1 Hash key=8 value=1 max=9
map m_sset_0 Hash key=16 value=1 max=5
map m_spfx_0 LPMTrie key=20 value=1 max=5 flags=0x1
map polc_counters PerCPUArray key=4 value=24 max=1
map m_iset_2_int Hash key=8 value=1 max=9
map m_pfx4_0 LPMTrie key=8 value=1 max=9 flags=0x1
map m_pfx6_0 LPMTrie key=20 value=1 max=9 flags=0x1
map polc_tmp PerCPUArray key=4 value=8520 max=1

program h0_security_file_open section kprobe/security_file_open (297 instructions)
	; - call: "security_file_open"
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
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	r3 = r0
	r1 = r9
	r1 += 4152
	r2 = 352
	call bpf_probe_read_kernel
	*(u64 *)(r9 + 4504) = 0
	; - operator: In
	*(u64 *)(r10 - 56) = r9
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_tmp]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto set_miss
	r7 = r0
	r1 = r7
	r1 += 4416
	r2 = 8
	r3 = 0
	call bpf_probe_read_kernel
	r8 = *(u64 *)(r10 - 56)
	r2 = *(u32 *)(r8 + 4240)
	if r2 >= 0x8 goto set_miss
	r1 = r7
	r1 += 4416
	r3 = r8
	r3 += 4248
	call bpf_probe_read_kernel
	r1 = map[m_sset_1]
	r2 = r7
	r2 += 4416
	r2 += 0
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass
set_miss:
	r0 = 0
	goto sel0_proc_fail
pass:
	*(u8 *)(r9 + 4504) = 1
	; - operator: Prefix
sel0_proc_fail:
	*(u64 *)(r10 - 56) = r9
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_tmp]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto set_miss.1
	r7 = r0
	r1 = r7
	r1 += 4420
	r2 = 16
	r3 = 0
	call bpf_probe_read_kernel
	r8 = *(u64 *)(r10 - 56)
	r2 = *(u32 *)(r8 + 4240)
	if r2 <= 0x10 goto key_fits
	r2 = 16
key_fits:
	r1 = r2
	r1 <<= 3
	*(u32 *)(r7 + 4416) = r1
	r1 = r7
	r1 += 4420
	r3 = r8
	r3 += 4248
	call bpf_probe_read_kernel
	r1 = map[m_spfx_1]
	r2 = r7
	r2 += 4416
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass.1
set_miss.1:
	r0 = 0
	goto sel1_proc_fail
pass.1:
	*(u8 *)(r9 + 4505) = 1
	; - operator: NotIn
sel1_proc_fail:
	r4 = *(u64 *)(r10 - 40)
	r4 >>= 32
	*(u64 *)(r10 - 48) = r4
	r1 = map[m_iset_0]
	r2 = r10
	r2 += -48
	call bpf_map_lookup_elem
	if r0 != 0x0 goto sel2_proc_fail
	; - namespace: Mnt
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 112	; CO-RE byte_off task_struct[0:14]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 16	; CO-RE byte_off nsproxy[0:2]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 0	; CO-RE byte_off mnt_namespace[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	*(u64 *)(r10 - 48) = r4
	r1 = &var[polc_host_ns_mnt]+0
	r1 = *(u32 *)(r1 + 0)
	if r4 == r1 goto pass.2
	r1 = map[m_iset_1]
	r2 = r10
	r2 += -48
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass.2
	goto sel2_proc_fail
pass.2:
	*(u8 *)(r9 + 4506) = 1
sel2_proc_fail:
	r2 = 0
	r1 = *(u64 *)(r9 + 4504)
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
	; - matchArgs:
sel0:
	r1 = *(u8 *)(r9 + 4504)
	if r1 == 0x0 goto sel1
	; - index: 0
	*(u64 *)(r10 - 56) = r9
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_tmp]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto set_miss.2
	r7 = r0
	r1 = r7
	r1 += 4416
	r2 = 16
	r3 = 0
	call bpf_probe_read_kernel
	r8 = *(u64 *)(r10 - 56)
	r2 = *(u32 *)(r8 + 40)
	if r2 >= 0x10 goto set_miss.2
	r1 = r7
	r1 += 4416
	r3 = r8
	r3 += 56
	call bpf_probe_read_kernel
	r1 = map[m_sset_0]
	r2 = r7
	r2 += 4416
	r2 += 0
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass.3
set_miss.2:
	r0 = 0
	goto sel1
pass.3:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
sel1:
	r1 = *(u8 *)(r9 + 4505)
	if r1 == 0x0 goto sel2
	; - index: 0
	*(u64 *)(r10 - 56) = r9
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_tmp]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto set_miss.3
	r7 = r0
	r1 = r7
	r1 += 4420
	r2 = 16
	r3 = 0
	call bpf_probe_read_kernel
	r8 = *(u64 *)(r10 - 56)
	r2 = *(u32 *)(r8 + 40)
	if r2 <= 0x10 goto key_fits.1
	r2 = 16
key_fits.1:
	r1 = r2
	r1 <<= 3
	*(u32 *)(r7 + 4416) = r1
	r1 = r7
	r1 += 4420
	r3 = r8
	r3 += 56
	call bpf_probe_read_kernel
	r1 = map[m_spfx_0]
	r2 = r7
	r2 += 4416
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass.4
set_miss.3:
	r0 = 0
	goto sel2
pass.4:
	*(u8 *)(r9 + 22) = 2
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - matchPIDs:
sel2:
	r1 = *(u8 *)(r9 + 4506)
	if r1 == 0x0 goto exit
	*(u8 *)(r9 + 22) = 3
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

program h1_sys_kill section kprobe/__x64_sys_kill (116 instructions)
	; - call: "sys_kill"
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
	*(u64 *)(r9 + 400) = 0
	*(u8 *)(r9 + 400) = 1
	; - operator: NotIn
	r4 = *(u64 *)(r10 - 40)
	r4 >>= 32
	*(u64 *)(r10 - 48) = r4
	r1 = map[m_iset_0]
	r2 = r10
	r2 += -48
	call bpf_map_lookup_elem
	if r0 != 0x0 goto sel1_proc_fail
	*(u8 *)(r9 + 401) = 1
sel1_proc_fail:
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
	*(u64 *)(r9 + 40) = r7
	; - matchArgs:
sel0:
	r4 = *(u64 *)(r9 + 40)
	r1 = map[m_iset_2_int]
	r2 = r9
	r2 += 40
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass
	goto sel1
pass:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	goto post
sel1:
	r1 = *(u8 *)(r9 + 401)
	if r1 == 0x0 goto exit
	; - index: 1
	r4 = *(u64 *)(r9 + 40)
	r1 = map[m_iset_2_int]
	r2 = r9
	r2 += 40
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass.1
	goto exit
pass.1:
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

program h2_tcp_connect section kprobe/tcp_connect (242 instructions)
	; - call: "tcp_connect"
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
	*(u64 *)(r9 + 40) = 0
	*(u64 *)(r9 + 48) = 0
	*(u64 *)(r9 + 56) = 0
	*(u64 *)(r9 + 64) = 0
	*(u64 *)(r9 + 72) = 0
	*(u64 *)(r9 + 80) = 0
	*(u64 *)(r9 + 88) = 0
	*(u64 *)(r9 + 96) = 0
	r3 = r7
	r3 += 12	; CO-RE byte_off sock[0:0:4]
	r1 = r9
	r1 += 40
	r2 = 2
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 58	; CO-RE byte_off sock[0:2]
	r1 = r9
	r1 += 42
	r2 = 2
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 56	; CO-RE byte_off sock[0:1]
	r1 = r9
	r1 += 44
	r2 = 2
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 14	; CO-RE byte_off sock[0:0:5]
	r1 = r9
	r1 += 46
	r2 = 1
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 60	; CO-RE byte_off sock[0:3]
	r1 = r9
	r1 += 48
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 64	; CO-RE byte_off sock[0:4]
	r1 = r9
	r1 += 52
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 10	; CO-RE byte_off sock[0:0:3]
	r1 = r9
	r1 += 56
	r2 = 2
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 8	; CO-RE byte_off sock[0:0:2]
	r1 = r9
	r1 += 58
	r2 = 2
	call bpf_probe_read_kernel
	r1 = *(u16 *)(r9 + 58)
	w1 = bswap16 w1
	*(u16 *)(r9 + 58) = r1
	r3 = r7
	r3 += 48	; CO-RE byte_off sock[0:0:8]
	r1 = r9
	r1 += 96
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u16 *)(r9 + 40)
	if r1 == 0xa goto sock_v6
	if r1 != 0x2 goto sock_addr_done
	r3 = r7
	r3 += 4	; CO-RE byte_off sock[0:0:1]
	r1 = r9
	r1 += 64
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 0	; CO-RE byte_off sock[0:0:0]
	r1 = r9
	r1 += 80
	r2 = 4
	call bpf_probe_read_kernel
	goto sock_addr_done
sock_v6:
	r3 = r7
	r3 += 31	; CO-RE byte_off sock[0:0:7]
	r1 = r9
	r1 += 64
	r2 = 16
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 15	; CO-RE byte_off sock[0:0:6]
	r1 = r9
	r1 += 80
	r2 = 16
	call bpf_probe_read_kernel
sock_addr_done:
	r0 = 0
	; - matchArgs:
sel0:
	r1 = *(u16 *)(r9 + 40)
	if r1 == 0x2 goto addr_v4
	if r1 != 0xa goto addr_done
	r1 = *(u64 *)(r9 + 80)
	if r1 != 0x0 goto addr_v6
	r1 = *(u32 *)(r9 + 88)
	if w1 != -0x10000 goto addr_v6
	r4 = *(u32 *)(r9 + 92)
	goto addr_v4_have
addr_v4:
	r4 = *(u32 *)(r9 + 80)
addr_v4_have:
	*(u32 *)(r10 - 116) = r4
	*(u32 *)(r10 - 120) = 32
	r1 = map[m_pfx4_0]
	r2 = r10
	r2 += -120
	call bpf_map_lookup_elem
	if r0 != 0x0 goto sel1
	goto addr_done
addr_v6:
	r1 = *(u64 *)(r9 + 80)
	r2 = 0xffffffffffffffff ll
	r1 &= r2
	r2 = 0x0 ll
	if r1 != r2 goto pfx6_next
	r1 = *(u64 *)(r9 + 88)
	r2 = 0xffffffffffffffff ll
	r1 &= r2
	r2 = 0x100000000000000 ll
	if r1 != r2 goto pfx6_next
	goto sel1
pfx6_next:
	r0 = 0
	r1 = *(u64 *)(r9 + 80)
	r2 = 0xfe ll
	r1 &= r2
	r2 = 0xfc ll
	if r1 != r2 goto pfx6_next.1
	goto sel1
pfx6_next.1:
	r0 = 0
addr_done:
	r0 = 0
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	goto post
	; - index: 0
sel1:
	r1 = *(u16 *)(r9 + 40)
	if r1 == 0x2 goto addr_v4.1
	if r1 != 0xa goto addr_done.1
	r1 = *(u64 *)(r9 + 80)
	if r1 != 0x0 goto addr_v6.1
	r1 = *(u32 *)(r9 + 88)
	if w1 != -0x10000 goto addr_v6.1
	r4 = *(u32 *)(r9 + 92)
	goto addr_v4.1_have
addr_v4.1:
	r4 = *(u32 *)(r9 + 80)
addr_v4.1_have:
	*(u32 *)(r10 - 116) = r4
	r1 = r4
	w1 &= -1
	if w1 != 0x4030201 goto pfx_next
	goto pass
pfx_next:
	r0 = 0
	goto addr_done.1
addr_v6.1:
	*(u32 *)(r10 - 120) = 128
	r1 = *(u32 *)(r9 + 80)
	*(u32 *)(r10 - 116) = r1
	r1 = *(u32 *)(r9 + 84)
	*(u32 *)(r10 - 112) = r1
	r1 = *(u32 *)(r9 + 88)
	*(u32 *)(r10 - 108) = r1
	r1 = *(u32 *)(r9 + 92)
	*(u32 *)(r10 - 104) = r1
	r1 = map[m_pfx6_0]
	r2 = r10
	r2 += -120
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass
addr_done.1:
	r0 = 0
	goto exit
pass:
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
	r3 = 104
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
