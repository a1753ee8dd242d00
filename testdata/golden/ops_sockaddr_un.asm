bundle ops-sockaddr-un
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=600 max=1
map polc_counters PerCPUArray key=4 value=24 max=1

program h0_security_socket_connect section kprobe/security_socket_connect (295 instructions)
	; - call: "security_socket_connect"
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
	r3 += 8	; CO-RE byte_off socket[0:1]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
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
	; - index: 1
	r7 = *(u64 *)(r6 + 104)
	*(u64 *)(r9 + 104) = 0
	*(u64 *)(r9 + 112) = 0
	*(u64 *)(r9 + 120) = 0
	*(u64 *)(r9 + 128) = 0
	*(u64 *)(r9 + 136) = 0
	*(u64 *)(r9 + 144) = 0
	*(u64 *)(r9 + 152) = 0
	*(u64 *)(r9 + 160) = 0
	*(u64 *)(r9 + 168) = 0
	*(u64 *)(r9 + 176) = 0
	*(u64 *)(r9 + 184) = 0
	*(u64 *)(r9 + 192) = 0
	*(u64 *)(r9 + 200) = 0
	*(u64 *)(r9 + 208) = 0
	*(u64 *)(r9 + 216) = 0
	*(u64 *)(r9 + 224) = 0
	*(u64 *)(r9 + 232) = 0
	r3 = r7
	r3 += 0
	r1 = r9
	r1 += 104
	r2 = 2
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 2
	r1 = r9
	r1 += 106
	r2 = 1
	call bpf_probe_read_kernel
	r1 = *(u8 *)(r9 + 106)
	r7 += 2
	r2 = 0
	if r1 != 0x0 goto sun_fs
	r7 += 1
	r2 = 1
sun_fs:
	*(u8 *)(r9 + 106) = r2
	r3 = r7
	r1 = r9
	r1 += 128
	r2 = 108
	call bpf_probe_read_kernel_str
	if r0 s<= 0x0 goto str_fault
	r0 -= 1
	if r0 < 0x6b goto str_done
	r1 = 0x100000000 ll
	r0 |= r1
	goto str_done
str_fault:
	r0 = 0x200000000 ll
str_done:
	*(u64 *)(r9 + 112) = r0
	r0 <<= 32
	r0 >>= 32
	*(u64 *)(r9 + 120) = r0
	; - matchArgs:
sel0:
	r1 = *(u32 *)(r9 + 112)
	if r1 < 0x8 goto str_next
	r2 = r9
	r2 += 128
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6e6f676172746574 ll
	if r1 != r3 goto str_next
	goto pass
str_next:
	r0 = 0
	goto sel1
	; - index: 1
pass:
	r4 = *(u16 *)(r9 + 104)
	if r4 < 0x1 goto range_next
	if r4 <= 0x1 goto pass.1
range_next:
	r0 = 0
	goto sel1
pass.1:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 1
sel1:
	r1 = *(u32 *)(r9 + 112)
	if r1 != 0x13 goto str_next.1
	r2 = r9
	r2 += 128
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x2d67742f706d742f ll
	if r1 != r3 goto str_next.1
	r1 = *(u64 *)(r2 + 8)
	r3 = 0x732e736c61757165 ll
	if r1 != r3 goto str_next.1
	r1 = *(u16 *)(r2 + 16)
	if r1 != 0x636f goto str_next.1
	r1 = *(u8 *)(r2 + 18)
	if r1 != 0x6b goto str_next.1
	goto pass.2
str_next.1:
	r0 = 0
	goto sel2
pass.2:
	r1 = *(u32 *)(r9 + 112)
	if r1 < 0x4 goto str_next.2
	r2 = r9
	r2 += 128
	r1 = *(u32 *)(r2 + 0)
	if r1 != 0x7261762f goto str_next.2
	goto sel2
str_next.2:
	r0 = 0
	*(u8 *)(r9 + 22) = 2
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 1
sel2:
	r1 = *(u32 *)(r9 + 112)
	if r1 != 0xf goto str_next.3
	r2 = r9
	r2 += 128
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6e6f676172746574 ll
	if r1 != r3 goto str_next.3
	r1 = *(u32 *)(r2 + 8)
	if r1 != 0x7571652d goto str_next.3
	r1 = *(u16 *)(r2 + 12)
	if r1 != 0x6c61 goto str_next.3
	r1 = *(u8 *)(r2 + 14)
	if r1 != 0x73 goto str_next.3
	goto pass.3
str_next.3:
	r0 = 0
	goto exit
pass.3:
	r4 = *(u16 *)(r9 + 104)
	if r4 < 0x1 goto range_next.1
	if r4 <= 0x1 goto pass.4
range_next.1:
	r0 = 0
	goto exit
pass.4:
	*(u8 *)(r9 + 22) = 3
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
	r3 = 240
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

program h1_sys_connect section kprobe/__x64_sys_connect (149 instructions)
	; - call: "sys_connect"
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
	; - index: 1
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 104
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	*(u64 *)(r9 + 40) = 0
	*(u64 *)(r9 + 48) = 0
	*(u64 *)(r9 + 56) = 0
	*(u64 *)(r9 + 64) = 0
	*(u64 *)(r9 + 72) = 0
	*(u64 *)(r9 + 80) = 0
	*(u64 *)(r9 + 88) = 0
	*(u64 *)(r9 + 96) = 0
	*(u64 *)(r9 + 104) = 0
	*(u64 *)(r9 + 112) = 0
	*(u64 *)(r9 + 120) = 0
	*(u64 *)(r9 + 128) = 0
	*(u64 *)(r9 + 136) = 0
	*(u64 *)(r9 + 144) = 0
	*(u64 *)(r9 + 152) = 0
	*(u64 *)(r9 + 160) = 0
	*(u64 *)(r9 + 168) = 0
	r3 = r7
	r3 += 0
	r1 = r9
	r1 += 40
	r2 = 2
	call bpf_probe_read_user
	r3 = r7
	r3 += 2
	r1 = r9
	r1 += 42
	r2 = 1
	call bpf_probe_read_user
	r1 = *(u8 *)(r9 + 42)
	r7 += 2
	r2 = 0
	if r1 != 0x0 goto sun_fs
	r7 += 1
	r2 = 1
sun_fs:
	*(u8 *)(r9 + 42) = r2
	r3 = r7
	r1 = r9
	r1 += 64
	r2 = 108
	call bpf_probe_read_user_str
	if r0 s< 0x0 goto str_fault
	if r0 != 0x0 goto user_str_read
	r0 = 1
user_str_read:
	r0 -= 1
	if r0 < 0x6b goto str_done
	r1 = 0x100000000 ll
	r0 |= r1
	goto str_done
str_fault:
	r0 = 0x200000000 ll
str_done:
	*(u64 *)(r9 + 48) = r0
	r0 <<= 32
	r0 >>= 32
	*(u64 *)(r9 + 56) = r0
	; - matchArgs:
sel0:
	r1 = *(u32 *)(r9 + 48)
	if r1 != 0x10 goto str_next
	r2 = r9
	r2 += 64
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x636f642f6e75722f ll
	if r1 != r3 goto str_next
	r1 = *(u64 *)(r2 + 8)
	r3 = 0x6b636f732e72656b ll
	if r1 != r3 goto str_next
	goto exit
str_next:
	r0 = 0
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
	r3 = 176
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
