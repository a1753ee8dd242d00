bundle actions
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=4528 max=1
map polc_out PerCPUArray key=4 value=4168 max=1
map polc_stacks StackTrace key=4 value=1016 max=4096
map polc_fd Hash key=8 value=4112 max=32768 flags=0x1
map polc_ratelimit LRUHash key=48 value=8 max=32768
map polc_counters PerCPUArray key=4 value=24 max=1
map polc_mode Array key=4 value=4 max=1
map polc_enforcer LRUHash key=8 value=8 max=32768
map polc_ret_h4 Hash key=8 value=112 max=32768 flags=0x1
map polc_sock LRUHash key=8 value=8 max=32768
map polc_usdt Hash key=8 value=192 max=4096
map polc_tmp PerCPUArray key=4 value=8520 max=1

program h0_fd_install section kprobe/fd_install (222 instructions)
	; - call: "fd_install"
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
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 40) = r7
	; - index: 1
	r7 = *(u64 *)(r6 + 104)
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
	r3 += 64
	r4 = 4096
	call polc_path
	*(u64 *)(r9 + 48) = r0
	r0 <<= 32
	r0 >>= 32
	*(u64 *)(r9 + 56) = r0
	; - call: "fd_install"
	*(u32 *)(r9 + 4160) = -1
	*(u32 *)(r9 + 4164) = -1
	; - matchActions:
sel0:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 5
	; - action: FollowFD
	r1 = *(u64 *)(r9 + 40)
	*(u32 *)(r10 - 236) = r1
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 240) = r1
	r1 = map[polc_fd]
	r2 = r10
	r2 += -240
	r3 = r9
	r3 += 48
	r4 = 0
	call bpf_map_update_elem
	; - action: Post
	r1 = r6
	r2 = map[polc_stacks]
	r3 = 0
	call bpf_get_stackid
	*(u32 *)(r9 + 4160) = r0
	r1 = r6
	r2 = map[polc_stacks]
	r3 = 256
	call bpf_get_stackid
	*(u32 *)(r9 + 4164) = r0
	*(u32 *)(r10 - 176) = 0
	*(u32 *)(r10 - 172) = 0
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u64 *)(r10 - 168) = r1
	r1 = *(u64 *)(r9 + 40)
	*(u64 *)(r10 - 160) = r1
	r1 = *(u64 *)(r9 + 64)
	r2 = *(u32 *)(r9 + 48)
	if r2 >= 0x8 goto rate_whole
	r3 = 8
	r3 -= r2
	r3 <<= 3
	r1 <<= r3
	r1 >>= r3
rate_whole:
	r2 <<= 48
	r1 ^= r2
	*(u64 *)(r10 - 152) = r1
	*(u64 *)(r10 - 144) = 0
	*(u64 *)(r10 - 136) = 0
	call bpf_ktime_get_boot_ns
	*(u64 *)(r10 - 48) = r0
	r1 = map[polc_ratelimit]
	r2 = r10
	r2 += -176
	call bpf_map_lookup_elem
	if r0 == 0x0 goto rate_ok
	r1 = *(u64 *)(r0 + 0)
	r2 = *(u64 *)(r10 - 48)
	r2 -= r1
	r1 = 0xdf8475800 ll
	if r2 < r1 goto exit
rate_ok:
	r1 = map[polc_ratelimit]
	r2 = r10
	r2 += -176
	r3 = r10
	r3 += -48
	r4 = 0
	call bpf_map_update_elem
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
	if r7 <= 0x1040 goto pack_off_ok_-2
	goto exit
pack_off_ok_-2:
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

program h1_sys_close section kprobe/__x64_sys_close (46 instructions)
	; - call: "sys_close"
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
	; - matchActions:
sel0:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 6
	; - action: UnfollowFD
	r1 = *(u64 *)(r9 + 40)
	*(u32 *)(r10 - 236) = r1
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 240) = r1
	r1 = map[polc_fd]
	r2 = r10
	r2 += -240
	call bpf_map_delete_elem
	; - action: NoPost
exit:
	r0 = 0
	exit

program h2_sys_dup2 section kprobe/__x64_sys_dup2 (219 instructions)
	; - call: "sys_dup2"
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
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 4152) = r7
	; - index: 0
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 112
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r7 = *(u64 *)(r10 - 16)
	*(u32 *)(r10 - 236) = r7
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 240) = r1
	r1 = map[polc_fd]
	r2 = r10
	r2 += -240
	call bpf_map_lookup_elem
	if r0 == 0x0 goto fd_unknown
	r3 = r0
	r1 = r9
	r1 += 40
	r2 = 4112
	call bpf_probe_read_kernel
	goto fd_done
fd_unknown:
	*(u32 *)(r9 + 40) = 0
	*(u32 *)(r9 + 44) = 4
	*(u64 *)(r9 + 48) = 0
fd_done:
	r0 = 0
	; - index: 1
sel0:
	r4 = *(u64 *)(r9 + 4152)
	if r4 == 0x1 goto pass
	goto sel1
pass:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 2
	; - action: CopyFD
	r1 = *(u32 *)(r9 + 44)
	r1 &= 4
	if r1 != 0x0 goto copyfd_done
	r7 = r9
	r7 += 40
	r1 = *(u64 *)(r9 + 4152)
	*(u32 *)(r10 - 236) = r1
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 240) = r1
	r1 = map[polc_fd]
	r2 = r10
	r2 += -240
	r3 = r7
	r4 = 0
	call bpf_map_update_elem
copyfd_done:
	r0 = 0
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
counted:
	goto post
	; - matchActions:
sel1:
	*(u8 *)(r9 + 22) = 2
	*(u8 *)(r9 + 23) = 3
	; - action: Signal
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_mode]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto enforce2
	r1 = *(u32 *)(r0 + 0)
	if r1 == 0x2 goto post
enforce2:
	r1 = 10
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
	if r2 <= 0x1000 goto padded_0
	r2 = 4096
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
	if r7 <= 0x1038 goto pack_off_ok_1
	goto exit
pack_off_ok_1:
	*(u64 *)(r10 - 48) = r2
	r1 = r8
	r1 += r7
	r3 = r9
	r3 += 4152
	call bpf_probe_read_kernel
	r2 = *(u64 *)(r10 - 48)
	r7 += r2
	if r7 <= 0x1040 goto pack_done
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
	if r0 == 0x0 goto counted.3
	r1 = 1
	lock *(u64 *)(r0 + 0) += r1
counted.2:
	goto counted.3
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
	if r0 == 0x0 goto counted.3
	r1 = 1
	lock *(u64 *)(r0 + 16) += r1
counted.3:
	r0 = 0
exit:
	r0 = 0
	exit

program h3_sys_kill section kprobe/__x64_sys_kill (126 instructions)
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
	if r4 == 0x9 goto pass
	goto sel1
pass:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 4
	; - action: Override
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_mode]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto enforce1
	r1 = *(u32 *)(r0 + 0)
	if r1 == 0x2 goto post
enforce1:
	r1 = r6
	r2 = -1
	call bpf_override_return
	; - action: NotifyEnforcer
	r1 = -13
	*(u32 *)(r10 - 48) = r1
	r1 = 9
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
	r1 = 2
	lock *(u64 *)(r0 + 8) += r1
counted:
	goto post
	; - matchActions:
sel1:
	*(u8 *)(r9 + 22) = 2
	*(u8 *)(r9 + 23) = 1
	; - action: CleanupEnforcerNotification
	r1 = map[polc_enforcer]
	r2 = r10
	r2 += -40
	call bpf_map_delete_elem
	; - matchActions:
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

program h4_sk_alloc section kprobe/sk_alloc (35 instructions)
	; - call: "sk_alloc"
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
	; - index: 1
	r7 = *(u64 *)(r6 + 104)
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 40) = r7
	; - matchReturnArgs:
sel0:
	*(u8 *)(r9 + 22) = 1
post:
	call bpf_ktime_get_boot_ns
	*(u64 *)(r9 + 8) = r0
	r1 = map[polc_ret_h4]
	r2 = r10
	r2 += -40
	r3 = r9
	r4 = 0
	call bpf_map_update_elem
exit:
	r0 = 0
	exit

program h4_sk_alloc_ret section kretprobe/sk_alloc (183 instructions)
	; - call: "sk_alloc"
	r6 = r1
	call bpf_get_current_pid_tgid
	*(u64 *)(r10 - 40) = r0
	r1 = map[polc_ret_h4]
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
	; index: 0
	r7 = *(u64 *)(r6 + 80)
	*(u64 *)(r9 + 48) = 0
	*(u64 *)(r9 + 56) = 0
	*(u64 *)(r9 + 64) = 0
	*(u64 *)(r9 + 72) = 0
	*(u64 *)(r9 + 80) = 0
	*(u64 *)(r9 + 88) = 0
	*(u64 *)(r9 + 96) = 0
	*(u64 *)(r9 + 104) = 0
	r3 = r7
	r3 += 12	; CO-RE byte_off sock[0:0:4]
	r1 = r9
	r1 += 48
	r2 = 2
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 58	; CO-RE byte_off sock[0:2]
	r1 = r9
	r1 += 50
	r2 = 2
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 56	; CO-RE byte_off sock[0:1]
	r1 = r9
	r1 += 52
	r2 = 2
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 14	; CO-RE byte_off sock[0:0:5]
	r1 = r9
	r1 += 54
	r2 = 1
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 60	; CO-RE byte_off sock[0:3]
	r1 = r9
	r1 += 56
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 64	; CO-RE byte_off sock[0:4]
	r1 = r9
	r1 += 60
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 10	; CO-RE byte_off sock[0:0:3]
	r1 = r9
	r1 += 64
	r2 = 2
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 8	; CO-RE byte_off sock[0:0:2]
	r1 = r9
	r1 += 66
	r2 = 2
	call bpf_probe_read_kernel
	r1 = *(u16 *)(r9 + 66)
	w1 = bswap16 w1
	*(u16 *)(r9 + 66) = r1
	r3 = r7
	r3 += 48	; CO-RE byte_off sock[0:0:8]
	r1 = r9
	r1 += 104
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u16 *)(r9 + 48)
	if r1 == 0xa goto sock_v6
	if r1 != 0x2 goto sock_addr_done
	r3 = r7
	r3 += 4	; CO-RE byte_off sock[0:0:1]
	r1 = r9
	r1 += 72
	r2 = 4
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 0	; CO-RE byte_off sock[0:0:0]
	r1 = r9
	r1 += 88
	r2 = 4
	call bpf_probe_read_kernel
	goto sock_addr_done
sock_v6:
	r3 = r7
	r3 += 31	; CO-RE byte_off sock[0:0:7]
	r1 = r9
	r1 += 72
	r2 = 16
	call bpf_probe_read_kernel
	r3 = r7
	r3 += 15	; CO-RE byte_off sock[0:0:6]
	r1 = r9
	r1 += 88
	r2 = 16
	call bpf_probe_read_kernel
sock_addr_done:
	r0 = 0
	r1 = *(u64 *)(r6 + 80)
	if r1 == 0x0 goto tracksock_done
	*(u64 *)(r10 - 48) = r1
	r1 = map[polc_sock]
	r2 = r10
	r2 += -48
	r3 = r10
	r3 += -40
	r4 = 0
	call bpf_map_update_elem
tracksock_done:
	r0 = 0
	; - matchReturnArgs:
	r1 = *(u8 *)(r9 + 22)
	if r1 != 0x1 goto ret_sel0_done
	; - operator: "Family"
	r4 = *(u16 *)(r9 + 48)
	if r4 < 0x2 goto range_next
	if r4 <= 0x2 goto pass
range_next:
	r0 = 0
	goto drop
pass:
	*(u8 *)(r9 + 23) = 1
	; - action: NoPost
	goto drop
ret_sel0_done:
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
drop:
	r1 = map[polc_ret_h4]
	r2 = r10
	r2 += -40
	call bpf_map_delete_elem
exit:
	r0 = 0
	exit

program h5___sk_free section kprobe/__sk_free (227 instructions)
	; - call: "__sk_free"
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
	r4 = *(u16 *)(r9 + 40)
	if r4 < 0x2 goto range_next
	if r4 <= 0x2 goto pass
range_next:
	r0 = 0
	goto sel1
pass:
	*(u8 *)(r9 + 22) = 1
	r1 = *(u64 *)(r6 + 112)
	if r1 == 0x0 goto sockowner_done
	*(u64 *)(r10 - 48) = r1
	r1 = map[polc_sock]
	r2 = r10
	r2 += -48
	call bpf_map_lookup_elem
	if r0 == 0x0 goto sockowner_done
	r1 = *(u64 *)(r0 + 0)
	*(u32 *)(r9 + 28) = r1
	r1 >>= 32
	*(u32 *)(r9 + 24) = r1
	r1 = *(u32 *)(r9 + 0)
	r1 |= 262144
	*(u32 *)(r9 + 0) = r1
sockowner_done:
	r0 = 0
	*(u8 *)(r9 + 23) = 11
	; - action: UntrackSock
	r1 = *(u64 *)(r6 + 112)
	if r1 == 0x0 goto tracksock_done
	*(u64 *)(r10 - 48) = r1
	r1 = map[polc_sock]
	r2 = r10
	r2 += -48
	call bpf_map_delete_elem
tracksock_done:
	r0 = 0
	; - matchArgs:
	goto post
	; - matchActions:
sel1:
	*(u8 *)(r9 + 22) = 2
	r1 = *(u64 *)(r6 + 112)
	if r1 == 0x0 goto sockowner_done.1
	*(u64 *)(r10 - 48) = r1
	r1 = map[polc_sock]
	r2 = r10
	r2 += -48
	call bpf_map_lookup_elem
	if r0 == 0x0 goto sockowner_done.1
	r1 = *(u64 *)(r0 + 0)
	*(u32 *)(r9 + 28) = r1
	r1 >>= 32
	*(u32 *)(r9 + 24) = r1
	r1 = *(u32 *)(r9 + 0)
	r1 |= 262144
	*(u32 *)(r9 + 0) = r1
sockowner_done.1:
	r0 = 0
	*(u8 *)(r9 + 23) = 10
	; - action: TrackSock
	r1 = *(u64 *)(r6 + 112)
	if r1 == 0x0 goto tracksock_done.1
	*(u64 *)(r10 - 48) = r1
	r1 = map[polc_sock]
	r2 = r10
	r2 += -48
	r3 = r10
	r3 += -40
	r4 = 0
	call bpf_map_update_elem
tracksock_done.1:
	r0 = 0
	; - matchActions:
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

program h6_app_limit section usdt//usr/bin/app:app:limit (248 instructions)
	; - path: "/usr/bin/app"
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
	r1 = r6
	call bpf_get_attach_cookie
	*(u64 *)(r10 - 128) = r0
	r1 = map[polc_usdt]
	r2 = r10
	r2 += -128
	call bpf_map_lookup_elem
	if r0 == 0x0 goto exit
	*(u64 *)(r10 - 128) = r0
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
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u8 *)(r5 + 0)
	if r1 == 0x0 goto usdt0_zero
	if r1 == 0x1 goto usdt0_const
	r3 = *(u16 *)(r5 + 4)
	if r3 > 0x1f8 goto usdt0_zero
	r3 += r6
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	if r0 != 0x0 goto usdt0_zero
	r7 = *(u64 *)(r10 - 16)
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u8 *)(r5 + 0)
	if r1 == 0x2 goto usdt0_size
	r1 = *(u64 *)(r5 + 8)
	r7 += r1
	r1 = *(u8 *)(r5 + 0)
	if r1 != 0x4 goto usdt_noindex
	*(u64 *)(r10 - 56) = r7
	r3 = *(u16 *)(r5 + 6)
	if r3 > 0x1f8 goto usdt0_zero
	r3 += r6
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	if r0 != 0x0 goto usdt0_zero
	r4 = *(u64 *)(r10 - 16)
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u8 *)(r5 + 3)
	r1 &= 3
	r4 <<= r1
	r7 = *(u64 *)(r10 - 56)
	r7 += r4
usdt_noindex:
	r3 = r7
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_user
	if r0 != 0x0 goto usdt0_zero
	r7 = *(u64 *)(r10 - 16)
	goto usdt0_size
usdt0_const:
	r7 = *(u64 *)(r5 + 8)
usdt0_size:
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u8 *)(r5 + 2)
	r1 &= 63
	r7 <<= r1
	r2 = *(u8 *)(r5 + 1)
	if r2 == 0x0 goto usdt0_unsigned
	r7 s>>= r1
	goto usdt0_done
usdt0_unsigned:
	r7 >>= r1
	goto usdt0_done
usdt0_zero:
	r7 = 0
usdt0_done:
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 40) = r7
	; - index: 2
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u8 *)(r5 + 32)
	if r1 == 0x0 goto usdt2_zero
	if r1 == 0x1 goto usdt2_const
	r3 = *(u16 *)(r5 + 36)
	if r3 > 0x1f8 goto usdt2_zero
	r3 += r6
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	if r0 != 0x0 goto usdt2_zero
	r7 = *(u64 *)(r10 - 16)
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u8 *)(r5 + 32)
	if r1 == 0x2 goto usdt2_size
	r1 = *(u64 *)(r5 + 40)
	r7 += r1
	r1 = *(u8 *)(r5 + 32)
	if r1 != 0x4 goto usdt_noindex.1
	*(u64 *)(r10 - 56) = r7
	r3 = *(u16 *)(r5 + 38)
	if r3 > 0x1f8 goto usdt2_zero
	r3 += r6
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	if r0 != 0x0 goto usdt2_zero
	r4 = *(u64 *)(r10 - 16)
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u8 *)(r5 + 35)
	r1 &= 3
	r4 <<= r1
	r7 = *(u64 *)(r10 - 56)
	r7 += r4
usdt_noindex.1:
	r3 = r7
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_user
	if r0 != 0x0 goto usdt2_zero
	r7 = *(u64 *)(r10 - 16)
	goto usdt2_size
usdt2_const:
	r7 = *(u64 *)(r5 + 40)
usdt2_size:
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u8 *)(r5 + 34)
	r1 &= 63
	r7 <<= r1
	r2 = *(u8 *)(r5 + 33)
	if r2 == 0x0 goto usdt2_unsigned
	r7 s>>= r1
	goto usdt2_done
usdt2_unsigned:
	r7 >>= r1
	goto usdt2_done
usdt2_zero:
	r7 = 0
usdt2_done:
	r7 <<= 32
	r7 s>>= 32
	*(u64 *)(r9 + 48) = r7
	; - matchActions:
sel0:
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 13
	; - action: Set
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u8 *)(r5 + 32)
	if r1 < 0x3 goto set_skip
	r3 = *(u16 *)(r5 + 36)
	if r3 > 0x1f8 goto set_skip
	r3 += r6
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	if r0 != 0x0 goto set_skip
	r7 = *(u64 *)(r10 - 16)
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u64 *)(r5 + 40)
	r7 += r1
	r1 = *(u8 *)(r5 + 32)
	if r1 != 0x4 goto usdt_noindex.2
	*(u64 *)(r10 - 56) = r7
	r3 = *(u16 *)(r5 + 38)
	if r3 > 0x1f8 goto set_skip
	r3 += r6
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	if r0 != 0x0 goto set_skip
	r4 = *(u64 *)(r10 - 16)
	r5 = *(u64 *)(r10 - 128)
	r1 = *(u8 *)(r5 + 35)
	r1 &= 3
	r4 <<= r1
	r7 = *(u64 *)(r10 - 56)
	r7 += r4
usdt_noindex.2:
	r5 = *(u64 *)(r10 - 128)
	r3 = *(u8 *)(r5 + 34)
	r1 = 64
	r1 -= r3
	r1 >>= 3
	r3 = r1
	if r3 < 0x1 goto set_skip
	if r3 > 0x8 goto set_skip
	r2 = 0x20 ll
	*(u64 *)(r10 - 48) = r2
	r1 = r7
	r2 = r10
	r2 += -48
	call bpf_probe_write_user
set_skip:
	r0 = 0
	; - matchActions:
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

program enforcer0_sys_kill section kprobe/__x64_sys_kill#7 (25 instructions)
	; - "sys_kill"
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
