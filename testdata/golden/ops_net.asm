bundle ops-net
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=464 max=1
map polc_counters PerCPUArray key=4 value=24 max=1

program h0_tcp_connect section kprobe/tcp_connect (318 instructions)
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
	r1 = *(u64 *)(r9 + 64)
	if r1 != 0x0 goto addr_v6
	r1 = *(u32 *)(r9 + 72)
	if w1 != -0x10000 goto addr_v6
	r4 = *(u32 *)(r9 + 76)
	goto addr_v4_have
addr_v4:
	r4 = *(u32 *)(r9 + 64)
addr_v4_have:
	*(u32 *)(r10 - 116) = r4
	r1 = r4
	w1 &= 255
	if w1 != 0xa goto pfx_next
	goto pass
pfx_next:
	r0 = 0
	r1 = r4
	w1 &= -1
	if w1 != 0x100007f goto pfx_next.1
	goto pass
pfx_next.1:
	r0 = 0
	goto addr_done
addr_v6:
	r1 = *(u64 *)(r9 + 64)
	r2 = 0xff ll
	r1 &= r2
	r2 = 0xfd ll
	if r1 != r2 goto pfx6_next
	goto pass
pfx6_next:
	r0 = 0
addr_done:
	r0 = 0
	goto sel1
	; - index: 0
pass:
	r1 = *(u16 *)(r9 + 40)
	if r1 == 0x2 goto addr_v4.1
	if r1 != 0xa goto addr_v6.1
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
	w1 &= 65535
	if w1 != 0xa8c0 goto pfx_next.2
	goto sel1
pfx_next.2:
	r0 = 0
addr_v6.1:
	r0 = 0
	r4 = *(u16 *)(r9 + 56)
	if r4 < 0x16 goto range_next
	if r4 <= 0x16 goto sel1
range_next:
	r0 = 0
	r4 = *(u16 *)(r9 + 58)
	if r4 < 0x1bb goto range_next.1
	if r4 <= 0x1bb goto pass.1
range_next.1:
	r0 = 0
	if r4 < 0x1f40 goto range_next.2
	if r4 <= 0x1f90 goto pass.1
range_next.2:
	r0 = 0
	goto sel1
pass.1:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 0
sel1:
	r1 = *(u16 *)(r9 + 40)
	if r1 == 0x2 goto addr_v4.2
	if r1 != 0xa goto addr_v6.2
	r1 = *(u64 *)(r9 + 64)
	if r1 != 0x0 goto addr_v6.2
	r1 = *(u32 *)(r9 + 72)
	if w1 != -0x10000 goto addr_v6.2
	r4 = *(u32 *)(r9 + 76)
	goto addr_v4.2_have
addr_v4.2:
	r4 = *(u32 *)(r9 + 64)
addr_v4.2_have:
	*(u32 *)(r10 - 116) = r4
	r1 = r4
	w1 &= 65535
	if w1 != 0xfea9 goto pfx_next.3
	goto sel2
pfx_next.3:
	r0 = 0
addr_v6.2:
	r0 = 0
	r1 = *(u16 *)(r9 + 40)
	if r1 == 0x2 goto addr_v4.3
	if r1 != 0xa goto addr_done.3
	r1 = *(u64 *)(r9 + 80)
	if r1 != 0x0 goto addr_v6.3
	r1 = *(u32 *)(r9 + 88)
	if w1 != -0x10000 goto addr_v6.3
	r4 = *(u32 *)(r9 + 92)
	goto addr_v4.3_have
addr_v4.3:
	r4 = *(u32 *)(r9 + 80)
addr_v4.3_have:
	*(u32 *)(r10 - 116) = r4
	goto addr_done.3
addr_v6.3:
	r1 = *(u64 *)(r9 + 80)
	r2 = 0xffffffffffffffff ll
	r1 &= r2
	r2 = 0x0 ll
	if r1 != r2 goto pfx6_next.1
	r1 = *(u64 *)(r9 + 88)
	r2 = 0xffffffffffffffff ll
	r1 &= r2
	r2 = 0x100000000000000 ll
	if r1 != r2 goto pfx6_next.1
	goto pass.2
pfx6_next.1:
	r0 = 0
addr_done.3:
	r0 = 0
	goto sel2
pass.2:
	r4 = *(u16 *)(r9 + 56)
	if r4 < 0x400 goto range_next.3
	if r4 <= 0xffff goto pass.3
range_next.3:
	r0 = 0
	goto sel2
pass.3:
	r4 = *(u16 *)(r9 + 58)
	if r4 < 0x35 goto range_next.4
	if r4 <= 0x35 goto sel2
range_next.4:
	r0 = 0
	*(u8 *)(r9 + 22) = 2
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 0
sel2:
	r4 = *(u16 *)(r9 + 56)
	if r4 >= 0x400 goto sel3
	r4 = *(u16 *)(r9 + 58)
	if r4 < 0x400 goto sel3
	r4 = *(u16 *)(r9 + 44)
	if r4 < 0x6 goto range_next.5
	if r4 <= 0x6 goto pass.4
range_next.5:
	r0 = 0
	if r4 < 0x11 goto range_next.6
	if r4 <= 0x11 goto pass.4
range_next.6:
	r0 = 0
	goto sel3
pass.4:
	r4 = *(u16 *)(r9 + 40)
	if r4 < 0xa goto range_next.7
	if r4 <= 0xa goto pass.5
range_next.7:
	r0 = 0
	goto sel3
pass.5:
	r4 = *(u8 *)(r9 + 46)
	if r4 < 0x1 goto range_next.8
	if r4 <= 0x1 goto pass.6
range_next.8:
	r0 = 0
	if r4 < 0x2 goto range_next.9
	if r4 <= 0x2 goto pass.6
range_next.9:
	r0 = 0
	goto sel3
pass.6:
	*(u8 *)(r9 + 22) = 3
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 0
sel3:
	r4 = *(u16 *)(r9 + 56)
	if r4 < 0x400 goto exit
	r4 = *(u16 *)(r9 + 58)
	if r4 >= 0x400 goto exit
	*(u8 *)(r9 + 22) = 4
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

program h1_ip_output section kprobe/ip_output (212 instructions)
	; - call: "ip_output"
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
	; - index: 2
	r7 = *(u64 *)(r6 + 96)
	*(u64 *)(r9 + 40) = 0
	*(u64 *)(r9 + 48) = 0
	*(u64 *)(r9 + 56) = 0
	*(u64 *)(r9 + 64) = 0
	*(u64 *)(r9 + 72) = 0
	*(u64 *)(r9 + 80) = 0
	*(u64 *)(r9 + 88) = 0
	r3 = r7
	r3 += 4	; CO-RE byte_off sk_buff[0:1]
	r1 = r9
	r1 += 40
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 0	; CO-RE byte_off sk_buff[0:0]
	r1 = r9
	r1 += 44
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 8	; CO-RE byte_off sk_buff[0:2]
	r1 = r9
	r1 += 48
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 12	; CO-RE byte_off sk_buff[0:3]
	r1 = r9
	r1 += 52
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 24	; CO-RE byte_off sk_buff[0:7]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r8 = *(u64 *)(r10 - 16)
	r3 = r7
	r3 += 18	; CO-RE byte_off sk_buff[0:5]
	r1 = r10
	r1 += -16
	r2 = 2
	call bpf_probe_read_kernel
	r1 = *(u16 *)(r10 - 16)
	*(u64 *)(r10 - 48) = r1
	r3 = r7
	r3 += 20	; CO-RE byte_off sk_buff[0:6]
	r1 = r10
	r1 += -16
	r2 = 2
	call bpf_probe_read_kernel
	r1 = *(u16 *)(r10 - 16)
	if r1 == 0xffff goto skb_done
	r2 = *(u64 *)(r10 - 48)
	*(u64 *)(r10 - 56) = r8
	r8 += r1
	r1 = r10
	r1 += -16
	r2 = 1
	r3 = r8
	call bpf_probe_read_kernel
	r1 = *(u8 *)(r10 - 16)
	r1 >>= 4
	if r1 == 0x6 goto skb_v6
	if r1 != 0x4 goto skb_done
	*(u16 *)(r9 + 56) = 2
	r3 = r8
	r3 += 9
	r1 = r9
	r1 += 58
	r2 = 1
	call bpf_probe_read_kernel
	r3 = r8
	r3 += 12
	r1 = r9
	r1 += 64
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r8
	r3 += 16
	r1 = r9
	r1 += 80
	r2 = 4
	call bpf_probe_read_kernel
	goto skb_ports
skb_v6:
	*(u16 *)(r9 + 56) = 10
	r3 = r8
	r3 += 6
	r1 = r9
	r1 += 58
	r2 = 1
	call bpf_probe_read_kernel
	r3 = r8
	r3 += 8
	r1 = r9
	r1 += 64
	r2 = 16
	call bpf_probe_read_kernel
	r3 = r8
	r3 += 24
	r1 = r9
	r1 += 80
	r2 = 16
	call bpf_probe_read_kernel
skb_ports:
	r1 = *(u8 *)(r9 + 58)
	if r1 == 0x6 goto skb_ports_read
	if r1 == 0x11 goto skb_ports_read
	if r1 == 0x84 goto skb_ports_read
	if r1 != 0x88 goto skb_done
skb_ports_read:
	r3 = r7
	r3 += 18	; CO-RE byte_off sk_buff[0:5]
	r1 = r10
	r1 += -16
	r2 = 2
	call bpf_probe_read_kernel
	r1 = *(u16 *)(r10 - 16)
	if r1 == 0xffff goto skb_done
	r8 = *(u64 *)(r10 - 56)
	r8 += r1
	r3 = r8
	r3 += 0
	r1 = r9
	r1 += 60
	r2 = 4
	call bpf_probe_read_kernel
	r1 = *(u16 *)(r9 + 60)
	w1 = bswap16 w1
	*(u16 *)(r9 + 60) = r1
	r1 = *(u16 *)(r9 + 62)
	w1 = bswap16 w1
	*(u16 *)(r9 + 62) = r1
skb_done:
	r0 = 0
	; - matchArgs:
sel0:
	r4 = *(u16 *)(r9 + 58)
	if r4 < 0x11 goto range_next
	if r4 <= 0x11 goto pass
range_next:
	r0 = 0
	goto exit
pass:
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
	r3 = 96
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

program h2_sys_connect section kprobe/__x64_sys_connect (155 instructions)
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
	r3 = r7
	r3 += 0
	r1 = r9
	r1 += 40
	r2 = 2
	call bpf_probe_read_user
	r1 = *(u16 *)(r9 + 40)
	if r1 == 0xa goto sa_v6
	if r1 != 0x2 goto sa_done
	r3 = r7
	r3 += 2
	r1 = r9
	r1 += 42
	r2 = 2
	call bpf_probe_read_user
	r3 = r7
	r3 += 4
	r1 = r9
	r1 += 48
	r2 = 4
	call bpf_probe_read_user
	r1 = *(u16 *)(r9 + 42)
	w1 = bswap16 w1
	*(u16 *)(r9 + 42) = r1
	goto sa_done
sa_v6:
	r3 = r7
	r3 += 2
	r1 = r9
	r1 += 42
	r2 = 2
	call bpf_probe_read_user
	r3 = r7
	r3 += 8
	r1 = r9
	r1 += 48
	r2 = 16
	call bpf_probe_read_user
	r1 = *(u16 *)(r9 + 42)
	w1 = bswap16 w1
	*(u16 *)(r9 + 42) = r1
sa_done:
	r0 = 0
	; - matchArgs:
sel0:
	r1 = *(u16 *)(r9 + 40)
	if r1 == 0x2 goto addr_v4
	if r1 != 0xa goto addr_v6
	r1 = *(u64 *)(r9 + 48)
	if r1 != 0x0 goto addr_v6
	r1 = *(u32 *)(r9 + 56)
	if w1 != -0x10000 goto addr_v6
	r4 = *(u32 *)(r9 + 60)
	goto addr_v4_have
addr_v4:
	r4 = *(u32 *)(r9 + 48)
addr_v4_have:
	*(u32 *)(r10 - 116) = r4
	r1 = r4
	w1 &= -1
	if w1 != 0x8080808 goto pfx_next
	goto pass
pfx_next:
	r0 = 0
addr_v6:
	r0 = 0
	goto exit
	; - index: 1
pass:
	r4 = *(u16 *)(r9 + 42)
	if r4 < 0x35 goto range_next
	if r4 <= 0x35 goto pass.1
range_next:
	r0 = 0
	goto exit
pass.1:
	r4 = *(u16 *)(r9 + 40)
	if r4 < 0x2 goto range_next.1
	if r4 <= 0x2 goto pass.2
range_next.1:
	r0 = 0
	goto exit
pass.2:
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
