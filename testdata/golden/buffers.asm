bundle buffers
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=8608 max=1
map polc_out PerCPUArray key=4 value=4168 max=1
map polc_ret_h0 Hash key=8 value=4168 max=32768 flags=0x1
map polc_counters PerCPUArray key=4 value=24 max=1
map polc_ret_h1 Hash key=8 value=4152 max=32768 flags=0x1

program h0_sys_write section kprobe/__x64_sys_write (61 instructions)
	; - call: "sys_write"
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
	; - index: 2
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 96
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	*(u64 *)(r9 + 4160) = r7
	; - index: 1
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 104
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	*(u64 *)(r9 + 56) = r1
post:
	call bpf_ktime_get_boot_ns
	*(u64 *)(r9 + 8) = r0
	r1 = map[polc_ret_h0]
	r2 = r10
	r2 += -40
	r3 = r9
	r4 = 0
	call bpf_map_update_elem
exit:
	r0 = 0
	exit

program h0_sys_write_ret section kretprobe/__x64_sys_write (152 instructions)
	; - call: "sys_write"
	r6 = r1
	call bpf_get_current_pid_tgid
	*(u64 *)(r10 - 40) = r0
	r1 = map[polc_ret_h0]
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
	; - index: 1
	r7 = *(u64 *)(r9 + 56)
	r8 = *(u64 *)(r6 + 80)
	r1 = *(u64 *)(r9 + 4160)
	if r8 s<= r1 goto ret_len
	r8 = r1
ret_len:
	if r8 s<= 0x0 goto buf_empty
	*(u64 *)(r9 + 56) = r8
	r2 = r8
	*(u64 *)(r10 - 48) = 0
	if r2 <= 0x1000 goto buf_read
	r2 = 4096
	*(u64 *)(r10 - 48) = 1
buf_read:
	*(u32 *)(r9 + 48) = r2
	r3 = r7
	r1 = r9
	r1 += 64
	call bpf_probe_read_user
	if r0 != 0x0 goto buf_fault
	r1 = *(u64 *)(r10 - 48)
	*(u32 *)(r9 + 52) = r1
	goto buf_done
buf_empty:
	*(u64 *)(r9 + 48) = 0
	*(u64 *)(r9 + 56) = 0
	goto buf_done
buf_fault:
	*(u32 *)(r9 + 48) = 0
	*(u32 *)(r9 + 52) = 2
buf_done:
	r0 = 0
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
	r2 = 8
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
	r2 = *(u32 *)(r9 + 48)
	r2 += 7
	r2 &= -8
	if r2 <= 0x1000 goto padded_1
	r2 = 4096
padded_1:
	r2 += 16
	if r7 <= 0x30 goto pack_off_ok_1
	goto exit
pack_off_ok_1:
	*(u64 *)(r10 - 48) = r2
	r1 = r8
	r1 += r7
	r3 = r9
	r3 += 48
	call bpf_probe_read_kernel
	r2 = *(u64 *)(r10 - 48)
	r7 += r2
	r2 = 8
	if r7 <= 0x1040 goto pack_off_ok_2
	goto exit
pack_off_ok_2:
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
drop:
	r1 = map[polc_ret_h0]
	r2 = r10
	r2 += -40
	call bpf_map_delete_elem
exit:
	r0 = 0
	exit

program h1_sys_read section kprobe/__x64_sys_read (41 instructions)
	; - call: "sys_read"
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
	r1 = *(u64 *)(r10 - 16)
	*(u64 *)(r9 + 48) = r1
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

program h1_sys_read_ret section kretprobe/__x64_sys_read (96 instructions)
	; - call: "sys_read"
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
	; - index: 1
	r7 = *(u64 *)(r9 + 48)
	r8 = *(u64 *)(r6 + 80)
	if r8 s<= 0x0 goto buf_empty
	*(u64 *)(r9 + 48) = r8
	r2 = r8
	*(u64 *)(r10 - 48) = 0
	if r2 <= 0x1000 goto buf_read
	r2 = 4096
	*(u64 *)(r10 - 48) = 1
buf_read:
	*(u32 *)(r9 + 40) = r2
	r3 = r7
	r1 = r9
	r1 += 56
	call bpf_probe_read_user
	if r0 != 0x0 goto buf_fault
	r1 = *(u64 *)(r10 - 48)
	*(u32 *)(r9 + 44) = r1
	goto buf_done
buf_empty:
	*(u64 *)(r9 + 40) = 0
	*(u64 *)(r9 + 48) = 0
	goto buf_done
buf_fault:
	*(u32 *)(r9 + 40) = 0
	*(u32 *)(r9 + 44) = 2
buf_done:
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
drop:
	r1 = map[polc_ret_h1]
	r2 = r10
	r2 += -40
	call bpf_map_delete_elem
exit:
	r0 = 0
	exit

program h2_sys_writev section kprobe/__x64_sys_writev (122 instructions)
	; - call: "sys_writev"
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
	r1 = *(u64 *)(r9 + 40)
	*(u64 *)(r10 - 200) = r7
	if r1 s>= 0x0 goto iov_done_count
	r1 = 0
iov_done_count:
	if r1 <= 0x400 goto iov_done_bounded
	r1 = 1024
iov_done_bounded:
	*(u64 *)(r10 - 208) = r1
	*(u64 *)(r10 - 216) = 0
	*(u64 *)(r10 - 232) = 0
	r2 = r9
	r2 += 64
	*(u64 *)(r10 - 224) = r2
	r2 = &func[h2_walk1_iovec]
	r3 = r10
	r3 += -200
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 216)
	r2 = *(u64 *)(r10 - 232)
	*(u32 *)(r9 + 48) = r1
	*(u32 *)(r9 + 52) = 0
	*(u64 *)(r9 + 56) = r2
	if r2 <= r1 goto iov_done
	*(u32 *)(r9 + 52) = 1
iov_done:
	r0 = 0
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
	r3 = *(u32 *)(r9 + 48)
	r3 += 7
	r3 &= -8
	if r3 <= 0x1000 goto padded_1
	r3 = 4096
padded_1:
	r3 += 64
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

program h3_sys_pwrite64 section kprobe/__x64_sys_pwrite64 (180 instructions)
	; - call: "sys_pwrite64"
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
	; - index: 2
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 96
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	*(u64 *)(r9 + 4152) = r7
	; - index: 1
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 104
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	r8 = *(u64 *)(r9 + 4152)
	*(u64 *)(r9 + 4160) = r7
	if r8 s<= 0x0 goto buf_empty
	*(u64 *)(r9 + 48) = r8
	r2 = r8
	*(u64 *)(r10 - 48) = 0
	if r2 <= 0x1000 goto buf_read
	r2 = 4096
	*(u64 *)(r10 - 48) = 1
buf_read:
	*(u32 *)(r9 + 40) = r2
	r3 = r7
	r1 = r9
	r1 += 56
	call bpf_probe_read_user
	if r0 != 0x0 goto buf_fault
	r1 = *(u64 *)(r10 - 48)
	*(u32 *)(r9 + 44) = r1
	goto buf_done
buf_empty:
	*(u64 *)(r9 + 40) = 0
	*(u64 *)(r9 + 48) = 0
	goto buf_done
buf_fault:
	*(u32 *)(r9 + 40) = 0
	*(u32 *)(r9 + 44) = 2
buf_done:
	r0 = 0
post:
	call bpf_ktime_get_boot_ns
	*(u64 *)(r9 + 8) = r0
	r1 = map[polc_events]
	r2 = 327424
	r3 = 0
	call bpf_ringbuf_reserve
	if r0 != 0x0 goto reserved
	r0 = 1
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
	if r0 == 0x0 goto exit
	r1 = 1
	lock *(u64 *)(r0 + 16) += r1
counted:
	goto exit
reserved:
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
	if r7 <= 0x28 goto rsv_off_ok_0
	goto discard
rsv_off_ok_0:
	r6 = r8
	r6 += r7
	r2 = *(u64 *)(r9 + 48)
	*(u64 *)(r6 + 8) = r2
	*(u32 *)(r6 + 4) = 0
	if r2 s> 0x0 goto big_fits
	r2 = 0
big_fits:
	if r2 <= 0x4fec0 goto big_read
	r2 = 327360
	*(u32 *)(r6 + 4) = 1
big_read:
	*(u32 *)(r6 + 0) = r2
	*(u64 *)(r10 - 48) = r2
	r1 = r6
	r1 += 16
	r3 = *(u64 *)(r9 + 4160)
	call bpf_probe_read_user
	if r0 != 0x0 goto big_fault
	r2 = *(u64 *)(r10 - 48)
	goto big_done
big_fault:
	*(u32 *)(r6 + 0) = 0
	*(u32 *)(r6 + 4) = 2
	r2 = 0
big_done:
	r2 += 23
	r2 &= -8
	if r2 <= 0x4fed0 goto big_done_ok
	r2 = 327376
big_done_ok:
	r7 += r2
	if r7 <= 0x4fef8 goto rsv_off_ok_1
	goto discard
rsv_off_ok_1:
	r2 = 8
	*(u64 *)(r10 - 48) = r2
	r1 = r8
	r1 += r7
	r3 = r9
	r3 += 4152
	call bpf_probe_read_kernel
	r2 = *(u64 *)(r10 - 48)
	r7 += r2
	r1 = map[polc_events]
	r2 = 1
	call bpf_ringbuf_query
	r0 >>= 5
	*(u32 *)(r10 - 8) = r0
	r1 = map[polc_events]
	r2 = 0
	call bpf_ringbuf_query
	r1 = *(u32 *)(r10 - 8)
	r2 = 1
	if r0 < r1 goto no_wakeup
	r2 = 2
no_wakeup:
	*(u32 *)(r8 + 4) = r7
	r1 = r8
	call bpf_ringbuf_submit
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_counters]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto exit
	r1 = 1
	lock *(u64 *)(r0 + 0) += r1
counted.1:
	goto exit
discard:
	r1 = r8
	r2 = 0
	call bpf_ringbuf_discard
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_counters]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto exit
	r1 = 1
	lock *(u64 *)(r0 + 16) += r1
exit:
	r0 = 0
	exit

func h2_walk1_iovec (32 instructions)
	r6 = r2
	r2 = *(u64 *)(r6 - 8)
	if r1 >= r2 goto stop
	r1 <<= 4
	r3 = *(u64 *)(r6 + 0)
	r3 += r1
	r1 = r10
	r1 += -16
	r2 = 16
	call bpf_probe_read_user
	if r0 != 0x0 goto stop
	r7 = *(u64 *)(r10 - 8)
	r1 = *(u64 *)(r6 - 32)
	r1 += r7
	*(u64 *)(r6 - 32) = r1
	r8 = *(u64 *)(r6 - 16)
	if r8 >= 0x1000 goto next
	r2 = 4096
	r2 -= r8
	if r2 <= r7 goto room
	r2 = r7
room:
	if r2 > 0x1000 goto next
	r1 = *(u64 *)(r6 - 24)
	r1 += r8
	r8 += r2
	*(u64 *)(r6 - 16) = r8
	r3 = *(u64 *)(r10 - 16)
	call bpf_probe_read_user
next:
	r0 = 0
	exit
stop:
	r0 = 1
	exit
