bundle ops-dns
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=776 max=1
map polc_counters PerCPUArray key=4 value=24 max=1

program h0_udp_sendmsg section kprobe/udp_sendmsg (349 instructions)
	; - call: "udp_sendmsg"
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
	*(u64 *)(r9 + 240) = 0
	*(u64 *)(r9 + 248) = 0
	*(u64 *)(r9 + 256) = 0
	*(u64 *)(r9 + 264) = 0
	*(u64 *)(r9 + 272) = 0
	*(u64 *)(r9 + 280) = 0
	*(u64 *)(r9 + 288) = 0
	*(u64 *)(r9 + 296) = 0
	*(u64 *)(r9 + 304) = 0
	*(u64 *)(r9 + 312) = 0
	*(u64 *)(r9 + 320) = 0
	*(u64 *)(r9 + 328) = 0
	*(u64 *)(r9 + 336) = 0
	*(u64 *)(r9 + 344) = 0
	*(u64 *)(r9 + 352) = 0
	*(u64 *)(r9 + 360) = 0
	*(u64 *)(r9 + 368) = 0
	*(u64 *)(r9 + 376) = 0
	*(u64 *)(r9 + 384) = 0
	*(u64 *)(r9 + 392) = 0
	*(u64 *)(r9 + 400) = 0
	*(u64 *)(r9 + 408) = 0
	r7 += 0	; CO-RE byte_off msghdr[0:0]
	r1 = 1	; CO-RE field_exists iov_iter[0:0]
	if r1 == 0x0 goto dns_typed
	r3 = r7
	r3 += 0	; CO-RE byte_off iov_iter[0:0]
	r1 = r10
	r1 += -16
	r2 = 1
	call bpf_probe_read_kernel
	r8 = *(u8 *)(r10 - 16)
	r1 = 0x0 ll	; CO-RE enumval_value iter_type[0]
	if r8 == r1 goto dns_ubuf
	r1 = 0x1 ll	; CO-RE enumval_value iter_type[1]
	if r8 == r1 goto dns_iovec
	goto dns_done
dns_typed:
	r3 = r7
	r3 += 0	; CO-RE byte_off iov_iter[0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r8 = *(u32 *)(r10 - 16)
	r8 &= -2
	r1 = 0x1 ll	; CO-RE enumval_value iter_type[1]
	if r8 == r1 goto dns_iovec
	goto dns_done
dns_ubuf:
	r3 = r7
	r3 += 24	; CO-RE byte_off iov_iter[0:3]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r8 = *(u64 *)(r10 - 16)
	r3 = r7
	r3 += 16	; CO-RE byte_off iov_iter[0:2]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	goto dns_have
dns_iovec:
	r1 = 1	; CO-RE field_exists iov_iter[0:1]
	if r1 == 0x0 goto dns_old_iov
	r3 = r7
	r3 += 8	; CO-RE byte_off iov_iter[0:1]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	goto dns_old_iov_have
dns_old_iov:
	r3 = r7
	r3 += 0	; CO-RE byte_off iov_iter[0:0]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
dns_old_iov_have:
	r1 = r10
	r1 += -16
	r2 = 16
	r3 = r7
	call bpf_probe_read_kernel
	if r0 != 0x0 goto dns_done
	r7 = *(u64 *)(r10 - 16)
	r8 = *(u64 *)(r10 - 8)
dns_have:
	if r7 == 0x0 goto dns_done
	if r8 == 0x0 goto dns_done
	if r8 <= 0x118 goto dns_have_len
	r8 = 280
dns_have_len:
	r1 = r9
	r1 += 136
	r2 = r8
	r3 = r7
	call bpf_probe_read_user
	if r0 != 0x0 goto dns_done
	r1 = r9
	r1 += 104
	r2 = r8
	call polc_dns_parse
dns_done:
	r0 = 0
	; - index: 0
sel0:
	r4 = *(u16 *)(r9 + 58)
	if r4 < 0x35 goto range_next
	if r4 <= 0x35 goto pass
range_next:
	r0 = 0
	goto sel1
	; - index: 1
pass:
	r1 = *(u32 *)(r9 + 120)
	if r1 < 0xc goto str_next
	r2 = r9
	if r1 > 0xff goto str_next
	r2 += r1
	r2 += 124
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x2e656c706d617865 ll
	if r1 != r3 goto str_next
	r1 = *(u32 *)(r2 + 8)
	if r1 != 0x74736574 goto str_next
	goto pass.1
str_next:
	r0 = 0
	goto sel1
pass.1:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 1
sel1:
	r1 = *(u32 *)(r9 + 120)
	if r1 != 0xb goto str_next.1
	r2 = r9
	r2 += 136
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x2e656c706d617865 ll
	if r1 != r3 goto str_next.1
	r1 = *(u16 *)(r2 + 8)
	if r1 != 0x6f63 goto str_next.1
	r1 = *(u8 *)(r2 + 10)
	if r1 != 0x6d goto str_next.1
	goto pass.2
str_next.1:
	r0 = 0
	goto sel2
pass.2:
	r1 = *(u32 *)(r9 + 120)
	if r1 < 0x9 goto str_next.2
	r2 = r9
	r2 += 136
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6c616e7265746e69 ll
	if r1 != r3 goto str_next.2
	r1 = *(u8 *)(r2 + 8)
	if r1 != 0x2e goto str_next.2
	goto sel2
str_next.2:
	r0 = 0
	*(u8 *)(r9 + 22) = 2
	*(u8 *)(r9 + 23) = 1
	; - matchArgs:
	goto post
	; - index: 1
sel2:
	*(u64 *)(r10 - 72) = r9
	*(u64 *)(r10 - 80) = 0
	r1 = 255
	r2 = &func[h0_walk1_substring]
	r3 = r10
	r3 += -72
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 80)
	if r1 == 0x0 goto exit
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
	r3 = 416
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

program h1_udpv6_sendmsg section kprobe/udpv6_sendmsg (310 instructions)
	; - call: "udpv6_sendmsg"
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
	*(u64 *)(r9 + 240) = 0
	*(u64 *)(r9 + 248) = 0
	*(u64 *)(r9 + 256) = 0
	*(u64 *)(r9 + 264) = 0
	*(u64 *)(r9 + 272) = 0
	*(u64 *)(r9 + 280) = 0
	*(u64 *)(r9 + 288) = 0
	*(u64 *)(r9 + 296) = 0
	*(u64 *)(r9 + 304) = 0
	*(u64 *)(r9 + 312) = 0
	*(u64 *)(r9 + 320) = 0
	*(u64 *)(r9 + 328) = 0
	*(u64 *)(r9 + 336) = 0
	*(u64 *)(r9 + 344) = 0
	*(u64 *)(r9 + 352) = 0
	*(u64 *)(r9 + 360) = 0
	*(u64 *)(r9 + 368) = 0
	*(u64 *)(r9 + 376) = 0
	*(u64 *)(r9 + 384) = 0
	*(u64 *)(r9 + 392) = 0
	*(u64 *)(r9 + 400) = 0
	*(u64 *)(r9 + 408) = 0
	r7 += 0	; CO-RE byte_off msghdr[0:0]
	r1 = 1	; CO-RE field_exists iov_iter[0:0]
	if r1 == 0x0 goto dns_typed
	r3 = r7
	r3 += 0	; CO-RE byte_off iov_iter[0:0]
	r1 = r10
	r1 += -16
	r2 = 1
	call bpf_probe_read_kernel
	r8 = *(u8 *)(r10 - 16)
	r1 = 0x0 ll	; CO-RE enumval_value iter_type[0]
	if r8 == r1 goto dns_ubuf
	r1 = 0x1 ll	; CO-RE enumval_value iter_type[1]
	if r8 == r1 goto dns_iovec
	goto dns_done
dns_typed:
	r3 = r7
	r3 += 0	; CO-RE byte_off iov_iter[0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r8 = *(u32 *)(r10 - 16)
	r8 &= -2
	r1 = 0x1 ll	; CO-RE enumval_value iter_type[1]
	if r8 == r1 goto dns_iovec
	goto dns_done
dns_ubuf:
	r3 = r7
	r3 += 24	; CO-RE byte_off iov_iter[0:3]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r8 = *(u64 *)(r10 - 16)
	r3 = r7
	r3 += 16	; CO-RE byte_off iov_iter[0:2]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	goto dns_have
dns_iovec:
	r1 = 1	; CO-RE field_exists iov_iter[0:1]
	if r1 == 0x0 goto dns_old_iov
	r3 = r7
	r3 += 8	; CO-RE byte_off iov_iter[0:1]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	goto dns_old_iov_have
dns_old_iov:
	r3 = r7
	r3 += 0	; CO-RE byte_off iov_iter[0:0]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
dns_old_iov_have:
	r1 = r10
	r1 += -16
	r2 = 16
	r3 = r7
	call bpf_probe_read_kernel
	if r0 != 0x0 goto dns_done
	r7 = *(u64 *)(r10 - 16)
	r8 = *(u64 *)(r10 - 8)
dns_have:
	if r7 == 0x0 goto dns_done
	if r8 == 0x0 goto dns_done
	if r8 <= 0x118 goto dns_have_len
	r8 = 280
dns_have_len:
	r1 = r9
	r1 += 136
	r2 = r8
	r3 = r7
	call bpf_probe_read_user
	if r0 != 0x0 goto dns_done
	r1 = r9
	r1 += 104
	r2 = r8
	call polc_dns_parse
dns_done:
	r0 = 0
	; - index: 0
sel0:
	r4 = *(u16 *)(r9 + 58)
	if r4 < 0x35 goto range_next
	if r4 <= 0x35 goto pass
range_next:
	r0 = 0
	goto exit
	; - index: 1
pass:
	r1 = *(u32 *)(r9 + 120)
	if r1 < 0xb goto str_next
	r2 = r9
	if r1 > 0xff goto str_next
	r2 += r1
	r2 += 125
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x2e656c706d617865 ll
	if r1 != r3 goto str_next
	r1 = *(u16 *)(r2 + 8)
	if r1 != 0x6f63 goto str_next
	r1 = *(u8 *)(r2 + 10)
	if r1 != 0x6d goto str_next
	goto pass.1
str_next:
	r0 = 0
	goto exit
pass.1:
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
	r3 = 416
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

func polc_dns_parse (4149 instructions)
	r6 = r1
	r7 = r2
	if r7 < 0xc goto done
	r1 = *(u16 *)(r6 + 32)
	w1 = bswap16 w1
	*(u16 *)(r6 + 0) = r1
	r1 = *(u16 *)(r6 + 34)
	w1 = bswap16 w1
	*(u16 *)(r6 + 2) = r1
	r5 = r1
	r5 >>= 15
	*(u8 *)(r6 + 8) = r5
	r1 >>= 11
	r1 &= 15
	if r1 != 0x0 goto done
	r1 = *(u16 *)(r6 + 36)
	w1 = bswap16 w1
	if r1 == 0x0 goto done
	if r7 <= 0xc goto done
	r3 = *(u8 *)(r6 + 44)
	if r3 == 0x0 goto empty
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	r2 = r3
step0:
	if r7 <= 0xd goto done
	r3 = *(u8 *)(r6 + 45)
	if r2 == 0x0 goto len0
	r2 -= 1
	if r3 < 0x41 goto store0
	if r3 > 0x5a goto store0
	r3 += 32
store0:
	*(u8 *)(r6 + 32) = r3
	goto step1
len0:
	if r3 != 0x0 goto len0_label
	r4 = 0
	goto named
len0_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 32) = 46
	r2 = r3
step1:
	if r7 <= 0xe goto done
	r3 = *(u8 *)(r6 + 46)
	if r2 == 0x0 goto len1
	r2 -= 1
	if r3 < 0x41 goto store1
	if r3 > 0x5a goto store1
	r3 += 32
store1:
	*(u8 *)(r6 + 33) = r3
	goto step2
len1:
	if r3 != 0x0 goto len1_label
	r4 = 1
	goto named
len1_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 33) = 46
	r2 = r3
step2:
	if r7 <= 0xf goto done
	r3 = *(u8 *)(r6 + 47)
	if r2 == 0x0 goto len2
	r2 -= 1
	if r3 < 0x41 goto store2
	if r3 > 0x5a goto store2
	r3 += 32
store2:
	*(u8 *)(r6 + 34) = r3
	goto step3
len2:
	if r3 != 0x0 goto len2_label
	r4 = 2
	goto named
len2_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 34) = 46
	r2 = r3
step3:
	if r7 <= 0x10 goto done
	r3 = *(u8 *)(r6 + 48)
	if r2 == 0x0 goto len3
	r2 -= 1
	if r3 < 0x41 goto store3
	if r3 > 0x5a goto store3
	r3 += 32
store3:
	*(u8 *)(r6 + 35) = r3
	goto step4
len3:
	if r3 != 0x0 goto len3_label
	r4 = 3
	goto named
len3_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 35) = 46
	r2 = r3
step4:
	if r7 <= 0x11 goto done
	r3 = *(u8 *)(r6 + 49)
	if r2 == 0x0 goto len4
	r2 -= 1
	if r3 < 0x41 goto store4
	if r3 > 0x5a goto store4
	r3 += 32
store4:
	*(u8 *)(r6 + 36) = r3
	goto step5
len4:
	if r3 != 0x0 goto len4_label
	r4 = 4
	goto named
len4_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 36) = 46
	r2 = r3
step5:
	if r7 <= 0x12 goto done
	r3 = *(u8 *)(r6 + 50)
	if r2 == 0x0 goto len5
	r2 -= 1
	if r3 < 0x41 goto store5
	if r3 > 0x5a goto store5
	r3 += 32
store5:
	*(u8 *)(r6 + 37) = r3
	goto step6
len5:
	if r3 != 0x0 goto len5_label
	r4 = 5
	goto named
len5_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 37) = 46
	r2 = r3
step6:
	if r7 <= 0x13 goto done
	r3 = *(u8 *)(r6 + 51)
	if r2 == 0x0 goto len6
	r2 -= 1
	if r3 < 0x41 goto store6
	if r3 > 0x5a goto store6
	r3 += 32
store6:
	*(u8 *)(r6 + 38) = r3
	goto step7
len6:
	if r3 != 0x0 goto len6_label
	r4 = 6
	goto named
len6_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 38) = 46
	r2 = r3
step7:
	if r7 <= 0x14 goto done
	r3 = *(u8 *)(r6 + 52)
	if r2 == 0x0 goto len7
	r2 -= 1
	if r3 < 0x41 goto store7
	if r3 > 0x5a goto store7
	r3 += 32
store7:
	*(u8 *)(r6 + 39) = r3
	goto step8
len7:
	if r3 != 0x0 goto len7_label
	r4 = 7
	goto named
len7_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 39) = 46
	r2 = r3
step8:
	if r7 <= 0x15 goto done
	r3 = *(u8 *)(r6 + 53)
	if r2 == 0x0 goto len8
	r2 -= 1
	if r3 < 0x41 goto store8
	if r3 > 0x5a goto store8
	r3 += 32
store8:
	*(u8 *)(r6 + 40) = r3
	goto step9
len8:
	if r3 != 0x0 goto len8_label
	r4 = 8
	goto named
len8_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 40) = 46
	r2 = r3
step9:
	if r7 <= 0x16 goto done
	r3 = *(u8 *)(r6 + 54)
	if r2 == 0x0 goto len9
	r2 -= 1
	if r3 < 0x41 goto store9
	if r3 > 0x5a goto store9
	r3 += 32
store9:
	*(u8 *)(r6 + 41) = r3
	goto step10
len9:
	if r3 != 0x0 goto len9_label
	r4 = 9
	goto named
len9_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 41) = 46
	r2 = r3
step10:
	if r7 <= 0x17 goto done
	r3 = *(u8 *)(r6 + 55)
	if r2 == 0x0 goto len10
	r2 -= 1
	if r3 < 0x41 goto store10
	if r3 > 0x5a goto store10
	r3 += 32
store10:
	*(u8 *)(r6 + 42) = r3
	goto step11
len10:
	if r3 != 0x0 goto len10_label
	r4 = 10
	goto named
len10_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 42) = 46
	r2 = r3
step11:
	if r7 <= 0x18 goto done
	r3 = *(u8 *)(r6 + 56)
	if r2 == 0x0 goto len11
	r2 -= 1
	if r3 < 0x41 goto store11
	if r3 > 0x5a goto store11
	r3 += 32
store11:
	*(u8 *)(r6 + 43) = r3
	goto step12
len11:
	if r3 != 0x0 goto len11_label
	r4 = 11
	goto named
len11_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 43) = 46
	r2 = r3
step12:
	if r7 <= 0x19 goto done
	r3 = *(u8 *)(r6 + 57)
	if r2 == 0x0 goto len12
	r2 -= 1
	if r3 < 0x41 goto store12
	if r3 > 0x5a goto store12
	r3 += 32
store12:
	*(u8 *)(r6 + 44) = r3
	goto step13
len12:
	if r3 != 0x0 goto len12_label
	r4 = 12
	goto named
len12_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 44) = 46
	r2 = r3
step13:
	if r7 <= 0x1a goto done
	r3 = *(u8 *)(r6 + 58)
	if r2 == 0x0 goto len13
	r2 -= 1
	if r3 < 0x41 goto store13
	if r3 > 0x5a goto store13
	r3 += 32
store13:
	*(u8 *)(r6 + 45) = r3
	goto step14
len13:
	if r3 != 0x0 goto len13_label
	r4 = 13
	goto named
len13_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 45) = 46
	r2 = r3
step14:
	if r7 <= 0x1b goto done
	r3 = *(u8 *)(r6 + 59)
	if r2 == 0x0 goto len14
	r2 -= 1
	if r3 < 0x41 goto store14
	if r3 > 0x5a goto store14
	r3 += 32
store14:
	*(u8 *)(r6 + 46) = r3
	goto step15
len14:
	if r3 != 0x0 goto len14_label
	r4 = 14
	goto named
len14_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 46) = 46
	r2 = r3
step15:
	if r7 <= 0x1c goto done
	r3 = *(u8 *)(r6 + 60)
	if r2 == 0x0 goto len15
	r2 -= 1
	if r3 < 0x41 goto store15
	if r3 > 0x5a goto store15
	r3 += 32
store15:
	*(u8 *)(r6 + 47) = r3
	goto step16
len15:
	if r3 != 0x0 goto len15_label
	r4 = 15
	goto named
len15_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 47) = 46
	r2 = r3
step16:
	if r7 <= 0x1d goto done
	r3 = *(u8 *)(r6 + 61)
	if r2 == 0x0 goto len16
	r2 -= 1
	if r3 < 0x41 goto store16
	if r3 > 0x5a goto store16
	r3 += 32
store16:
	*(u8 *)(r6 + 48) = r3
	goto step17
len16:
	if r3 != 0x0 goto len16_label
	r4 = 16
	goto named
len16_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 48) = 46
	r2 = r3
step17:
	if r7 <= 0x1e goto done
	r3 = *(u8 *)(r6 + 62)
	if r2 == 0x0 goto len17
	r2 -= 1
	if r3 < 0x41 goto store17
	if r3 > 0x5a goto store17
	r3 += 32
store17:
	*(u8 *)(r6 + 49) = r3
	goto step18
len17:
	if r3 != 0x0 goto len17_label
	r4 = 17
	goto named
len17_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 49) = 46
	r2 = r3
step18:
	if r7 <= 0x1f goto done
	r3 = *(u8 *)(r6 + 63)
	if r2 == 0x0 goto len18
	r2 -= 1
	if r3 < 0x41 goto store18
	if r3 > 0x5a goto store18
	r3 += 32
store18:
	*(u8 *)(r6 + 50) = r3
	goto step19
len18:
	if r3 != 0x0 goto len18_label
	r4 = 18
	goto named
len18_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 50) = 46
	r2 = r3
step19:
	if r7 <= 0x20 goto done
	r3 = *(u8 *)(r6 + 64)
	if r2 == 0x0 goto len19
	r2 -= 1
	if r3 < 0x41 goto store19
	if r3 > 0x5a goto store19
	r3 += 32
store19:
	*(u8 *)(r6 + 51) = r3
	goto step20
len19:
	if r3 != 0x0 goto len19_label
	r4 = 19
	goto named
len19_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 51) = 46
	r2 = r3
step20:
	if r7 <= 0x21 goto done
	r3 = *(u8 *)(r6 + 65)
	if r2 == 0x0 goto len20
	r2 -= 1
	if r3 < 0x41 goto store20
	if r3 > 0x5a goto store20
	r3 += 32
store20:
	*(u8 *)(r6 + 52) = r3
	goto step21
len20:
	if r3 != 0x0 goto len20_label
	r4 = 20
	goto named
len20_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 52) = 46
	r2 = r3
step21:
	if r7 <= 0x22 goto done
	r3 = *(u8 *)(r6 + 66)
	if r2 == 0x0 goto len21
	r2 -= 1
	if r3 < 0x41 goto store21
	if r3 > 0x5a goto store21
	r3 += 32
store21:
	*(u8 *)(r6 + 53) = r3
	goto step22
len21:
	if r3 != 0x0 goto len21_label
	r4 = 21
	goto named
len21_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 53) = 46
	r2 = r3
step22:
	if r7 <= 0x23 goto done
	r3 = *(u8 *)(r6 + 67)
	if r2 == 0x0 goto len22
	r2 -= 1
	if r3 < 0x41 goto store22
	if r3 > 0x5a goto store22
	r3 += 32
store22:
	*(u8 *)(r6 + 54) = r3
	goto step23
len22:
	if r3 != 0x0 goto len22_label
	r4 = 22
	goto named
len22_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 54) = 46
	r2 = r3
step23:
	if r7 <= 0x24 goto done
	r3 = *(u8 *)(r6 + 68)
	if r2 == 0x0 goto len23
	r2 -= 1
	if r3 < 0x41 goto store23
	if r3 > 0x5a goto store23
	r3 += 32
store23:
	*(u8 *)(r6 + 55) = r3
	goto step24
len23:
	if r3 != 0x0 goto len23_label
	r4 = 23
	goto named
len23_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 55) = 46
	r2 = r3
step24:
	if r7 <= 0x25 goto done
	r3 = *(u8 *)(r6 + 69)
	if r2 == 0x0 goto len24
	r2 -= 1
	if r3 < 0x41 goto store24
	if r3 > 0x5a goto store24
	r3 += 32
store24:
	*(u8 *)(r6 + 56) = r3
	goto step25
len24:
	if r3 != 0x0 goto len24_label
	r4 = 24
	goto named
len24_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 56) = 46
	r2 = r3
step25:
	if r7 <= 0x26 goto done
	r3 = *(u8 *)(r6 + 70)
	if r2 == 0x0 goto len25
	r2 -= 1
	if r3 < 0x41 goto store25
	if r3 > 0x5a goto store25
	r3 += 32
store25:
	*(u8 *)(r6 + 57) = r3
	goto step26
len25:
	if r3 != 0x0 goto len25_label
	r4 = 25
	goto named
len25_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 57) = 46
	r2 = r3
step26:
	if r7 <= 0x27 goto done
	r3 = *(u8 *)(r6 + 71)
	if r2 == 0x0 goto len26
	r2 -= 1
	if r3 < 0x41 goto store26
	if r3 > 0x5a goto store26
	r3 += 32
store26:
	*(u8 *)(r6 + 58) = r3
	goto step27
len26:
	if r3 != 0x0 goto len26_label
	r4 = 26
	goto named
len26_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 58) = 46
	r2 = r3
step27:
	if r7 <= 0x28 goto done
	r3 = *(u8 *)(r6 + 72)
	if r2 == 0x0 goto len27
	r2 -= 1
	if r3 < 0x41 goto store27
	if r3 > 0x5a goto store27
	r3 += 32
store27:
	*(u8 *)(r6 + 59) = r3
	goto step28
len27:
	if r3 != 0x0 goto len27_label
	r4 = 27
	goto named
len27_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 59) = 46
	r2 = r3
step28:
	if r7 <= 0x29 goto done
	r3 = *(u8 *)(r6 + 73)
	if r2 == 0x0 goto len28
	r2 -= 1
	if r3 < 0x41 goto store28
	if r3 > 0x5a goto store28
	r3 += 32
store28:
	*(u8 *)(r6 + 60) = r3
	goto step29
len28:
	if r3 != 0x0 goto len28_label
	r4 = 28
	goto named
len28_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 60) = 46
	r2 = r3
step29:
	if r7 <= 0x2a goto done
	r3 = *(u8 *)(r6 + 74)
	if r2 == 0x0 goto len29
	r2 -= 1
	if r3 < 0x41 goto store29
	if r3 > 0x5a goto store29
	r3 += 32
store29:
	*(u8 *)(r6 + 61) = r3
	goto step30
len29:
	if r3 != 0x0 goto len29_label
	r4 = 29
	goto named
len29_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 61) = 46
	r2 = r3
step30:
	if r7 <= 0x2b goto done
	r3 = *(u8 *)(r6 + 75)
	if r2 == 0x0 goto len30
	r2 -= 1
	if r3 < 0x41 goto store30
	if r3 > 0x5a goto store30
	r3 += 32
store30:
	*(u8 *)(r6 + 62) = r3
	goto step31
len30:
	if r3 != 0x0 goto len30_label
	r4 = 30
	goto named
len30_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 62) = 46
	r2 = r3
step31:
	if r7 <= 0x2c goto done
	r3 = *(u8 *)(r6 + 76)
	if r2 == 0x0 goto len31
	r2 -= 1
	if r3 < 0x41 goto store31
	if r3 > 0x5a goto store31
	r3 += 32
store31:
	*(u8 *)(r6 + 63) = r3
	goto step32
len31:
	if r3 != 0x0 goto len31_label
	r4 = 31
	goto named
len31_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 63) = 46
	r2 = r3
step32:
	if r7 <= 0x2d goto done
	r3 = *(u8 *)(r6 + 77)
	if r2 == 0x0 goto len32
	r2 -= 1
	if r3 < 0x41 goto store32
	if r3 > 0x5a goto store32
	r3 += 32
store32:
	*(u8 *)(r6 + 64) = r3
	goto step33
len32:
	if r3 != 0x0 goto len32_label
	r4 = 32
	goto named
len32_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 64) = 46
	r2 = r3
step33:
	if r7 <= 0x2e goto done
	r3 = *(u8 *)(r6 + 78)
	if r2 == 0x0 goto len33
	r2 -= 1
	if r3 < 0x41 goto store33
	if r3 > 0x5a goto store33
	r3 += 32
store33:
	*(u8 *)(r6 + 65) = r3
	goto step34
len33:
	if r3 != 0x0 goto len33_label
	r4 = 33
	goto named
len33_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 65) = 46
	r2 = r3
step34:
	if r7 <= 0x2f goto done
	r3 = *(u8 *)(r6 + 79)
	if r2 == 0x0 goto len34
	r2 -= 1
	if r3 < 0x41 goto store34
	if r3 > 0x5a goto store34
	r3 += 32
store34:
	*(u8 *)(r6 + 66) = r3
	goto step35
len34:
	if r3 != 0x0 goto len34_label
	r4 = 34
	goto named
len34_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 66) = 46
	r2 = r3
step35:
	if r7 <= 0x30 goto done
	r3 = *(u8 *)(r6 + 80)
	if r2 == 0x0 goto len35
	r2 -= 1
	if r3 < 0x41 goto store35
	if r3 > 0x5a goto store35
	r3 += 32
store35:
	*(u8 *)(r6 + 67) = r3
	goto step36
len35:
	if r3 != 0x0 goto len35_label
	r4 = 35
	goto named
len35_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 67) = 46
	r2 = r3
step36:
	if r7 <= 0x31 goto done
	r3 = *(u8 *)(r6 + 81)
	if r2 == 0x0 goto len36
	r2 -= 1
	if r3 < 0x41 goto store36
	if r3 > 0x5a goto store36
	r3 += 32
store36:
	*(u8 *)(r6 + 68) = r3
	goto step37
len36:
	if r3 != 0x0 goto len36_label
	r4 = 36
	goto named
len36_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 68) = 46
	r2 = r3
step37:
	if r7 <= 0x32 goto done
	r3 = *(u8 *)(r6 + 82)
	if r2 == 0x0 goto len37
	r2 -= 1
	if r3 < 0x41 goto store37
	if r3 > 0x5a goto store37
	r3 += 32
store37:
	*(u8 *)(r6 + 69) = r3
	goto step38
len37:
	if r3 != 0x0 goto len37_label
	r4 = 37
	goto named
len37_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 69) = 46
	r2 = r3
step38:
	if r7 <= 0x33 goto done
	r3 = *(u8 *)(r6 + 83)
	if r2 == 0x0 goto len38
	r2 -= 1
	if r3 < 0x41 goto store38
	if r3 > 0x5a goto store38
	r3 += 32
store38:
	*(u8 *)(r6 + 70) = r3
	goto step39
len38:
	if r3 != 0x0 goto len38_label
	r4 = 38
	goto named
len38_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 70) = 46
	r2 = r3
step39:
	if r7 <= 0x34 goto done
	r3 = *(u8 *)(r6 + 84)
	if r2 == 0x0 goto len39
	r2 -= 1
	if r3 < 0x41 goto store39
	if r3 > 0x5a goto store39
	r3 += 32
store39:
	*(u8 *)(r6 + 71) = r3
	goto step40
len39:
	if r3 != 0x0 goto len39_label
	r4 = 39
	goto named
len39_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 71) = 46
	r2 = r3
step40:
	if r7 <= 0x35 goto done
	r3 = *(u8 *)(r6 + 85)
	if r2 == 0x0 goto len40
	r2 -= 1
	if r3 < 0x41 goto store40
	if r3 > 0x5a goto store40
	r3 += 32
store40:
	*(u8 *)(r6 + 72) = r3
	goto step41
len40:
	if r3 != 0x0 goto len40_label
	r4 = 40
	goto named
len40_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 72) = 46
	r2 = r3
step41:
	if r7 <= 0x36 goto done
	r3 = *(u8 *)(r6 + 86)
	if r2 == 0x0 goto len41
	r2 -= 1
	if r3 < 0x41 goto store41
	if r3 > 0x5a goto store41
	r3 += 32
store41:
	*(u8 *)(r6 + 73) = r3
	goto step42
len41:
	if r3 != 0x0 goto len41_label
	r4 = 41
	goto named
len41_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 73) = 46
	r2 = r3
step42:
	if r7 <= 0x37 goto done
	r3 = *(u8 *)(r6 + 87)
	if r2 == 0x0 goto len42
	r2 -= 1
	if r3 < 0x41 goto store42
	if r3 > 0x5a goto store42
	r3 += 32
store42:
	*(u8 *)(r6 + 74) = r3
	goto step43
len42:
	if r3 != 0x0 goto len42_label
	r4 = 42
	goto named
len42_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 74) = 46
	r2 = r3
step43:
	if r7 <= 0x38 goto done
	r3 = *(u8 *)(r6 + 88)
	if r2 == 0x0 goto len43
	r2 -= 1
	if r3 < 0x41 goto store43
	if r3 > 0x5a goto store43
	r3 += 32
store43:
	*(u8 *)(r6 + 75) = r3
	goto step44
len43:
	if r3 != 0x0 goto len43_label
	r4 = 43
	goto named
len43_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 75) = 46
	r2 = r3
step44:
	if r7 <= 0x39 goto done
	r3 = *(u8 *)(r6 + 89)
	if r2 == 0x0 goto len44
	r2 -= 1
	if r3 < 0x41 goto store44
	if r3 > 0x5a goto store44
	r3 += 32
store44:
	*(u8 *)(r6 + 76) = r3
	goto step45
len44:
	if r3 != 0x0 goto len44_label
	r4 = 44
	goto named
len44_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 76) = 46
	r2 = r3
step45:
	if r7 <= 0x3a goto done
	r3 = *(u8 *)(r6 + 90)
	if r2 == 0x0 goto len45
	r2 -= 1
	if r3 < 0x41 goto store45
	if r3 > 0x5a goto store45
	r3 += 32
store45:
	*(u8 *)(r6 + 77) = r3
	goto step46
len45:
	if r3 != 0x0 goto len45_label
	r4 = 45
	goto named
len45_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 77) = 46
	r2 = r3
step46:
	if r7 <= 0x3b goto done
	r3 = *(u8 *)(r6 + 91)
	if r2 == 0x0 goto len46
	r2 -= 1
	if r3 < 0x41 goto store46
	if r3 > 0x5a goto store46
	r3 += 32
store46:
	*(u8 *)(r6 + 78) = r3
	goto step47
len46:
	if r3 != 0x0 goto len46_label
	r4 = 46
	goto named
len46_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 78) = 46
	r2 = r3
step47:
	if r7 <= 0x3c goto done
	r3 = *(u8 *)(r6 + 92)
	if r2 == 0x0 goto len47
	r2 -= 1
	if r3 < 0x41 goto store47
	if r3 > 0x5a goto store47
	r3 += 32
store47:
	*(u8 *)(r6 + 79) = r3
	goto step48
len47:
	if r3 != 0x0 goto len47_label
	r4 = 47
	goto named
len47_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 79) = 46
	r2 = r3
step48:
	if r7 <= 0x3d goto done
	r3 = *(u8 *)(r6 + 93)
	if r2 == 0x0 goto len48
	r2 -= 1
	if r3 < 0x41 goto store48
	if r3 > 0x5a goto store48
	r3 += 32
store48:
	*(u8 *)(r6 + 80) = r3
	goto step49
len48:
	if r3 != 0x0 goto len48_label
	r4 = 48
	goto named
len48_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 80) = 46
	r2 = r3
step49:
	if r7 <= 0x3e goto done
	r3 = *(u8 *)(r6 + 94)
	if r2 == 0x0 goto len49
	r2 -= 1
	if r3 < 0x41 goto store49
	if r3 > 0x5a goto store49
	r3 += 32
store49:
	*(u8 *)(r6 + 81) = r3
	goto step50
len49:
	if r3 != 0x0 goto len49_label
	r4 = 49
	goto named
len49_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 81) = 46
	r2 = r3
step50:
	if r7 <= 0x3f goto done
	r3 = *(u8 *)(r6 + 95)
	if r2 == 0x0 goto len50
	r2 -= 1
	if r3 < 0x41 goto store50
	if r3 > 0x5a goto store50
	r3 += 32
store50:
	*(u8 *)(r6 + 82) = r3
	goto step51
len50:
	if r3 != 0x0 goto len50_label
	r4 = 50
	goto named
len50_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 82) = 46
	r2 = r3
step51:
	if r7 <= 0x40 goto done
	r3 = *(u8 *)(r6 + 96)
	if r2 == 0x0 goto len51
	r2 -= 1
	if r3 < 0x41 goto store51
	if r3 > 0x5a goto store51
	r3 += 32
store51:
	*(u8 *)(r6 + 83) = r3
	goto step52
len51:
	if r3 != 0x0 goto len51_label
	r4 = 51
	goto named
len51_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 83) = 46
	r2 = r3
step52:
	if r7 <= 0x41 goto done
	r3 = *(u8 *)(r6 + 97)
	if r2 == 0x0 goto len52
	r2 -= 1
	if r3 < 0x41 goto store52
	if r3 > 0x5a goto store52
	r3 += 32
store52:
	*(u8 *)(r6 + 84) = r3
	goto step53
len52:
	if r3 != 0x0 goto len52_label
	r4 = 52
	goto named
len52_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 84) = 46
	r2 = r3
step53:
	if r7 <= 0x42 goto done
	r3 = *(u8 *)(r6 + 98)
	if r2 == 0x0 goto len53
	r2 -= 1
	if r3 < 0x41 goto store53
	if r3 > 0x5a goto store53
	r3 += 32
store53:
	*(u8 *)(r6 + 85) = r3
	goto step54
len53:
	if r3 != 0x0 goto len53_label
	r4 = 53
	goto named
len53_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 85) = 46
	r2 = r3
step54:
	if r7 <= 0x43 goto done
	r3 = *(u8 *)(r6 + 99)
	if r2 == 0x0 goto len54
	r2 -= 1
	if r3 < 0x41 goto store54
	if r3 > 0x5a goto store54
	r3 += 32
store54:
	*(u8 *)(r6 + 86) = r3
	goto step55
len54:
	if r3 != 0x0 goto len54_label
	r4 = 54
	goto named
len54_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 86) = 46
	r2 = r3
step55:
	if r7 <= 0x44 goto done
	r3 = *(u8 *)(r6 + 100)
	if r2 == 0x0 goto len55
	r2 -= 1
	if r3 < 0x41 goto store55
	if r3 > 0x5a goto store55
	r3 += 32
store55:
	*(u8 *)(r6 + 87) = r3
	goto step56
len55:
	if r3 != 0x0 goto len55_label
	r4 = 55
	goto named
len55_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 87) = 46
	r2 = r3
step56:
	if r7 <= 0x45 goto done
	r3 = *(u8 *)(r6 + 101)
	if r2 == 0x0 goto len56
	r2 -= 1
	if r3 < 0x41 goto store56
	if r3 > 0x5a goto store56
	r3 += 32
store56:
	*(u8 *)(r6 + 88) = r3
	goto step57
len56:
	if r3 != 0x0 goto len56_label
	r4 = 56
	goto named
len56_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 88) = 46
	r2 = r3
step57:
	if r7 <= 0x46 goto done
	r3 = *(u8 *)(r6 + 102)
	if r2 == 0x0 goto len57
	r2 -= 1
	if r3 < 0x41 goto store57
	if r3 > 0x5a goto store57
	r3 += 32
store57:
	*(u8 *)(r6 + 89) = r3
	goto step58
len57:
	if r3 != 0x0 goto len57_label
	r4 = 57
	goto named
len57_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 89) = 46
	r2 = r3
step58:
	if r7 <= 0x47 goto done
	r3 = *(u8 *)(r6 + 103)
	if r2 == 0x0 goto len58
	r2 -= 1
	if r3 < 0x41 goto store58
	if r3 > 0x5a goto store58
	r3 += 32
store58:
	*(u8 *)(r6 + 90) = r3
	goto step59
len58:
	if r3 != 0x0 goto len58_label
	r4 = 58
	goto named
len58_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 90) = 46
	r2 = r3
step59:
	if r7 <= 0x48 goto done
	r3 = *(u8 *)(r6 + 104)
	if r2 == 0x0 goto len59
	r2 -= 1
	if r3 < 0x41 goto store59
	if r3 > 0x5a goto store59
	r3 += 32
store59:
	*(u8 *)(r6 + 91) = r3
	goto step60
len59:
	if r3 != 0x0 goto len59_label
	r4 = 59
	goto named
len59_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 91) = 46
	r2 = r3
step60:
	if r7 <= 0x49 goto done
	r3 = *(u8 *)(r6 + 105)
	if r2 == 0x0 goto len60
	r2 -= 1
	if r3 < 0x41 goto store60
	if r3 > 0x5a goto store60
	r3 += 32
store60:
	*(u8 *)(r6 + 92) = r3
	goto step61
len60:
	if r3 != 0x0 goto len60_label
	r4 = 60
	goto named
len60_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 92) = 46
	r2 = r3
step61:
	if r7 <= 0x4a goto done
	r3 = *(u8 *)(r6 + 106)
	if r2 == 0x0 goto len61
	r2 -= 1
	if r3 < 0x41 goto store61
	if r3 > 0x5a goto store61
	r3 += 32
store61:
	*(u8 *)(r6 + 93) = r3
	goto step62
len61:
	if r3 != 0x0 goto len61_label
	r4 = 61
	goto named
len61_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 93) = 46
	r2 = r3
step62:
	if r7 <= 0x4b goto done
	r3 = *(u8 *)(r6 + 107)
	if r2 == 0x0 goto len62
	r2 -= 1
	if r3 < 0x41 goto store62
	if r3 > 0x5a goto store62
	r3 += 32
store62:
	*(u8 *)(r6 + 94) = r3
	goto step63
len62:
	if r3 != 0x0 goto len62_label
	r4 = 62
	goto named
len62_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 94) = 46
	r2 = r3
step63:
	if r7 <= 0x4c goto done
	r3 = *(u8 *)(r6 + 108)
	if r2 == 0x0 goto len63
	r2 -= 1
	if r3 < 0x41 goto store63
	if r3 > 0x5a goto store63
	r3 += 32
store63:
	*(u8 *)(r6 + 95) = r3
	goto step64
len63:
	if r3 != 0x0 goto len63_label
	r4 = 63
	goto named
len63_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 95) = 46
	r2 = r3
step64:
	if r7 <= 0x4d goto done
	r3 = *(u8 *)(r6 + 109)
	if r2 == 0x0 goto len64
	r2 -= 1
	if r3 < 0x41 goto store64
	if r3 > 0x5a goto store64
	r3 += 32
store64:
	*(u8 *)(r6 + 96) = r3
	goto step65
len64:
	if r3 != 0x0 goto len64_label
	r4 = 64
	goto named
len64_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 96) = 46
	r2 = r3
step65:
	if r7 <= 0x4e goto done
	r3 = *(u8 *)(r6 + 110)
	if r2 == 0x0 goto len65
	r2 -= 1
	if r3 < 0x41 goto store65
	if r3 > 0x5a goto store65
	r3 += 32
store65:
	*(u8 *)(r6 + 97) = r3
	goto step66
len65:
	if r3 != 0x0 goto len65_label
	r4 = 65
	goto named
len65_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 97) = 46
	r2 = r3
step66:
	if r7 <= 0x4f goto done
	r3 = *(u8 *)(r6 + 111)
	if r2 == 0x0 goto len66
	r2 -= 1
	if r3 < 0x41 goto store66
	if r3 > 0x5a goto store66
	r3 += 32
store66:
	*(u8 *)(r6 + 98) = r3
	goto step67
len66:
	if r3 != 0x0 goto len66_label
	r4 = 66
	goto named
len66_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 98) = 46
	r2 = r3
step67:
	if r7 <= 0x50 goto done
	r3 = *(u8 *)(r6 + 112)
	if r2 == 0x0 goto len67
	r2 -= 1
	if r3 < 0x41 goto store67
	if r3 > 0x5a goto store67
	r3 += 32
store67:
	*(u8 *)(r6 + 99) = r3
	goto step68
len67:
	if r3 != 0x0 goto len67_label
	r4 = 67
	goto named
len67_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 99) = 46
	r2 = r3
step68:
	if r7 <= 0x51 goto done
	r3 = *(u8 *)(r6 + 113)
	if r2 == 0x0 goto len68
	r2 -= 1
	if r3 < 0x41 goto store68
	if r3 > 0x5a goto store68
	r3 += 32
store68:
	*(u8 *)(r6 + 100) = r3
	goto step69
len68:
	if r3 != 0x0 goto len68_label
	r4 = 68
	goto named
len68_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 100) = 46
	r2 = r3
step69:
	if r7 <= 0x52 goto done
	r3 = *(u8 *)(r6 + 114)
	if r2 == 0x0 goto len69
	r2 -= 1
	if r3 < 0x41 goto store69
	if r3 > 0x5a goto store69
	r3 += 32
store69:
	*(u8 *)(r6 + 101) = r3
	goto step70
len69:
	if r3 != 0x0 goto len69_label
	r4 = 69
	goto named
len69_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 101) = 46
	r2 = r3
step70:
	if r7 <= 0x53 goto done
	r3 = *(u8 *)(r6 + 115)
	if r2 == 0x0 goto len70
	r2 -= 1
	if r3 < 0x41 goto store70
	if r3 > 0x5a goto store70
	r3 += 32
store70:
	*(u8 *)(r6 + 102) = r3
	goto step71
len70:
	if r3 != 0x0 goto len70_label
	r4 = 70
	goto named
len70_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 102) = 46
	r2 = r3
step71:
	if r7 <= 0x54 goto done
	r3 = *(u8 *)(r6 + 116)
	if r2 == 0x0 goto len71
	r2 -= 1
	if r3 < 0x41 goto store71
	if r3 > 0x5a goto store71
	r3 += 32
store71:
	*(u8 *)(r6 + 103) = r3
	goto step72
len71:
	if r3 != 0x0 goto len71_label
	r4 = 71
	goto named
len71_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 103) = 46
	r2 = r3
step72:
	if r7 <= 0x55 goto done
	r3 = *(u8 *)(r6 + 117)
	if r2 == 0x0 goto len72
	r2 -= 1
	if r3 < 0x41 goto store72
	if r3 > 0x5a goto store72
	r3 += 32
store72:
	*(u8 *)(r6 + 104) = r3
	goto step73
len72:
	if r3 != 0x0 goto len72_label
	r4 = 72
	goto named
len72_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 104) = 46
	r2 = r3
step73:
	if r7 <= 0x56 goto done
	r3 = *(u8 *)(r6 + 118)
	if r2 == 0x0 goto len73
	r2 -= 1
	if r3 < 0x41 goto store73
	if r3 > 0x5a goto store73
	r3 += 32
store73:
	*(u8 *)(r6 + 105) = r3
	goto step74
len73:
	if r3 != 0x0 goto len73_label
	r4 = 73
	goto named
len73_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 105) = 46
	r2 = r3
step74:
	if r7 <= 0x57 goto done
	r3 = *(u8 *)(r6 + 119)
	if r2 == 0x0 goto len74
	r2 -= 1
	if r3 < 0x41 goto store74
	if r3 > 0x5a goto store74
	r3 += 32
store74:
	*(u8 *)(r6 + 106) = r3
	goto step75
len74:
	if r3 != 0x0 goto len74_label
	r4 = 74
	goto named
len74_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 106) = 46
	r2 = r3
step75:
	if r7 <= 0x58 goto done
	r3 = *(u8 *)(r6 + 120)
	if r2 == 0x0 goto len75
	r2 -= 1
	if r3 < 0x41 goto store75
	if r3 > 0x5a goto store75
	r3 += 32
store75:
	*(u8 *)(r6 + 107) = r3
	goto step76
len75:
	if r3 != 0x0 goto len75_label
	r4 = 75
	goto named
len75_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 107) = 46
	r2 = r3
step76:
	if r7 <= 0x59 goto done
	r3 = *(u8 *)(r6 + 121)
	if r2 == 0x0 goto len76
	r2 -= 1
	if r3 < 0x41 goto store76
	if r3 > 0x5a goto store76
	r3 += 32
store76:
	*(u8 *)(r6 + 108) = r3
	goto step77
len76:
	if r3 != 0x0 goto len76_label
	r4 = 76
	goto named
len76_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 108) = 46
	r2 = r3
step77:
	if r7 <= 0x5a goto done
	r3 = *(u8 *)(r6 + 122)
	if r2 == 0x0 goto len77
	r2 -= 1
	if r3 < 0x41 goto store77
	if r3 > 0x5a goto store77
	r3 += 32
store77:
	*(u8 *)(r6 + 109) = r3
	goto step78
len77:
	if r3 != 0x0 goto len77_label
	r4 = 77
	goto named
len77_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 109) = 46
	r2 = r3
step78:
	if r7 <= 0x5b goto done
	r3 = *(u8 *)(r6 + 123)
	if r2 == 0x0 goto len78
	r2 -= 1
	if r3 < 0x41 goto store78
	if r3 > 0x5a goto store78
	r3 += 32
store78:
	*(u8 *)(r6 + 110) = r3
	goto step79
len78:
	if r3 != 0x0 goto len78_label
	r4 = 78
	goto named
len78_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 110) = 46
	r2 = r3
step79:
	if r7 <= 0x5c goto done
	r3 = *(u8 *)(r6 + 124)
	if r2 == 0x0 goto len79
	r2 -= 1
	if r3 < 0x41 goto store79
	if r3 > 0x5a goto store79
	r3 += 32
store79:
	*(u8 *)(r6 + 111) = r3
	goto step80
len79:
	if r3 != 0x0 goto len79_label
	r4 = 79
	goto named
len79_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 111) = 46
	r2 = r3
step80:
	if r7 <= 0x5d goto done
	r3 = *(u8 *)(r6 + 125)
	if r2 == 0x0 goto len80
	r2 -= 1
	if r3 < 0x41 goto store80
	if r3 > 0x5a goto store80
	r3 += 32
store80:
	*(u8 *)(r6 + 112) = r3
	goto step81
len80:
	if r3 != 0x0 goto len80_label
	r4 = 80
	goto named
len80_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 112) = 46
	r2 = r3
step81:
	if r7 <= 0x5e goto done
	r3 = *(u8 *)(r6 + 126)
	if r2 == 0x0 goto len81
	r2 -= 1
	if r3 < 0x41 goto store81
	if r3 > 0x5a goto store81
	r3 += 32
store81:
	*(u8 *)(r6 + 113) = r3
	goto step82
len81:
	if r3 != 0x0 goto len81_label
	r4 = 81
	goto named
len81_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 113) = 46
	r2 = r3
step82:
	if r7 <= 0x5f goto done
	r3 = *(u8 *)(r6 + 127)
	if r2 == 0x0 goto len82
	r2 -= 1
	if r3 < 0x41 goto store82
	if r3 > 0x5a goto store82
	r3 += 32
store82:
	*(u8 *)(r6 + 114) = r3
	goto step83
len82:
	if r3 != 0x0 goto len82_label
	r4 = 82
	goto named
len82_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 114) = 46
	r2 = r3
step83:
	if r7 <= 0x60 goto done
	r3 = *(u8 *)(r6 + 128)
	if r2 == 0x0 goto len83
	r2 -= 1
	if r3 < 0x41 goto store83
	if r3 > 0x5a goto store83
	r3 += 32
store83:
	*(u8 *)(r6 + 115) = r3
	goto step84
len83:
	if r3 != 0x0 goto len83_label
	r4 = 83
	goto named
len83_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 115) = 46
	r2 = r3
step84:
	if r7 <= 0x61 goto done
	r3 = *(u8 *)(r6 + 129)
	if r2 == 0x0 goto len84
	r2 -= 1
	if r3 < 0x41 goto store84
	if r3 > 0x5a goto store84
	r3 += 32
store84:
	*(u8 *)(r6 + 116) = r3
	goto step85
len84:
	if r3 != 0x0 goto len84_label
	r4 = 84
	goto named
len84_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 116) = 46
	r2 = r3
step85:
	if r7 <= 0x62 goto done
	r3 = *(u8 *)(r6 + 130)
	if r2 == 0x0 goto len85
	r2 -= 1
	if r3 < 0x41 goto store85
	if r3 > 0x5a goto store85
	r3 += 32
store85:
	*(u8 *)(r6 + 117) = r3
	goto step86
len85:
	if r3 != 0x0 goto len85_label
	r4 = 85
	goto named
len85_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 117) = 46
	r2 = r3
step86:
	if r7 <= 0x63 goto done
	r3 = *(u8 *)(r6 + 131)
	if r2 == 0x0 goto len86
	r2 -= 1
	if r3 < 0x41 goto store86
	if r3 > 0x5a goto store86
	r3 += 32
store86:
	*(u8 *)(r6 + 118) = r3
	goto step87
len86:
	if r3 != 0x0 goto len86_label
	r4 = 86
	goto named
len86_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 118) = 46
	r2 = r3
step87:
	if r7 <= 0x64 goto done
	r3 = *(u8 *)(r6 + 132)
	if r2 == 0x0 goto len87
	r2 -= 1
	if r3 < 0x41 goto store87
	if r3 > 0x5a goto store87
	r3 += 32
store87:
	*(u8 *)(r6 + 119) = r3
	goto step88
len87:
	if r3 != 0x0 goto len87_label
	r4 = 87
	goto named
len87_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 119) = 46
	r2 = r3
step88:
	if r7 <= 0x65 goto done
	r3 = *(u8 *)(r6 + 133)
	if r2 == 0x0 goto len88
	r2 -= 1
	if r3 < 0x41 goto store88
	if r3 > 0x5a goto store88
	r3 += 32
store88:
	*(u8 *)(r6 + 120) = r3
	goto step89
len88:
	if r3 != 0x0 goto len88_label
	r4 = 88
	goto named
len88_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 120) = 46
	r2 = r3
step89:
	if r7 <= 0x66 goto done
	r3 = *(u8 *)(r6 + 134)
	if r2 == 0x0 goto len89
	r2 -= 1
	if r3 < 0x41 goto store89
	if r3 > 0x5a goto store89
	r3 += 32
store89:
	*(u8 *)(r6 + 121) = r3
	goto step90
len89:
	if r3 != 0x0 goto len89_label
	r4 = 89
	goto named
len89_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 121) = 46
	r2 = r3
step90:
	if r7 <= 0x67 goto done
	r3 = *(u8 *)(r6 + 135)
	if r2 == 0x0 goto len90
	r2 -= 1
	if r3 < 0x41 goto store90
	if r3 > 0x5a goto store90
	r3 += 32
store90:
	*(u8 *)(r6 + 122) = r3
	goto step91
len90:
	if r3 != 0x0 goto len90_label
	r4 = 90
	goto named
len90_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 122) = 46
	r2 = r3
step91:
	if r7 <= 0x68 goto done
	r3 = *(u8 *)(r6 + 136)
	if r2 == 0x0 goto len91
	r2 -= 1
	if r3 < 0x41 goto store91
	if r3 > 0x5a goto store91
	r3 += 32
store91:
	*(u8 *)(r6 + 123) = r3
	goto step92
len91:
	if r3 != 0x0 goto len91_label
	r4 = 91
	goto named
len91_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 123) = 46
	r2 = r3
step92:
	if r7 <= 0x69 goto done
	r3 = *(u8 *)(r6 + 137)
	if r2 == 0x0 goto len92
	r2 -= 1
	if r3 < 0x41 goto store92
	if r3 > 0x5a goto store92
	r3 += 32
store92:
	*(u8 *)(r6 + 124) = r3
	goto step93
len92:
	if r3 != 0x0 goto len92_label
	r4 = 92
	goto named
len92_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 124) = 46
	r2 = r3
step93:
	if r7 <= 0x6a goto done
	r3 = *(u8 *)(r6 + 138)
	if r2 == 0x0 goto len93
	r2 -= 1
	if r3 < 0x41 goto store93
	if r3 > 0x5a goto store93
	r3 += 32
store93:
	*(u8 *)(r6 + 125) = r3
	goto step94
len93:
	if r3 != 0x0 goto len93_label
	r4 = 93
	goto named
len93_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 125) = 46
	r2 = r3
step94:
	if r7 <= 0x6b goto done
	r3 = *(u8 *)(r6 + 139)
	if r2 == 0x0 goto len94
	r2 -= 1
	if r3 < 0x41 goto store94
	if r3 > 0x5a goto store94
	r3 += 32
store94:
	*(u8 *)(r6 + 126) = r3
	goto step95
len94:
	if r3 != 0x0 goto len94_label
	r4 = 94
	goto named
len94_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 126) = 46
	r2 = r3
step95:
	if r7 <= 0x6c goto done
	r3 = *(u8 *)(r6 + 140)
	if r2 == 0x0 goto len95
	r2 -= 1
	if r3 < 0x41 goto store95
	if r3 > 0x5a goto store95
	r3 += 32
store95:
	*(u8 *)(r6 + 127) = r3
	goto step96
len95:
	if r3 != 0x0 goto len95_label
	r4 = 95
	goto named
len95_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 127) = 46
	r2 = r3
step96:
	if r7 <= 0x6d goto done
	r3 = *(u8 *)(r6 + 141)
	if r2 == 0x0 goto len96
	r2 -= 1
	if r3 < 0x41 goto store96
	if r3 > 0x5a goto store96
	r3 += 32
store96:
	*(u8 *)(r6 + 128) = r3
	goto step97
len96:
	if r3 != 0x0 goto len96_label
	r4 = 96
	goto named
len96_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 128) = 46
	r2 = r3
step97:
	if r7 <= 0x6e goto done
	r3 = *(u8 *)(r6 + 142)
	if r2 == 0x0 goto len97
	r2 -= 1
	if r3 < 0x41 goto store97
	if r3 > 0x5a goto store97
	r3 += 32
store97:
	*(u8 *)(r6 + 129) = r3
	goto step98
len97:
	if r3 != 0x0 goto len97_label
	r4 = 97
	goto named
len97_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 129) = 46
	r2 = r3
step98:
	if r7 <= 0x6f goto done
	r3 = *(u8 *)(r6 + 143)
	if r2 == 0x0 goto len98
	r2 -= 1
	if r3 < 0x41 goto store98
	if r3 > 0x5a goto store98
	r3 += 32
store98:
	*(u8 *)(r6 + 130) = r3
	goto step99
len98:
	if r3 != 0x0 goto len98_label
	r4 = 98
	goto named
len98_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 130) = 46
	r2 = r3
step99:
	if r7 <= 0x70 goto done
	r3 = *(u8 *)(r6 + 144)
	if r2 == 0x0 goto len99
	r2 -= 1
	if r3 < 0x41 goto store99
	if r3 > 0x5a goto store99
	r3 += 32
store99:
	*(u8 *)(r6 + 131) = r3
	goto step100
len99:
	if r3 != 0x0 goto len99_label
	r4 = 99
	goto named
len99_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 131) = 46
	r2 = r3
step100:
	if r7 <= 0x71 goto done
	r3 = *(u8 *)(r6 + 145)
	if r2 == 0x0 goto len100
	r2 -= 1
	if r3 < 0x41 goto store100
	if r3 > 0x5a goto store100
	r3 += 32
store100:
	*(u8 *)(r6 + 132) = r3
	goto step101
len100:
	if r3 != 0x0 goto len100_label
	r4 = 100
	goto named
len100_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 132) = 46
	r2 = r3
step101:
	if r7 <= 0x72 goto done
	r3 = *(u8 *)(r6 + 146)
	if r2 == 0x0 goto len101
	r2 -= 1
	if r3 < 0x41 goto store101
	if r3 > 0x5a goto store101
	r3 += 32
store101:
	*(u8 *)(r6 + 133) = r3
	goto step102
len101:
	if r3 != 0x0 goto len101_label
	r4 = 101
	goto named
len101_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 133) = 46
	r2 = r3
step102:
	if r7 <= 0x73 goto done
	r3 = *(u8 *)(r6 + 147)
	if r2 == 0x0 goto len102
	r2 -= 1
	if r3 < 0x41 goto store102
	if r3 > 0x5a goto store102
	r3 += 32
store102:
	*(u8 *)(r6 + 134) = r3
	goto step103
len102:
	if r3 != 0x0 goto len102_label
	r4 = 102
	goto named
len102_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 134) = 46
	r2 = r3
step103:
	if r7 <= 0x74 goto done
	r3 = *(u8 *)(r6 + 148)
	if r2 == 0x0 goto len103
	r2 -= 1
	if r3 < 0x41 goto store103
	if r3 > 0x5a goto store103
	r3 += 32
store103:
	*(u8 *)(r6 + 135) = r3
	goto step104
len103:
	if r3 != 0x0 goto len103_label
	r4 = 103
	goto named
len103_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 135) = 46
	r2 = r3
step104:
	if r7 <= 0x75 goto done
	r3 = *(u8 *)(r6 + 149)
	if r2 == 0x0 goto len104
	r2 -= 1
	if r3 < 0x41 goto store104
	if r3 > 0x5a goto store104
	r3 += 32
store104:
	*(u8 *)(r6 + 136) = r3
	goto step105
len104:
	if r3 != 0x0 goto len104_label
	r4 = 104
	goto named
len104_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 136) = 46
	r2 = r3
step105:
	if r7 <= 0x76 goto done
	r3 = *(u8 *)(r6 + 150)
	if r2 == 0x0 goto len105
	r2 -= 1
	if r3 < 0x41 goto store105
	if r3 > 0x5a goto store105
	r3 += 32
store105:
	*(u8 *)(r6 + 137) = r3
	goto step106
len105:
	if r3 != 0x0 goto len105_label
	r4 = 105
	goto named
len105_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 137) = 46
	r2 = r3
step106:
	if r7 <= 0x77 goto done
	r3 = *(u8 *)(r6 + 151)
	if r2 == 0x0 goto len106
	r2 -= 1
	if r3 < 0x41 goto store106
	if r3 > 0x5a goto store106
	r3 += 32
store106:
	*(u8 *)(r6 + 138) = r3
	goto step107
len106:
	if r3 != 0x0 goto len106_label
	r4 = 106
	goto named
len106_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 138) = 46
	r2 = r3
step107:
	if r7 <= 0x78 goto done
	r3 = *(u8 *)(r6 + 152)
	if r2 == 0x0 goto len107
	r2 -= 1
	if r3 < 0x41 goto store107
	if r3 > 0x5a goto store107
	r3 += 32
store107:
	*(u8 *)(r6 + 139) = r3
	goto step108
len107:
	if r3 != 0x0 goto len107_label
	r4 = 107
	goto named
len107_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 139) = 46
	r2 = r3
step108:
	if r7 <= 0x79 goto done
	r3 = *(u8 *)(r6 + 153)
	if r2 == 0x0 goto len108
	r2 -= 1
	if r3 < 0x41 goto store108
	if r3 > 0x5a goto store108
	r3 += 32
store108:
	*(u8 *)(r6 + 140) = r3
	goto step109
len108:
	if r3 != 0x0 goto len108_label
	r4 = 108
	goto named
len108_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 140) = 46
	r2 = r3
step109:
	if r7 <= 0x7a goto done
	r3 = *(u8 *)(r6 + 154)
	if r2 == 0x0 goto len109
	r2 -= 1
	if r3 < 0x41 goto store109
	if r3 > 0x5a goto store109
	r3 += 32
store109:
	*(u8 *)(r6 + 141) = r3
	goto step110
len109:
	if r3 != 0x0 goto len109_label
	r4 = 109
	goto named
len109_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 141) = 46
	r2 = r3
step110:
	if r7 <= 0x7b goto done
	r3 = *(u8 *)(r6 + 155)
	if r2 == 0x0 goto len110
	r2 -= 1
	if r3 < 0x41 goto store110
	if r3 > 0x5a goto store110
	r3 += 32
store110:
	*(u8 *)(r6 + 142) = r3
	goto step111
len110:
	if r3 != 0x0 goto len110_label
	r4 = 110
	goto named
len110_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 142) = 46
	r2 = r3
step111:
	if r7 <= 0x7c goto done
	r3 = *(u8 *)(r6 + 156)
	if r2 == 0x0 goto len111
	r2 -= 1
	if r3 < 0x41 goto store111
	if r3 > 0x5a goto store111
	r3 += 32
store111:
	*(u8 *)(r6 + 143) = r3
	goto step112
len111:
	if r3 != 0x0 goto len111_label
	r4 = 111
	goto named
len111_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 143) = 46
	r2 = r3
step112:
	if r7 <= 0x7d goto done
	r3 = *(u8 *)(r6 + 157)
	if r2 == 0x0 goto len112
	r2 -= 1
	if r3 < 0x41 goto store112
	if r3 > 0x5a goto store112
	r3 += 32
store112:
	*(u8 *)(r6 + 144) = r3
	goto step113
len112:
	if r3 != 0x0 goto len112_label
	r4 = 112
	goto named
len112_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 144) = 46
	r2 = r3
step113:
	if r7 <= 0x7e goto done
	r3 = *(u8 *)(r6 + 158)
	if r2 == 0x0 goto len113
	r2 -= 1
	if r3 < 0x41 goto store113
	if r3 > 0x5a goto store113
	r3 += 32
store113:
	*(u8 *)(r6 + 145) = r3
	goto step114
len113:
	if r3 != 0x0 goto len113_label
	r4 = 113
	goto named
len113_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 145) = 46
	r2 = r3
step114:
	if r7 <= 0x7f goto done
	r3 = *(u8 *)(r6 + 159)
	if r2 == 0x0 goto len114
	r2 -= 1
	if r3 < 0x41 goto store114
	if r3 > 0x5a goto store114
	r3 += 32
store114:
	*(u8 *)(r6 + 146) = r3
	goto step115
len114:
	if r3 != 0x0 goto len114_label
	r4 = 114
	goto named
len114_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 146) = 46
	r2 = r3
step115:
	if r7 <= 0x80 goto done
	r3 = *(u8 *)(r6 + 160)
	if r2 == 0x0 goto len115
	r2 -= 1
	if r3 < 0x41 goto store115
	if r3 > 0x5a goto store115
	r3 += 32
store115:
	*(u8 *)(r6 + 147) = r3
	goto step116
len115:
	if r3 != 0x0 goto len115_label
	r4 = 115
	goto named
len115_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 147) = 46
	r2 = r3
step116:
	if r7 <= 0x81 goto done
	r3 = *(u8 *)(r6 + 161)
	if r2 == 0x0 goto len116
	r2 -= 1
	if r3 < 0x41 goto store116
	if r3 > 0x5a goto store116
	r3 += 32
store116:
	*(u8 *)(r6 + 148) = r3
	goto step117
len116:
	if r3 != 0x0 goto len116_label
	r4 = 116
	goto named
len116_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 148) = 46
	r2 = r3
step117:
	if r7 <= 0x82 goto done
	r3 = *(u8 *)(r6 + 162)
	if r2 == 0x0 goto len117
	r2 -= 1
	if r3 < 0x41 goto store117
	if r3 > 0x5a goto store117
	r3 += 32
store117:
	*(u8 *)(r6 + 149) = r3
	goto step118
len117:
	if r3 != 0x0 goto len117_label
	r4 = 117
	goto named
len117_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 149) = 46
	r2 = r3
step118:
	if r7 <= 0x83 goto done
	r3 = *(u8 *)(r6 + 163)
	if r2 == 0x0 goto len118
	r2 -= 1
	if r3 < 0x41 goto store118
	if r3 > 0x5a goto store118
	r3 += 32
store118:
	*(u8 *)(r6 + 150) = r3
	goto step119
len118:
	if r3 != 0x0 goto len118_label
	r4 = 118
	goto named
len118_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 150) = 46
	r2 = r3
step119:
	if r7 <= 0x84 goto done
	r3 = *(u8 *)(r6 + 164)
	if r2 == 0x0 goto len119
	r2 -= 1
	if r3 < 0x41 goto store119
	if r3 > 0x5a goto store119
	r3 += 32
store119:
	*(u8 *)(r6 + 151) = r3
	goto step120
len119:
	if r3 != 0x0 goto len119_label
	r4 = 119
	goto named
len119_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 151) = 46
	r2 = r3
step120:
	if r7 <= 0x85 goto done
	r3 = *(u8 *)(r6 + 165)
	if r2 == 0x0 goto len120
	r2 -= 1
	if r3 < 0x41 goto store120
	if r3 > 0x5a goto store120
	r3 += 32
store120:
	*(u8 *)(r6 + 152) = r3
	goto step121
len120:
	if r3 != 0x0 goto len120_label
	r4 = 120
	goto named
len120_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 152) = 46
	r2 = r3
step121:
	if r7 <= 0x86 goto done
	r3 = *(u8 *)(r6 + 166)
	if r2 == 0x0 goto len121
	r2 -= 1
	if r3 < 0x41 goto store121
	if r3 > 0x5a goto store121
	r3 += 32
store121:
	*(u8 *)(r6 + 153) = r3
	goto step122
len121:
	if r3 != 0x0 goto len121_label
	r4 = 121
	goto named
len121_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 153) = 46
	r2 = r3
step122:
	if r7 <= 0x87 goto done
	r3 = *(u8 *)(r6 + 167)
	if r2 == 0x0 goto len122
	r2 -= 1
	if r3 < 0x41 goto store122
	if r3 > 0x5a goto store122
	r3 += 32
store122:
	*(u8 *)(r6 + 154) = r3
	goto step123
len122:
	if r3 != 0x0 goto len122_label
	r4 = 122
	goto named
len122_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 154) = 46
	r2 = r3
step123:
	if r7 <= 0x88 goto done
	r3 = *(u8 *)(r6 + 168)
	if r2 == 0x0 goto len123
	r2 -= 1
	if r3 < 0x41 goto store123
	if r3 > 0x5a goto store123
	r3 += 32
store123:
	*(u8 *)(r6 + 155) = r3
	goto step124
len123:
	if r3 != 0x0 goto len123_label
	r4 = 123
	goto named
len123_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 155) = 46
	r2 = r3
step124:
	if r7 <= 0x89 goto done
	r3 = *(u8 *)(r6 + 169)
	if r2 == 0x0 goto len124
	r2 -= 1
	if r3 < 0x41 goto store124
	if r3 > 0x5a goto store124
	r3 += 32
store124:
	*(u8 *)(r6 + 156) = r3
	goto step125
len124:
	if r3 != 0x0 goto len124_label
	r4 = 124
	goto named
len124_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 156) = 46
	r2 = r3
step125:
	if r7 <= 0x8a goto done
	r3 = *(u8 *)(r6 + 170)
	if r2 == 0x0 goto len125
	r2 -= 1
	if r3 < 0x41 goto store125
	if r3 > 0x5a goto store125
	r3 += 32
store125:
	*(u8 *)(r6 + 157) = r3
	goto step126
len125:
	if r3 != 0x0 goto len125_label
	r4 = 125
	goto named
len125_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 157) = 46
	r2 = r3
step126:
	if r7 <= 0x8b goto done
	r3 = *(u8 *)(r6 + 171)
	if r2 == 0x0 goto len126
	r2 -= 1
	if r3 < 0x41 goto store126
	if r3 > 0x5a goto store126
	r3 += 32
store126:
	*(u8 *)(r6 + 158) = r3
	goto step127
len126:
	if r3 != 0x0 goto len126_label
	r4 = 126
	goto named
len126_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 158) = 46
	r2 = r3
step127:
	if r7 <= 0x8c goto done
	r3 = *(u8 *)(r6 + 172)
	if r2 == 0x0 goto len127
	r2 -= 1
	if r3 < 0x41 goto store127
	if r3 > 0x5a goto store127
	r3 += 32
store127:
	*(u8 *)(r6 + 159) = r3
	goto step128
len127:
	if r3 != 0x0 goto len127_label
	r4 = 127
	goto named
len127_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 159) = 46
	r2 = r3
step128:
	if r7 <= 0x8d goto done
	r3 = *(u8 *)(r6 + 173)
	if r2 == 0x0 goto len128
	r2 -= 1
	if r3 < 0x41 goto store128
	if r3 > 0x5a goto store128
	r3 += 32
store128:
	*(u8 *)(r6 + 160) = r3
	goto step129
len128:
	if r3 != 0x0 goto len128_label
	r4 = 128
	goto named
len128_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 160) = 46
	r2 = r3
step129:
	if r7 <= 0x8e goto done
	r3 = *(u8 *)(r6 + 174)
	if r2 == 0x0 goto len129
	r2 -= 1
	if r3 < 0x41 goto store129
	if r3 > 0x5a goto store129
	r3 += 32
store129:
	*(u8 *)(r6 + 161) = r3
	goto step130
len129:
	if r3 != 0x0 goto len129_label
	r4 = 129
	goto named
len129_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 161) = 46
	r2 = r3
step130:
	if r7 <= 0x8f goto done
	r3 = *(u8 *)(r6 + 175)
	if r2 == 0x0 goto len130
	r2 -= 1
	if r3 < 0x41 goto store130
	if r3 > 0x5a goto store130
	r3 += 32
store130:
	*(u8 *)(r6 + 162) = r3
	goto step131
len130:
	if r3 != 0x0 goto len130_label
	r4 = 130
	goto named
len130_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 162) = 46
	r2 = r3
step131:
	if r7 <= 0x90 goto done
	r3 = *(u8 *)(r6 + 176)
	if r2 == 0x0 goto len131
	r2 -= 1
	if r3 < 0x41 goto store131
	if r3 > 0x5a goto store131
	r3 += 32
store131:
	*(u8 *)(r6 + 163) = r3
	goto step132
len131:
	if r3 != 0x0 goto len131_label
	r4 = 131
	goto named
len131_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 163) = 46
	r2 = r3
step132:
	if r7 <= 0x91 goto done
	r3 = *(u8 *)(r6 + 177)
	if r2 == 0x0 goto len132
	r2 -= 1
	if r3 < 0x41 goto store132
	if r3 > 0x5a goto store132
	r3 += 32
store132:
	*(u8 *)(r6 + 164) = r3
	goto step133
len132:
	if r3 != 0x0 goto len132_label
	r4 = 132
	goto named
len132_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 164) = 46
	r2 = r3
step133:
	if r7 <= 0x92 goto done
	r3 = *(u8 *)(r6 + 178)
	if r2 == 0x0 goto len133
	r2 -= 1
	if r3 < 0x41 goto store133
	if r3 > 0x5a goto store133
	r3 += 32
store133:
	*(u8 *)(r6 + 165) = r3
	goto step134
len133:
	if r3 != 0x0 goto len133_label
	r4 = 133
	goto named
len133_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 165) = 46
	r2 = r3
step134:
	if r7 <= 0x93 goto done
	r3 = *(u8 *)(r6 + 179)
	if r2 == 0x0 goto len134
	r2 -= 1
	if r3 < 0x41 goto store134
	if r3 > 0x5a goto store134
	r3 += 32
store134:
	*(u8 *)(r6 + 166) = r3
	goto step135
len134:
	if r3 != 0x0 goto len134_label
	r4 = 134
	goto named
len134_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 166) = 46
	r2 = r3
step135:
	if r7 <= 0x94 goto done
	r3 = *(u8 *)(r6 + 180)
	if r2 == 0x0 goto len135
	r2 -= 1
	if r3 < 0x41 goto store135
	if r3 > 0x5a goto store135
	r3 += 32
store135:
	*(u8 *)(r6 + 167) = r3
	goto step136
len135:
	if r3 != 0x0 goto len135_label
	r4 = 135
	goto named
len135_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 167) = 46
	r2 = r3
step136:
	if r7 <= 0x95 goto done
	r3 = *(u8 *)(r6 + 181)
	if r2 == 0x0 goto len136
	r2 -= 1
	if r3 < 0x41 goto store136
	if r3 > 0x5a goto store136
	r3 += 32
store136:
	*(u8 *)(r6 + 168) = r3
	goto step137
len136:
	if r3 != 0x0 goto len136_label
	r4 = 136
	goto named
len136_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 168) = 46
	r2 = r3
step137:
	if r7 <= 0x96 goto done
	r3 = *(u8 *)(r6 + 182)
	if r2 == 0x0 goto len137
	r2 -= 1
	if r3 < 0x41 goto store137
	if r3 > 0x5a goto store137
	r3 += 32
store137:
	*(u8 *)(r6 + 169) = r3
	goto step138
len137:
	if r3 != 0x0 goto len137_label
	r4 = 137
	goto named
len137_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 169) = 46
	r2 = r3
step138:
	if r7 <= 0x97 goto done
	r3 = *(u8 *)(r6 + 183)
	if r2 == 0x0 goto len138
	r2 -= 1
	if r3 < 0x41 goto store138
	if r3 > 0x5a goto store138
	r3 += 32
store138:
	*(u8 *)(r6 + 170) = r3
	goto step139
len138:
	if r3 != 0x0 goto len138_label
	r4 = 138
	goto named
len138_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 170) = 46
	r2 = r3
step139:
	if r7 <= 0x98 goto done
	r3 = *(u8 *)(r6 + 184)
	if r2 == 0x0 goto len139
	r2 -= 1
	if r3 < 0x41 goto store139
	if r3 > 0x5a goto store139
	r3 += 32
store139:
	*(u8 *)(r6 + 171) = r3
	goto step140
len139:
	if r3 != 0x0 goto len139_label
	r4 = 139
	goto named
len139_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 171) = 46
	r2 = r3
step140:
	if r7 <= 0x99 goto done
	r3 = *(u8 *)(r6 + 185)
	if r2 == 0x0 goto len140
	r2 -= 1
	if r3 < 0x41 goto store140
	if r3 > 0x5a goto store140
	r3 += 32
store140:
	*(u8 *)(r6 + 172) = r3
	goto step141
len140:
	if r3 != 0x0 goto len140_label
	r4 = 140
	goto named
len140_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 172) = 46
	r2 = r3
step141:
	if r7 <= 0x9a goto done
	r3 = *(u8 *)(r6 + 186)
	if r2 == 0x0 goto len141
	r2 -= 1
	if r3 < 0x41 goto store141
	if r3 > 0x5a goto store141
	r3 += 32
store141:
	*(u8 *)(r6 + 173) = r3
	goto step142
len141:
	if r3 != 0x0 goto len141_label
	r4 = 141
	goto named
len141_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 173) = 46
	r2 = r3
step142:
	if r7 <= 0x9b goto done
	r3 = *(u8 *)(r6 + 187)
	if r2 == 0x0 goto len142
	r2 -= 1
	if r3 < 0x41 goto store142
	if r3 > 0x5a goto store142
	r3 += 32
store142:
	*(u8 *)(r6 + 174) = r3
	goto step143
len142:
	if r3 != 0x0 goto len142_label
	r4 = 142
	goto named
len142_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 174) = 46
	r2 = r3
step143:
	if r7 <= 0x9c goto done
	r3 = *(u8 *)(r6 + 188)
	if r2 == 0x0 goto len143
	r2 -= 1
	if r3 < 0x41 goto store143
	if r3 > 0x5a goto store143
	r3 += 32
store143:
	*(u8 *)(r6 + 175) = r3
	goto step144
len143:
	if r3 != 0x0 goto len143_label
	r4 = 143
	goto named
len143_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 175) = 46
	r2 = r3
step144:
	if r7 <= 0x9d goto done
	r3 = *(u8 *)(r6 + 189)
	if r2 == 0x0 goto len144
	r2 -= 1
	if r3 < 0x41 goto store144
	if r3 > 0x5a goto store144
	r3 += 32
store144:
	*(u8 *)(r6 + 176) = r3
	goto step145
len144:
	if r3 != 0x0 goto len144_label
	r4 = 144
	goto named
len144_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 176) = 46
	r2 = r3
step145:
	if r7 <= 0x9e goto done
	r3 = *(u8 *)(r6 + 190)
	if r2 == 0x0 goto len145
	r2 -= 1
	if r3 < 0x41 goto store145
	if r3 > 0x5a goto store145
	r3 += 32
store145:
	*(u8 *)(r6 + 177) = r3
	goto step146
len145:
	if r3 != 0x0 goto len145_label
	r4 = 145
	goto named
len145_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 177) = 46
	r2 = r3
step146:
	if r7 <= 0x9f goto done
	r3 = *(u8 *)(r6 + 191)
	if r2 == 0x0 goto len146
	r2 -= 1
	if r3 < 0x41 goto store146
	if r3 > 0x5a goto store146
	r3 += 32
store146:
	*(u8 *)(r6 + 178) = r3
	goto step147
len146:
	if r3 != 0x0 goto len146_label
	r4 = 146
	goto named
len146_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 178) = 46
	r2 = r3
step147:
	if r7 <= 0xa0 goto done
	r3 = *(u8 *)(r6 + 192)
	if r2 == 0x0 goto len147
	r2 -= 1
	if r3 < 0x41 goto store147
	if r3 > 0x5a goto store147
	r3 += 32
store147:
	*(u8 *)(r6 + 179) = r3
	goto step148
len147:
	if r3 != 0x0 goto len147_label
	r4 = 147
	goto named
len147_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 179) = 46
	r2 = r3
step148:
	if r7 <= 0xa1 goto done
	r3 = *(u8 *)(r6 + 193)
	if r2 == 0x0 goto len148
	r2 -= 1
	if r3 < 0x41 goto store148
	if r3 > 0x5a goto store148
	r3 += 32
store148:
	*(u8 *)(r6 + 180) = r3
	goto step149
len148:
	if r3 != 0x0 goto len148_label
	r4 = 148
	goto named
len148_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 180) = 46
	r2 = r3
step149:
	if r7 <= 0xa2 goto done
	r3 = *(u8 *)(r6 + 194)
	if r2 == 0x0 goto len149
	r2 -= 1
	if r3 < 0x41 goto store149
	if r3 > 0x5a goto store149
	r3 += 32
store149:
	*(u8 *)(r6 + 181) = r3
	goto step150
len149:
	if r3 != 0x0 goto len149_label
	r4 = 149
	goto named
len149_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 181) = 46
	r2 = r3
step150:
	if r7 <= 0xa3 goto done
	r3 = *(u8 *)(r6 + 195)
	if r2 == 0x0 goto len150
	r2 -= 1
	if r3 < 0x41 goto store150
	if r3 > 0x5a goto store150
	r3 += 32
store150:
	*(u8 *)(r6 + 182) = r3
	goto step151
len150:
	if r3 != 0x0 goto len150_label
	r4 = 150
	goto named
len150_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 182) = 46
	r2 = r3
step151:
	if r7 <= 0xa4 goto done
	r3 = *(u8 *)(r6 + 196)
	if r2 == 0x0 goto len151
	r2 -= 1
	if r3 < 0x41 goto store151
	if r3 > 0x5a goto store151
	r3 += 32
store151:
	*(u8 *)(r6 + 183) = r3
	goto step152
len151:
	if r3 != 0x0 goto len151_label
	r4 = 151
	goto named
len151_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 183) = 46
	r2 = r3
step152:
	if r7 <= 0xa5 goto done
	r3 = *(u8 *)(r6 + 197)
	if r2 == 0x0 goto len152
	r2 -= 1
	if r3 < 0x41 goto store152
	if r3 > 0x5a goto store152
	r3 += 32
store152:
	*(u8 *)(r6 + 184) = r3
	goto step153
len152:
	if r3 != 0x0 goto len152_label
	r4 = 152
	goto named
len152_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 184) = 46
	r2 = r3
step153:
	if r7 <= 0xa6 goto done
	r3 = *(u8 *)(r6 + 198)
	if r2 == 0x0 goto len153
	r2 -= 1
	if r3 < 0x41 goto store153
	if r3 > 0x5a goto store153
	r3 += 32
store153:
	*(u8 *)(r6 + 185) = r3
	goto step154
len153:
	if r3 != 0x0 goto len153_label
	r4 = 153
	goto named
len153_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 185) = 46
	r2 = r3
step154:
	if r7 <= 0xa7 goto done
	r3 = *(u8 *)(r6 + 199)
	if r2 == 0x0 goto len154
	r2 -= 1
	if r3 < 0x41 goto store154
	if r3 > 0x5a goto store154
	r3 += 32
store154:
	*(u8 *)(r6 + 186) = r3
	goto step155
len154:
	if r3 != 0x0 goto len154_label
	r4 = 154
	goto named
len154_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 186) = 46
	r2 = r3
step155:
	if r7 <= 0xa8 goto done
	r3 = *(u8 *)(r6 + 200)
	if r2 == 0x0 goto len155
	r2 -= 1
	if r3 < 0x41 goto store155
	if r3 > 0x5a goto store155
	r3 += 32
store155:
	*(u8 *)(r6 + 187) = r3
	goto step156
len155:
	if r3 != 0x0 goto len155_label
	r4 = 155
	goto named
len155_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 187) = 46
	r2 = r3
step156:
	if r7 <= 0xa9 goto done
	r3 = *(u8 *)(r6 + 201)
	if r2 == 0x0 goto len156
	r2 -= 1
	if r3 < 0x41 goto store156
	if r3 > 0x5a goto store156
	r3 += 32
store156:
	*(u8 *)(r6 + 188) = r3
	goto step157
len156:
	if r3 != 0x0 goto len156_label
	r4 = 156
	goto named
len156_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 188) = 46
	r2 = r3
step157:
	if r7 <= 0xaa goto done
	r3 = *(u8 *)(r6 + 202)
	if r2 == 0x0 goto len157
	r2 -= 1
	if r3 < 0x41 goto store157
	if r3 > 0x5a goto store157
	r3 += 32
store157:
	*(u8 *)(r6 + 189) = r3
	goto step158
len157:
	if r3 != 0x0 goto len157_label
	r4 = 157
	goto named
len157_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 189) = 46
	r2 = r3
step158:
	if r7 <= 0xab goto done
	r3 = *(u8 *)(r6 + 203)
	if r2 == 0x0 goto len158
	r2 -= 1
	if r3 < 0x41 goto store158
	if r3 > 0x5a goto store158
	r3 += 32
store158:
	*(u8 *)(r6 + 190) = r3
	goto step159
len158:
	if r3 != 0x0 goto len158_label
	r4 = 158
	goto named
len158_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 190) = 46
	r2 = r3
step159:
	if r7 <= 0xac goto done
	r3 = *(u8 *)(r6 + 204)
	if r2 == 0x0 goto len159
	r2 -= 1
	if r3 < 0x41 goto store159
	if r3 > 0x5a goto store159
	r3 += 32
store159:
	*(u8 *)(r6 + 191) = r3
	goto step160
len159:
	if r3 != 0x0 goto len159_label
	r4 = 159
	goto named
len159_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 191) = 46
	r2 = r3
step160:
	if r7 <= 0xad goto done
	r3 = *(u8 *)(r6 + 205)
	if r2 == 0x0 goto len160
	r2 -= 1
	if r3 < 0x41 goto store160
	if r3 > 0x5a goto store160
	r3 += 32
store160:
	*(u8 *)(r6 + 192) = r3
	goto step161
len160:
	if r3 != 0x0 goto len160_label
	r4 = 160
	goto named
len160_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 192) = 46
	r2 = r3
step161:
	if r7 <= 0xae goto done
	r3 = *(u8 *)(r6 + 206)
	if r2 == 0x0 goto len161
	r2 -= 1
	if r3 < 0x41 goto store161
	if r3 > 0x5a goto store161
	r3 += 32
store161:
	*(u8 *)(r6 + 193) = r3
	goto step162
len161:
	if r3 != 0x0 goto len161_label
	r4 = 161
	goto named
len161_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 193) = 46
	r2 = r3
step162:
	if r7 <= 0xaf goto done
	r3 = *(u8 *)(r6 + 207)
	if r2 == 0x0 goto len162
	r2 -= 1
	if r3 < 0x41 goto store162
	if r3 > 0x5a goto store162
	r3 += 32
store162:
	*(u8 *)(r6 + 194) = r3
	goto step163
len162:
	if r3 != 0x0 goto len162_label
	r4 = 162
	goto named
len162_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 194) = 46
	r2 = r3
step163:
	if r7 <= 0xb0 goto done
	r3 = *(u8 *)(r6 + 208)
	if r2 == 0x0 goto len163
	r2 -= 1
	if r3 < 0x41 goto store163
	if r3 > 0x5a goto store163
	r3 += 32
store163:
	*(u8 *)(r6 + 195) = r3
	goto step164
len163:
	if r3 != 0x0 goto len163_label
	r4 = 163
	goto named
len163_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 195) = 46
	r2 = r3
step164:
	if r7 <= 0xb1 goto done
	r3 = *(u8 *)(r6 + 209)
	if r2 == 0x0 goto len164
	r2 -= 1
	if r3 < 0x41 goto store164
	if r3 > 0x5a goto store164
	r3 += 32
store164:
	*(u8 *)(r6 + 196) = r3
	goto step165
len164:
	if r3 != 0x0 goto len164_label
	r4 = 164
	goto named
len164_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 196) = 46
	r2 = r3
step165:
	if r7 <= 0xb2 goto done
	r3 = *(u8 *)(r6 + 210)
	if r2 == 0x0 goto len165
	r2 -= 1
	if r3 < 0x41 goto store165
	if r3 > 0x5a goto store165
	r3 += 32
store165:
	*(u8 *)(r6 + 197) = r3
	goto step166
len165:
	if r3 != 0x0 goto len165_label
	r4 = 165
	goto named
len165_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 197) = 46
	r2 = r3
step166:
	if r7 <= 0xb3 goto done
	r3 = *(u8 *)(r6 + 211)
	if r2 == 0x0 goto len166
	r2 -= 1
	if r3 < 0x41 goto store166
	if r3 > 0x5a goto store166
	r3 += 32
store166:
	*(u8 *)(r6 + 198) = r3
	goto step167
len166:
	if r3 != 0x0 goto len166_label
	r4 = 166
	goto named
len166_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 198) = 46
	r2 = r3
step167:
	if r7 <= 0xb4 goto done
	r3 = *(u8 *)(r6 + 212)
	if r2 == 0x0 goto len167
	r2 -= 1
	if r3 < 0x41 goto store167
	if r3 > 0x5a goto store167
	r3 += 32
store167:
	*(u8 *)(r6 + 199) = r3
	goto step168
len167:
	if r3 != 0x0 goto len167_label
	r4 = 167
	goto named
len167_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 199) = 46
	r2 = r3
step168:
	if r7 <= 0xb5 goto done
	r3 = *(u8 *)(r6 + 213)
	if r2 == 0x0 goto len168
	r2 -= 1
	if r3 < 0x41 goto store168
	if r3 > 0x5a goto store168
	r3 += 32
store168:
	*(u8 *)(r6 + 200) = r3
	goto step169
len168:
	if r3 != 0x0 goto len168_label
	r4 = 168
	goto named
len168_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 200) = 46
	r2 = r3
step169:
	if r7 <= 0xb6 goto done
	r3 = *(u8 *)(r6 + 214)
	if r2 == 0x0 goto len169
	r2 -= 1
	if r3 < 0x41 goto store169
	if r3 > 0x5a goto store169
	r3 += 32
store169:
	*(u8 *)(r6 + 201) = r3
	goto step170
len169:
	if r3 != 0x0 goto len169_label
	r4 = 169
	goto named
len169_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 201) = 46
	r2 = r3
step170:
	if r7 <= 0xb7 goto done
	r3 = *(u8 *)(r6 + 215)
	if r2 == 0x0 goto len170
	r2 -= 1
	if r3 < 0x41 goto store170
	if r3 > 0x5a goto store170
	r3 += 32
store170:
	*(u8 *)(r6 + 202) = r3
	goto step171
len170:
	if r3 != 0x0 goto len170_label
	r4 = 170
	goto named
len170_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 202) = 46
	r2 = r3
step171:
	if r7 <= 0xb8 goto done
	r3 = *(u8 *)(r6 + 216)
	if r2 == 0x0 goto len171
	r2 -= 1
	if r3 < 0x41 goto store171
	if r3 > 0x5a goto store171
	r3 += 32
store171:
	*(u8 *)(r6 + 203) = r3
	goto step172
len171:
	if r3 != 0x0 goto len171_label
	r4 = 171
	goto named
len171_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 203) = 46
	r2 = r3
step172:
	if r7 <= 0xb9 goto done
	r3 = *(u8 *)(r6 + 217)
	if r2 == 0x0 goto len172
	r2 -= 1
	if r3 < 0x41 goto store172
	if r3 > 0x5a goto store172
	r3 += 32
store172:
	*(u8 *)(r6 + 204) = r3
	goto step173
len172:
	if r3 != 0x0 goto len172_label
	r4 = 172
	goto named
len172_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 204) = 46
	r2 = r3
step173:
	if r7 <= 0xba goto done
	r3 = *(u8 *)(r6 + 218)
	if r2 == 0x0 goto len173
	r2 -= 1
	if r3 < 0x41 goto store173
	if r3 > 0x5a goto store173
	r3 += 32
store173:
	*(u8 *)(r6 + 205) = r3
	goto step174
len173:
	if r3 != 0x0 goto len173_label
	r4 = 173
	goto named
len173_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 205) = 46
	r2 = r3
step174:
	if r7 <= 0xbb goto done
	r3 = *(u8 *)(r6 + 219)
	if r2 == 0x0 goto len174
	r2 -= 1
	if r3 < 0x41 goto store174
	if r3 > 0x5a goto store174
	r3 += 32
store174:
	*(u8 *)(r6 + 206) = r3
	goto step175
len174:
	if r3 != 0x0 goto len174_label
	r4 = 174
	goto named
len174_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 206) = 46
	r2 = r3
step175:
	if r7 <= 0xbc goto done
	r3 = *(u8 *)(r6 + 220)
	if r2 == 0x0 goto len175
	r2 -= 1
	if r3 < 0x41 goto store175
	if r3 > 0x5a goto store175
	r3 += 32
store175:
	*(u8 *)(r6 + 207) = r3
	goto step176
len175:
	if r3 != 0x0 goto len175_label
	r4 = 175
	goto named
len175_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 207) = 46
	r2 = r3
step176:
	if r7 <= 0xbd goto done
	r3 = *(u8 *)(r6 + 221)
	if r2 == 0x0 goto len176
	r2 -= 1
	if r3 < 0x41 goto store176
	if r3 > 0x5a goto store176
	r3 += 32
store176:
	*(u8 *)(r6 + 208) = r3
	goto step177
len176:
	if r3 != 0x0 goto len176_label
	r4 = 176
	goto named
len176_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 208) = 46
	r2 = r3
step177:
	if r7 <= 0xbe goto done
	r3 = *(u8 *)(r6 + 222)
	if r2 == 0x0 goto len177
	r2 -= 1
	if r3 < 0x41 goto store177
	if r3 > 0x5a goto store177
	r3 += 32
store177:
	*(u8 *)(r6 + 209) = r3
	goto step178
len177:
	if r3 != 0x0 goto len177_label
	r4 = 177
	goto named
len177_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 209) = 46
	r2 = r3
step178:
	if r7 <= 0xbf goto done
	r3 = *(u8 *)(r6 + 223)
	if r2 == 0x0 goto len178
	r2 -= 1
	if r3 < 0x41 goto store178
	if r3 > 0x5a goto store178
	r3 += 32
store178:
	*(u8 *)(r6 + 210) = r3
	goto step179
len178:
	if r3 != 0x0 goto len178_label
	r4 = 178
	goto named
len178_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 210) = 46
	r2 = r3
step179:
	if r7 <= 0xc0 goto done
	r3 = *(u8 *)(r6 + 224)
	if r2 == 0x0 goto len179
	r2 -= 1
	if r3 < 0x41 goto store179
	if r3 > 0x5a goto store179
	r3 += 32
store179:
	*(u8 *)(r6 + 211) = r3
	goto step180
len179:
	if r3 != 0x0 goto len179_label
	r4 = 179
	goto named
len179_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 211) = 46
	r2 = r3
step180:
	if r7 <= 0xc1 goto done
	r3 = *(u8 *)(r6 + 225)
	if r2 == 0x0 goto len180
	r2 -= 1
	if r3 < 0x41 goto store180
	if r3 > 0x5a goto store180
	r3 += 32
store180:
	*(u8 *)(r6 + 212) = r3
	goto step181
len180:
	if r3 != 0x0 goto len180_label
	r4 = 180
	goto named
len180_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 212) = 46
	r2 = r3
step181:
	if r7 <= 0xc2 goto done
	r3 = *(u8 *)(r6 + 226)
	if r2 == 0x0 goto len181
	r2 -= 1
	if r3 < 0x41 goto store181
	if r3 > 0x5a goto store181
	r3 += 32
store181:
	*(u8 *)(r6 + 213) = r3
	goto step182
len181:
	if r3 != 0x0 goto len181_label
	r4 = 181
	goto named
len181_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 213) = 46
	r2 = r3
step182:
	if r7 <= 0xc3 goto done
	r3 = *(u8 *)(r6 + 227)
	if r2 == 0x0 goto len182
	r2 -= 1
	if r3 < 0x41 goto store182
	if r3 > 0x5a goto store182
	r3 += 32
store182:
	*(u8 *)(r6 + 214) = r3
	goto step183
len182:
	if r3 != 0x0 goto len182_label
	r4 = 182
	goto named
len182_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 214) = 46
	r2 = r3
step183:
	if r7 <= 0xc4 goto done
	r3 = *(u8 *)(r6 + 228)
	if r2 == 0x0 goto len183
	r2 -= 1
	if r3 < 0x41 goto store183
	if r3 > 0x5a goto store183
	r3 += 32
store183:
	*(u8 *)(r6 + 215) = r3
	goto step184
len183:
	if r3 != 0x0 goto len183_label
	r4 = 183
	goto named
len183_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 215) = 46
	r2 = r3
step184:
	if r7 <= 0xc5 goto done
	r3 = *(u8 *)(r6 + 229)
	if r2 == 0x0 goto len184
	r2 -= 1
	if r3 < 0x41 goto store184
	if r3 > 0x5a goto store184
	r3 += 32
store184:
	*(u8 *)(r6 + 216) = r3
	goto step185
len184:
	if r3 != 0x0 goto len184_label
	r4 = 184
	goto named
len184_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 216) = 46
	r2 = r3
step185:
	if r7 <= 0xc6 goto done
	r3 = *(u8 *)(r6 + 230)
	if r2 == 0x0 goto len185
	r2 -= 1
	if r3 < 0x41 goto store185
	if r3 > 0x5a goto store185
	r3 += 32
store185:
	*(u8 *)(r6 + 217) = r3
	goto step186
len185:
	if r3 != 0x0 goto len185_label
	r4 = 185
	goto named
len185_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 217) = 46
	r2 = r3
step186:
	if r7 <= 0xc7 goto done
	r3 = *(u8 *)(r6 + 231)
	if r2 == 0x0 goto len186
	r2 -= 1
	if r3 < 0x41 goto store186
	if r3 > 0x5a goto store186
	r3 += 32
store186:
	*(u8 *)(r6 + 218) = r3
	goto step187
len186:
	if r3 != 0x0 goto len186_label
	r4 = 186
	goto named
len186_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 218) = 46
	r2 = r3
step187:
	if r7 <= 0xc8 goto done
	r3 = *(u8 *)(r6 + 232)
	if r2 == 0x0 goto len187
	r2 -= 1
	if r3 < 0x41 goto store187
	if r3 > 0x5a goto store187
	r3 += 32
store187:
	*(u8 *)(r6 + 219) = r3
	goto step188
len187:
	if r3 != 0x0 goto len187_label
	r4 = 187
	goto named
len187_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 219) = 46
	r2 = r3
step188:
	if r7 <= 0xc9 goto done
	r3 = *(u8 *)(r6 + 233)
	if r2 == 0x0 goto len188
	r2 -= 1
	if r3 < 0x41 goto store188
	if r3 > 0x5a goto store188
	r3 += 32
store188:
	*(u8 *)(r6 + 220) = r3
	goto step189
len188:
	if r3 != 0x0 goto len188_label
	r4 = 188
	goto named
len188_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 220) = 46
	r2 = r3
step189:
	if r7 <= 0xca goto done
	r3 = *(u8 *)(r6 + 234)
	if r2 == 0x0 goto len189
	r2 -= 1
	if r3 < 0x41 goto store189
	if r3 > 0x5a goto store189
	r3 += 32
store189:
	*(u8 *)(r6 + 221) = r3
	goto step190
len189:
	if r3 != 0x0 goto len189_label
	r4 = 189
	goto named
len189_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 221) = 46
	r2 = r3
step190:
	if r7 <= 0xcb goto done
	r3 = *(u8 *)(r6 + 235)
	if r2 == 0x0 goto len190
	r2 -= 1
	if r3 < 0x41 goto store190
	if r3 > 0x5a goto store190
	r3 += 32
store190:
	*(u8 *)(r6 + 222) = r3
	goto step191
len190:
	if r3 != 0x0 goto len190_label
	r4 = 190
	goto named
len190_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 222) = 46
	r2 = r3
step191:
	if r7 <= 0xcc goto done
	r3 = *(u8 *)(r6 + 236)
	if r2 == 0x0 goto len191
	r2 -= 1
	if r3 < 0x41 goto store191
	if r3 > 0x5a goto store191
	r3 += 32
store191:
	*(u8 *)(r6 + 223) = r3
	goto step192
len191:
	if r3 != 0x0 goto len191_label
	r4 = 191
	goto named
len191_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 223) = 46
	r2 = r3
step192:
	if r7 <= 0xcd goto done
	r3 = *(u8 *)(r6 + 237)
	if r2 == 0x0 goto len192
	r2 -= 1
	if r3 < 0x41 goto store192
	if r3 > 0x5a goto store192
	r3 += 32
store192:
	*(u8 *)(r6 + 224) = r3
	goto step193
len192:
	if r3 != 0x0 goto len192_label
	r4 = 192
	goto named
len192_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 224) = 46
	r2 = r3
step193:
	if r7 <= 0xce goto done
	r3 = *(u8 *)(r6 + 238)
	if r2 == 0x0 goto len193
	r2 -= 1
	if r3 < 0x41 goto store193
	if r3 > 0x5a goto store193
	r3 += 32
store193:
	*(u8 *)(r6 + 225) = r3
	goto step194
len193:
	if r3 != 0x0 goto len193_label
	r4 = 193
	goto named
len193_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 225) = 46
	r2 = r3
step194:
	if r7 <= 0xcf goto done
	r3 = *(u8 *)(r6 + 239)
	if r2 == 0x0 goto len194
	r2 -= 1
	if r3 < 0x41 goto store194
	if r3 > 0x5a goto store194
	r3 += 32
store194:
	*(u8 *)(r6 + 226) = r3
	goto step195
len194:
	if r3 != 0x0 goto len194_label
	r4 = 194
	goto named
len194_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 226) = 46
	r2 = r3
step195:
	if r7 <= 0xd0 goto done
	r3 = *(u8 *)(r6 + 240)
	if r2 == 0x0 goto len195
	r2 -= 1
	if r3 < 0x41 goto store195
	if r3 > 0x5a goto store195
	r3 += 32
store195:
	*(u8 *)(r6 + 227) = r3
	goto step196
len195:
	if r3 != 0x0 goto len195_label
	r4 = 195
	goto named
len195_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 227) = 46
	r2 = r3
step196:
	if r7 <= 0xd1 goto done
	r3 = *(u8 *)(r6 + 241)
	if r2 == 0x0 goto len196
	r2 -= 1
	if r3 < 0x41 goto store196
	if r3 > 0x5a goto store196
	r3 += 32
store196:
	*(u8 *)(r6 + 228) = r3
	goto step197
len196:
	if r3 != 0x0 goto len196_label
	r4 = 196
	goto named
len196_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 228) = 46
	r2 = r3
step197:
	if r7 <= 0xd2 goto done
	r3 = *(u8 *)(r6 + 242)
	if r2 == 0x0 goto len197
	r2 -= 1
	if r3 < 0x41 goto store197
	if r3 > 0x5a goto store197
	r3 += 32
store197:
	*(u8 *)(r6 + 229) = r3
	goto step198
len197:
	if r3 != 0x0 goto len197_label
	r4 = 197
	goto named
len197_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 229) = 46
	r2 = r3
step198:
	if r7 <= 0xd3 goto done
	r3 = *(u8 *)(r6 + 243)
	if r2 == 0x0 goto len198
	r2 -= 1
	if r3 < 0x41 goto store198
	if r3 > 0x5a goto store198
	r3 += 32
store198:
	*(u8 *)(r6 + 230) = r3
	goto step199
len198:
	if r3 != 0x0 goto len198_label
	r4 = 198
	goto named
len198_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 230) = 46
	r2 = r3
step199:
	if r7 <= 0xd4 goto done
	r3 = *(u8 *)(r6 + 244)
	if r2 == 0x0 goto len199
	r2 -= 1
	if r3 < 0x41 goto store199
	if r3 > 0x5a goto store199
	r3 += 32
store199:
	*(u8 *)(r6 + 231) = r3
	goto step200
len199:
	if r3 != 0x0 goto len199_label
	r4 = 199
	goto named
len199_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 231) = 46
	r2 = r3
step200:
	if r7 <= 0xd5 goto done
	r3 = *(u8 *)(r6 + 245)
	if r2 == 0x0 goto len200
	r2 -= 1
	if r3 < 0x41 goto store200
	if r3 > 0x5a goto store200
	r3 += 32
store200:
	*(u8 *)(r6 + 232) = r3
	goto step201
len200:
	if r3 != 0x0 goto len200_label
	r4 = 200
	goto named
len200_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 232) = 46
	r2 = r3
step201:
	if r7 <= 0xd6 goto done
	r3 = *(u8 *)(r6 + 246)
	if r2 == 0x0 goto len201
	r2 -= 1
	if r3 < 0x41 goto store201
	if r3 > 0x5a goto store201
	r3 += 32
store201:
	*(u8 *)(r6 + 233) = r3
	goto step202
len201:
	if r3 != 0x0 goto len201_label
	r4 = 201
	goto named
len201_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 233) = 46
	r2 = r3
step202:
	if r7 <= 0xd7 goto done
	r3 = *(u8 *)(r6 + 247)
	if r2 == 0x0 goto len202
	r2 -= 1
	if r3 < 0x41 goto store202
	if r3 > 0x5a goto store202
	r3 += 32
store202:
	*(u8 *)(r6 + 234) = r3
	goto step203
len202:
	if r3 != 0x0 goto len202_label
	r4 = 202
	goto named
len202_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 234) = 46
	r2 = r3
step203:
	if r7 <= 0xd8 goto done
	r3 = *(u8 *)(r6 + 248)
	if r2 == 0x0 goto len203
	r2 -= 1
	if r3 < 0x41 goto store203
	if r3 > 0x5a goto store203
	r3 += 32
store203:
	*(u8 *)(r6 + 235) = r3
	goto step204
len203:
	if r3 != 0x0 goto len203_label
	r4 = 203
	goto named
len203_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 235) = 46
	r2 = r3
step204:
	if r7 <= 0xd9 goto done
	r3 = *(u8 *)(r6 + 249)
	if r2 == 0x0 goto len204
	r2 -= 1
	if r3 < 0x41 goto store204
	if r3 > 0x5a goto store204
	r3 += 32
store204:
	*(u8 *)(r6 + 236) = r3
	goto step205
len204:
	if r3 != 0x0 goto len204_label
	r4 = 204
	goto named
len204_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 236) = 46
	r2 = r3
step205:
	if r7 <= 0xda goto done
	r3 = *(u8 *)(r6 + 250)
	if r2 == 0x0 goto len205
	r2 -= 1
	if r3 < 0x41 goto store205
	if r3 > 0x5a goto store205
	r3 += 32
store205:
	*(u8 *)(r6 + 237) = r3
	goto step206
len205:
	if r3 != 0x0 goto len205_label
	r4 = 205
	goto named
len205_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 237) = 46
	r2 = r3
step206:
	if r7 <= 0xdb goto done
	r3 = *(u8 *)(r6 + 251)
	if r2 == 0x0 goto len206
	r2 -= 1
	if r3 < 0x41 goto store206
	if r3 > 0x5a goto store206
	r3 += 32
store206:
	*(u8 *)(r6 + 238) = r3
	goto step207
len206:
	if r3 != 0x0 goto len206_label
	r4 = 206
	goto named
len206_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 238) = 46
	r2 = r3
step207:
	if r7 <= 0xdc goto done
	r3 = *(u8 *)(r6 + 252)
	if r2 == 0x0 goto len207
	r2 -= 1
	if r3 < 0x41 goto store207
	if r3 > 0x5a goto store207
	r3 += 32
store207:
	*(u8 *)(r6 + 239) = r3
	goto step208
len207:
	if r3 != 0x0 goto len207_label
	r4 = 207
	goto named
len207_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 239) = 46
	r2 = r3
step208:
	if r7 <= 0xdd goto done
	r3 = *(u8 *)(r6 + 253)
	if r2 == 0x0 goto len208
	r2 -= 1
	if r3 < 0x41 goto store208
	if r3 > 0x5a goto store208
	r3 += 32
store208:
	*(u8 *)(r6 + 240) = r3
	goto step209
len208:
	if r3 != 0x0 goto len208_label
	r4 = 208
	goto named
len208_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 240) = 46
	r2 = r3
step209:
	if r7 <= 0xde goto done
	r3 = *(u8 *)(r6 + 254)
	if r2 == 0x0 goto len209
	r2 -= 1
	if r3 < 0x41 goto store209
	if r3 > 0x5a goto store209
	r3 += 32
store209:
	*(u8 *)(r6 + 241) = r3
	goto step210
len209:
	if r3 != 0x0 goto len209_label
	r4 = 209
	goto named
len209_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 241) = 46
	r2 = r3
step210:
	if r7 <= 0xdf goto done
	r3 = *(u8 *)(r6 + 255)
	if r2 == 0x0 goto len210
	r2 -= 1
	if r3 < 0x41 goto store210
	if r3 > 0x5a goto store210
	r3 += 32
store210:
	*(u8 *)(r6 + 242) = r3
	goto step211
len210:
	if r3 != 0x0 goto len210_label
	r4 = 210
	goto named
len210_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 242) = 46
	r2 = r3
step211:
	if r7 <= 0xe0 goto done
	r3 = *(u8 *)(r6 + 256)
	if r2 == 0x0 goto len211
	r2 -= 1
	if r3 < 0x41 goto store211
	if r3 > 0x5a goto store211
	r3 += 32
store211:
	*(u8 *)(r6 + 243) = r3
	goto step212
len211:
	if r3 != 0x0 goto len211_label
	r4 = 211
	goto named
len211_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 243) = 46
	r2 = r3
step212:
	if r7 <= 0xe1 goto done
	r3 = *(u8 *)(r6 + 257)
	if r2 == 0x0 goto len212
	r2 -= 1
	if r3 < 0x41 goto store212
	if r3 > 0x5a goto store212
	r3 += 32
store212:
	*(u8 *)(r6 + 244) = r3
	goto step213
len212:
	if r3 != 0x0 goto len212_label
	r4 = 212
	goto named
len212_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 244) = 46
	r2 = r3
step213:
	if r7 <= 0xe2 goto done
	r3 = *(u8 *)(r6 + 258)
	if r2 == 0x0 goto len213
	r2 -= 1
	if r3 < 0x41 goto store213
	if r3 > 0x5a goto store213
	r3 += 32
store213:
	*(u8 *)(r6 + 245) = r3
	goto step214
len213:
	if r3 != 0x0 goto len213_label
	r4 = 213
	goto named
len213_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 245) = 46
	r2 = r3
step214:
	if r7 <= 0xe3 goto done
	r3 = *(u8 *)(r6 + 259)
	if r2 == 0x0 goto len214
	r2 -= 1
	if r3 < 0x41 goto store214
	if r3 > 0x5a goto store214
	r3 += 32
store214:
	*(u8 *)(r6 + 246) = r3
	goto step215
len214:
	if r3 != 0x0 goto len214_label
	r4 = 214
	goto named
len214_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 246) = 46
	r2 = r3
step215:
	if r7 <= 0xe4 goto done
	r3 = *(u8 *)(r6 + 260)
	if r2 == 0x0 goto len215
	r2 -= 1
	if r3 < 0x41 goto store215
	if r3 > 0x5a goto store215
	r3 += 32
store215:
	*(u8 *)(r6 + 247) = r3
	goto step216
len215:
	if r3 != 0x0 goto len215_label
	r4 = 215
	goto named
len215_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 247) = 46
	r2 = r3
step216:
	if r7 <= 0xe5 goto done
	r3 = *(u8 *)(r6 + 261)
	if r2 == 0x0 goto len216
	r2 -= 1
	if r3 < 0x41 goto store216
	if r3 > 0x5a goto store216
	r3 += 32
store216:
	*(u8 *)(r6 + 248) = r3
	goto step217
len216:
	if r3 != 0x0 goto len216_label
	r4 = 216
	goto named
len216_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 248) = 46
	r2 = r3
step217:
	if r7 <= 0xe6 goto done
	r3 = *(u8 *)(r6 + 262)
	if r2 == 0x0 goto len217
	r2 -= 1
	if r3 < 0x41 goto store217
	if r3 > 0x5a goto store217
	r3 += 32
store217:
	*(u8 *)(r6 + 249) = r3
	goto step218
len217:
	if r3 != 0x0 goto len217_label
	r4 = 217
	goto named
len217_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 249) = 46
	r2 = r3
step218:
	if r7 <= 0xe7 goto done
	r3 = *(u8 *)(r6 + 263)
	if r2 == 0x0 goto len218
	r2 -= 1
	if r3 < 0x41 goto store218
	if r3 > 0x5a goto store218
	r3 += 32
store218:
	*(u8 *)(r6 + 250) = r3
	goto step219
len218:
	if r3 != 0x0 goto len218_label
	r4 = 218
	goto named
len218_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 250) = 46
	r2 = r3
step219:
	if r7 <= 0xe8 goto done
	r3 = *(u8 *)(r6 + 264)
	if r2 == 0x0 goto len219
	r2 -= 1
	if r3 < 0x41 goto store219
	if r3 > 0x5a goto store219
	r3 += 32
store219:
	*(u8 *)(r6 + 251) = r3
	goto step220
len219:
	if r3 != 0x0 goto len219_label
	r4 = 219
	goto named
len219_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 251) = 46
	r2 = r3
step220:
	if r7 <= 0xe9 goto done
	r3 = *(u8 *)(r6 + 265)
	if r2 == 0x0 goto len220
	r2 -= 1
	if r3 < 0x41 goto store220
	if r3 > 0x5a goto store220
	r3 += 32
store220:
	*(u8 *)(r6 + 252) = r3
	goto step221
len220:
	if r3 != 0x0 goto len220_label
	r4 = 220
	goto named
len220_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 252) = 46
	r2 = r3
step221:
	if r7 <= 0xea goto done
	r3 = *(u8 *)(r6 + 266)
	if r2 == 0x0 goto len221
	r2 -= 1
	if r3 < 0x41 goto store221
	if r3 > 0x5a goto store221
	r3 += 32
store221:
	*(u8 *)(r6 + 253) = r3
	goto step222
len221:
	if r3 != 0x0 goto len221_label
	r4 = 221
	goto named
len221_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 253) = 46
	r2 = r3
step222:
	if r7 <= 0xeb goto done
	r3 = *(u8 *)(r6 + 267)
	if r2 == 0x0 goto len222
	r2 -= 1
	if r3 < 0x41 goto store222
	if r3 > 0x5a goto store222
	r3 += 32
store222:
	*(u8 *)(r6 + 254) = r3
	goto step223
len222:
	if r3 != 0x0 goto len222_label
	r4 = 222
	goto named
len222_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 254) = 46
	r2 = r3
step223:
	if r7 <= 0xec goto done
	r3 = *(u8 *)(r6 + 268)
	if r2 == 0x0 goto len223
	r2 -= 1
	if r3 < 0x41 goto store223
	if r3 > 0x5a goto store223
	r3 += 32
store223:
	*(u8 *)(r6 + 255) = r3
	goto step224
len223:
	if r3 != 0x0 goto len223_label
	r4 = 223
	goto named
len223_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 255) = 46
	r2 = r3
step224:
	if r7 <= 0xed goto done
	r3 = *(u8 *)(r6 + 269)
	if r2 == 0x0 goto len224
	r2 -= 1
	if r3 < 0x41 goto store224
	if r3 > 0x5a goto store224
	r3 += 32
store224:
	*(u8 *)(r6 + 256) = r3
	goto step225
len224:
	if r3 != 0x0 goto len224_label
	r4 = 224
	goto named
len224_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 256) = 46
	r2 = r3
step225:
	if r7 <= 0xee goto done
	r3 = *(u8 *)(r6 + 270)
	if r2 == 0x0 goto len225
	r2 -= 1
	if r3 < 0x41 goto store225
	if r3 > 0x5a goto store225
	r3 += 32
store225:
	*(u8 *)(r6 + 257) = r3
	goto step226
len225:
	if r3 != 0x0 goto len225_label
	r4 = 225
	goto named
len225_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 257) = 46
	r2 = r3
step226:
	if r7 <= 0xef goto done
	r3 = *(u8 *)(r6 + 271)
	if r2 == 0x0 goto len226
	r2 -= 1
	if r3 < 0x41 goto store226
	if r3 > 0x5a goto store226
	r3 += 32
store226:
	*(u8 *)(r6 + 258) = r3
	goto step227
len226:
	if r3 != 0x0 goto len226_label
	r4 = 226
	goto named
len226_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 258) = 46
	r2 = r3
step227:
	if r7 <= 0xf0 goto done
	r3 = *(u8 *)(r6 + 272)
	if r2 == 0x0 goto len227
	r2 -= 1
	if r3 < 0x41 goto store227
	if r3 > 0x5a goto store227
	r3 += 32
store227:
	*(u8 *)(r6 + 259) = r3
	goto step228
len227:
	if r3 != 0x0 goto len227_label
	r4 = 227
	goto named
len227_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 259) = 46
	r2 = r3
step228:
	if r7 <= 0xf1 goto done
	r3 = *(u8 *)(r6 + 273)
	if r2 == 0x0 goto len228
	r2 -= 1
	if r3 < 0x41 goto store228
	if r3 > 0x5a goto store228
	r3 += 32
store228:
	*(u8 *)(r6 + 260) = r3
	goto step229
len228:
	if r3 != 0x0 goto len228_label
	r4 = 228
	goto named
len228_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 260) = 46
	r2 = r3
step229:
	if r7 <= 0xf2 goto done
	r3 = *(u8 *)(r6 + 274)
	if r2 == 0x0 goto len229
	r2 -= 1
	if r3 < 0x41 goto store229
	if r3 > 0x5a goto store229
	r3 += 32
store229:
	*(u8 *)(r6 + 261) = r3
	goto step230
len229:
	if r3 != 0x0 goto len229_label
	r4 = 229
	goto named
len229_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 261) = 46
	r2 = r3
step230:
	if r7 <= 0xf3 goto done
	r3 = *(u8 *)(r6 + 275)
	if r2 == 0x0 goto len230
	r2 -= 1
	if r3 < 0x41 goto store230
	if r3 > 0x5a goto store230
	r3 += 32
store230:
	*(u8 *)(r6 + 262) = r3
	goto step231
len230:
	if r3 != 0x0 goto len230_label
	r4 = 230
	goto named
len230_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 262) = 46
	r2 = r3
step231:
	if r7 <= 0xf4 goto done
	r3 = *(u8 *)(r6 + 276)
	if r2 == 0x0 goto len231
	r2 -= 1
	if r3 < 0x41 goto store231
	if r3 > 0x5a goto store231
	r3 += 32
store231:
	*(u8 *)(r6 + 263) = r3
	goto step232
len231:
	if r3 != 0x0 goto len231_label
	r4 = 231
	goto named
len231_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 263) = 46
	r2 = r3
step232:
	if r7 <= 0xf5 goto done
	r3 = *(u8 *)(r6 + 277)
	if r2 == 0x0 goto len232
	r2 -= 1
	if r3 < 0x41 goto store232
	if r3 > 0x5a goto store232
	r3 += 32
store232:
	*(u8 *)(r6 + 264) = r3
	goto step233
len232:
	if r3 != 0x0 goto len232_label
	r4 = 232
	goto named
len232_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 264) = 46
	r2 = r3
step233:
	if r7 <= 0xf6 goto done
	r3 = *(u8 *)(r6 + 278)
	if r2 == 0x0 goto len233
	r2 -= 1
	if r3 < 0x41 goto store233
	if r3 > 0x5a goto store233
	r3 += 32
store233:
	*(u8 *)(r6 + 265) = r3
	goto step234
len233:
	if r3 != 0x0 goto len233_label
	r4 = 233
	goto named
len233_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 265) = 46
	r2 = r3
step234:
	if r7 <= 0xf7 goto done
	r3 = *(u8 *)(r6 + 279)
	if r2 == 0x0 goto len234
	r2 -= 1
	if r3 < 0x41 goto store234
	if r3 > 0x5a goto store234
	r3 += 32
store234:
	*(u8 *)(r6 + 266) = r3
	goto step235
len234:
	if r3 != 0x0 goto len234_label
	r4 = 234
	goto named
len234_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 266) = 46
	r2 = r3
step235:
	if r7 <= 0xf8 goto done
	r3 = *(u8 *)(r6 + 280)
	if r2 == 0x0 goto len235
	r2 -= 1
	if r3 < 0x41 goto store235
	if r3 > 0x5a goto store235
	r3 += 32
store235:
	*(u8 *)(r6 + 267) = r3
	goto step236
len235:
	if r3 != 0x0 goto len235_label
	r4 = 235
	goto named
len235_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 267) = 46
	r2 = r3
step236:
	if r7 <= 0xf9 goto done
	r3 = *(u8 *)(r6 + 281)
	if r2 == 0x0 goto len236
	r2 -= 1
	if r3 < 0x41 goto store236
	if r3 > 0x5a goto store236
	r3 += 32
store236:
	*(u8 *)(r6 + 268) = r3
	goto step237
len236:
	if r3 != 0x0 goto len236_label
	r4 = 236
	goto named
len236_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 268) = 46
	r2 = r3
step237:
	if r7 <= 0xfa goto done
	r3 = *(u8 *)(r6 + 282)
	if r2 == 0x0 goto len237
	r2 -= 1
	if r3 < 0x41 goto store237
	if r3 > 0x5a goto store237
	r3 += 32
store237:
	*(u8 *)(r6 + 269) = r3
	goto step238
len237:
	if r3 != 0x0 goto len237_label
	r4 = 237
	goto named
len237_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 269) = 46
	r2 = r3
step238:
	if r7 <= 0xfb goto done
	r3 = *(u8 *)(r6 + 283)
	if r2 == 0x0 goto len238
	r2 -= 1
	if r3 < 0x41 goto store238
	if r3 > 0x5a goto store238
	r3 += 32
store238:
	*(u8 *)(r6 + 270) = r3
	goto step239
len238:
	if r3 != 0x0 goto len238_label
	r4 = 238
	goto named
len238_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 270) = 46
	r2 = r3
step239:
	if r7 <= 0xfc goto done
	r3 = *(u8 *)(r6 + 284)
	if r2 == 0x0 goto len239
	r2 -= 1
	if r3 < 0x41 goto store239
	if r3 > 0x5a goto store239
	r3 += 32
store239:
	*(u8 *)(r6 + 271) = r3
	goto step240
len239:
	if r3 != 0x0 goto len239_label
	r4 = 239
	goto named
len239_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 271) = 46
	r2 = r3
step240:
	if r7 <= 0xfd goto done
	r3 = *(u8 *)(r6 + 285)
	if r2 == 0x0 goto len240
	r2 -= 1
	if r3 < 0x41 goto store240
	if r3 > 0x5a goto store240
	r3 += 32
store240:
	*(u8 *)(r6 + 272) = r3
	goto step241
len240:
	if r3 != 0x0 goto len240_label
	r4 = 240
	goto named
len240_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 272) = 46
	r2 = r3
step241:
	if r7 <= 0xfe goto done
	r3 = *(u8 *)(r6 + 286)
	if r2 == 0x0 goto len241
	r2 -= 1
	if r3 < 0x41 goto store241
	if r3 > 0x5a goto store241
	r3 += 32
store241:
	*(u8 *)(r6 + 273) = r3
	goto step242
len241:
	if r3 != 0x0 goto len241_label
	r4 = 241
	goto named
len241_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 273) = 46
	r2 = r3
step242:
	if r7 <= 0xff goto done
	r3 = *(u8 *)(r6 + 287)
	if r2 == 0x0 goto len242
	r2 -= 1
	if r3 < 0x41 goto store242
	if r3 > 0x5a goto store242
	r3 += 32
store242:
	*(u8 *)(r6 + 274) = r3
	goto step243
len242:
	if r3 != 0x0 goto len242_label
	r4 = 242
	goto named
len242_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 274) = 46
	r2 = r3
step243:
	if r7 <= 0x100 goto done
	r3 = *(u8 *)(r6 + 288)
	if r2 == 0x0 goto len243
	r2 -= 1
	if r3 < 0x41 goto store243
	if r3 > 0x5a goto store243
	r3 += 32
store243:
	*(u8 *)(r6 + 275) = r3
	goto step244
len243:
	if r3 != 0x0 goto len243_label
	r4 = 243
	goto named
len243_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 275) = 46
	r2 = r3
step244:
	if r7 <= 0x101 goto done
	r3 = *(u8 *)(r6 + 289)
	if r2 == 0x0 goto len244
	r2 -= 1
	if r3 < 0x41 goto store244
	if r3 > 0x5a goto store244
	r3 += 32
store244:
	*(u8 *)(r6 + 276) = r3
	goto step245
len244:
	if r3 != 0x0 goto len244_label
	r4 = 244
	goto named
len244_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 276) = 46
	r2 = r3
step245:
	if r7 <= 0x102 goto done
	r3 = *(u8 *)(r6 + 290)
	if r2 == 0x0 goto len245
	r2 -= 1
	if r3 < 0x41 goto store245
	if r3 > 0x5a goto store245
	r3 += 32
store245:
	*(u8 *)(r6 + 277) = r3
	goto step246
len245:
	if r3 != 0x0 goto len245_label
	r4 = 245
	goto named
len245_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 277) = 46
	r2 = r3
step246:
	if r7 <= 0x103 goto done
	r3 = *(u8 *)(r6 + 291)
	if r2 == 0x0 goto len246
	r2 -= 1
	if r3 < 0x41 goto store246
	if r3 > 0x5a goto store246
	r3 += 32
store246:
	*(u8 *)(r6 + 278) = r3
	goto step247
len246:
	if r3 != 0x0 goto len246_label
	r4 = 246
	goto named
len246_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 278) = 46
	r2 = r3
step247:
	if r7 <= 0x104 goto done
	r3 = *(u8 *)(r6 + 292)
	if r2 == 0x0 goto len247
	r2 -= 1
	if r3 < 0x41 goto store247
	if r3 > 0x5a goto store247
	r3 += 32
store247:
	*(u8 *)(r6 + 279) = r3
	goto step248
len247:
	if r3 != 0x0 goto len247_label
	r4 = 247
	goto named
len247_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 279) = 46
	r2 = r3
step248:
	if r7 <= 0x105 goto done
	r3 = *(u8 *)(r6 + 293)
	if r2 == 0x0 goto len248
	r2 -= 1
	if r3 < 0x41 goto store248
	if r3 > 0x5a goto store248
	r3 += 32
store248:
	*(u8 *)(r6 + 280) = r3
	goto step249
len248:
	if r3 != 0x0 goto len248_label
	r4 = 248
	goto named
len248_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 280) = 46
	r2 = r3
step249:
	if r7 <= 0x106 goto done
	r3 = *(u8 *)(r6 + 294)
	if r2 == 0x0 goto len249
	r2 -= 1
	if r3 < 0x41 goto store249
	if r3 > 0x5a goto store249
	r3 += 32
store249:
	*(u8 *)(r6 + 281) = r3
	goto step250
len249:
	if r3 != 0x0 goto len249_label
	r4 = 249
	goto named
len249_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 281) = 46
	r2 = r3
step250:
	if r7 <= 0x107 goto done
	r3 = *(u8 *)(r6 + 295)
	if r2 == 0x0 goto len250
	r2 -= 1
	if r3 < 0x41 goto store250
	if r3 > 0x5a goto store250
	r3 += 32
store250:
	*(u8 *)(r6 + 282) = r3
	goto step251
len250:
	if r3 != 0x0 goto len250_label
	r4 = 250
	goto named
len250_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 282) = 46
	r2 = r3
step251:
	if r7 <= 0x108 goto done
	r3 = *(u8 *)(r6 + 296)
	if r2 == 0x0 goto len251
	r2 -= 1
	if r3 < 0x41 goto store251
	if r3 > 0x5a goto store251
	r3 += 32
store251:
	*(u8 *)(r6 + 283) = r3
	goto step252
len251:
	if r3 != 0x0 goto len251_label
	r4 = 251
	goto named
len251_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 283) = 46
	r2 = r3
step252:
	if r7 <= 0x109 goto done
	r3 = *(u8 *)(r6 + 297)
	if r2 == 0x0 goto len252
	r2 -= 1
	if r3 < 0x41 goto store252
	if r3 > 0x5a goto store252
	r3 += 32
store252:
	*(u8 *)(r6 + 284) = r3
	goto step253
len252:
	if r3 != 0x0 goto len252_label
	r4 = 252
	goto named
len252_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 284) = 46
	r2 = r3
step253:
	if r7 <= 0x10a goto done
	r3 = *(u8 *)(r6 + 298)
	if r2 == 0x0 goto len253
	r2 -= 1
	if r3 < 0x41 goto store253
	if r3 > 0x5a goto store253
	r3 += 32
store253:
	*(u8 *)(r6 + 285) = r3
	goto step254
len253:
	if r3 != 0x0 goto len253_label
	r4 = 253
	goto named
len253_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 285) = 46
	r2 = r3
step254:
	if r7 <= 0x10b goto done
	r3 = *(u8 *)(r6 + 299)
	if r2 == 0x0 goto len254
	r2 -= 1
	if r3 < 0x41 goto store254
	if r3 > 0x5a goto store254
	r3 += 32
store254:
	*(u8 *)(r6 + 286) = r3
	goto step255
len254:
	if r3 != 0x0 goto len254_label
	r4 = 254
	goto named
len254_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
	*(u8 *)(r6 + 286) = 46
	r2 = r3
step255:
	if r7 <= 0x10c goto done
	r3 = *(u8 *)(r6 + 300)
	if r2 == 0x0 goto len255
	goto truncated
len255:
	if r3 != 0x0 goto len255_label
	r4 = 255
	goto named
len255_label:
	if r3 >= 0xc0 goto done
	if r3 > 0x3f goto done
truncated:
	*(u8 *)(r6 + 10) = 1
	goto done
named:
	*(u32 *)(r6 + 16) = r4
	*(u64 *)(r6 + 24) = r4
	r1 = r4
	r1 += 18
	if r1 > r7 goto done
	r5 = r6
	r5 += r4
	r1 = *(u8 *)(r5 + 46)
	r1 <<= 8
	r3 = *(u8 *)(r5 + 47)
	r1 |= r3
	*(u16 *)(r6 + 4) = r1
	r1 = *(u8 *)(r5 + 48)
	r1 <<= 8
	r3 = *(u8 *)(r5 + 49)
	r1 |= r3
	*(u16 *)(r6 + 6) = r1
	*(u8 *)(r6 + 9) = 1
	goto done
empty:
	if r7 < 0x11 goto done
	r5 = r6
	r1 = *(u8 *)(r5 + 45)
	r1 <<= 8
	r3 = *(u8 *)(r5 + 46)
	r1 |= r3
	*(u16 *)(r6 + 4) = r1
	r1 = *(u8 *)(r5 + 47)
	r1 <<= 8
	r3 = *(u8 *)(r5 + 48)
	r1 |= r3
	*(u16 *)(r6 + 6) = r1
	*(u8 *)(r6 + 9) = 1
done:
	r0 = 0
	exit

func h0_walk1_substring (25 instructions)
	r6 = r2
	r4 = r1
	r9 = *(u64 *)(r6 + 0)
	r3 = *(u32 *)(r9 + 120)
	if r3 > 0xff goto stop
	if r4 >= 0xff goto stop
	if r4 >= r3 goto stop
	r5 = r9
	r5 += 136
	r5 += r4
	r1 = *(u8 *)(r5 + 0)
	if r1 == 0x0 goto stop
	if r4 > 0xf7 goto next0
	r2 = r4
	r2 += 8
	if r2 > r3 goto next0
	r1 = *(u64 *)(r5 + 0)
	r0 = 0x676e696b63617274 ll
	if r1 != r0 goto next0
	goto found
next0:
	r0 = 0
	exit
found:
	*(u64 *)(r6 - 8) = 1
stop:
	r0 = 1
	exit
