bundle parent-binaries
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=4520 max=1
map polc_verdicts PerCPUArray key=4 value=32 max=1
map m_spfx_0 LPMTrie key=12 value=1 max=6 flags=0x1
map polc_mode Array key=4 value=4 max=1
map polc_counters PerCPUArray key=4 value=24 max=1
map polc_tmp PerCPUArray key=4 value=8520 max=1

program h0_sys_execve section kprobe/__x64_sys_execve (400 instructions)
	; - call: "sys_execve"
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
	*(u64 *)(r10 - 56) = 0
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_procs_gen]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto verdict_compute
	r1 = *(u64 *)(r0 + 0)
	*(u64 *)(r10 - 56) = r1
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_verdicts]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto verdict_compute
	r7 = r0
	r1 = *(u32 *)(r7 + 4)
	if r1 != 0x1 goto verdict_compute
	r1 = *(u32 *)(r7 + 0)
	r2 = *(u64 *)(r10 - 40)
	r2 >>= 32
	if r1 != r2 goto verdict_compute
	r2 = *(u64 *)(r10 - 56)
	r1 = *(u64 *)(r7 + 8)
	if r1 != r2 goto verdict_compute
	r2 = 0
	r1 = *(u64 *)(r7 + 24)
	*(u64 *)(r9 + 4512) = r1
	r2 |= r1
	if r2 == 0x0 goto exit
	goto verdict_decide
verdict_compute:
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	r3 = r0
	r1 = r9
	r1 += 4160
	r2 = 352
	call bpf_probe_read_kernel
	*(u64 *)(r9 + 4512) = 0
	; - operator: In
	r1 = *(u32 *)(r9 + 4248)
	if r1 != 0xd goto str_next
	r2 = r9
	r2 += 4256
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6e69622f7273752f ll
	if r1 != r3 goto str_next
	r1 = *(u32 *)(r2 + 8)
	if r1 != 0x7275632f goto str_next
	r1 = *(u8 *)(r2 + 12)
	if r1 != 0x6c goto str_next
	goto pass
str_next:
	r0 = 0
	goto sel0_proc_fail
	; - operator: NotIn
pass:
	r1 = *(u32 *)(r9 + 4164)
	if r1 == 0x0 goto sel0_proc_fail
	*(u64 *)(r10 - 72) = r1
	*(u64 *)(r10 - 80) = 0
	*(u64 *)(r10 - 88) = 0
	r1 = 65536
	r2 = &func[h0_walk1_parent_binaries]
	r3 = r10
	r3 += -72
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 88)
	if r1 == 0x0 goto sel0_proc_fail
	r1 = *(u64 *)(r10 - 80)
	if r1 != 0x0 goto sel0_proc_fail
	*(u8 *)(r9 + 4512) = 1
	; - operator: In
sel0_proc_fail:
	r1 = *(u32 *)(r9 + 4164)
	if r1 == 0x0 goto sel1_proc_fail
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto sel1_proc_fail
	r8 = r0
	r1 = *(u32 *)(r8 + 88)
	if r1 != 0x7 goto str_next.1
	r2 = r8
	r2 += 96
	r1 = *(u32 *)(r2 + 0)
	if r1 != 0x6e69622f goto str_next.1
	r1 = *(u16 *)(r2 + 4)
	if r1 != 0x732f goto str_next.1
	r1 = *(u8 *)(r2 + 6)
	if r1 != 0x68 goto str_next.1
	goto pass.1
str_next.1:
	r0 = 0
	r1 = *(u32 *)(r8 + 88)
	if r1 != 0xd goto str_next.2
	r2 = r8
	r2 += 96
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6e69622f7273752f ll
	if r1 != r3 goto str_next.2
	r1 = *(u32 *)(r2 + 8)
	if r1 != 0x7361622f goto str_next.2
	r1 = *(u8 *)(r2 + 12)
	if r1 != 0x68 goto str_next.2
	goto pass.1
str_next.2:
	r0 = 0
	goto sel1_proc_fail
pass.1:
	*(u8 *)(r9 + 4513) = 1
	; - operator: Prefix
sel1_proc_fail:
	r1 = *(u32 *)(r9 + 4164)
	if r1 == 0x0 goto sel2_proc_fail
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto sel2_proc_fail
	r8 = r0
	*(u64 *)(r10 - 56) = r8
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_tmp]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto set_miss
	r7 = r0
	r1 = r7
	r1 += 4420
	r2 = 8
	r3 = 0
	call bpf_probe_read_kernel
	r8 = *(u64 *)(r10 - 56)
	r2 = *(u32 *)(r8 + 88)
	if r2 <= 0x8 goto key_fits
	r2 = 8
key_fits:
	r1 = r2
	r1 <<= 3
	*(u32 *)(r7 + 4416) = r1
	r1 = r7
	r1 += 4420
	r3 = r8
	r3 += 96
	call bpf_probe_read_kernel
	r1 = map[m_spfx_0]
	r2 = r7
	r2 += 4416
	call bpf_map_lookup_elem
	if r0 != 0x0 goto pass.2
set_miss:
	r0 = 0
	goto sel2_proc_fail
pass.2:
	*(u8 *)(r9 + 4514) = 1
	; - operator: NotPrefix
sel2_proc_fail:
	r1 = *(u32 *)(r9 + 4164)
	if r1 == 0x0 goto sel3_proc_fail
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto sel3_proc_fail
	r8 = r0
	r1 = *(u32 *)(r8 + 88)
	if r1 < 0x5 goto str_next.3
	r2 = r8
	r2 += 96
	r1 = *(u32 *)(r2 + 0)
	if r1 != 0x7273752f goto str_next.3
	r1 = *(u8 *)(r2 + 4)
	if r1 != 0x2f goto str_next.3
	goto sel3_proc_fail
str_next.3:
	r0 = 0
	*(u8 *)(r9 + 4515) = 1
	; - operator: Postfix
sel3_proc_fail:
	r1 = *(u32 *)(r9 + 4164)
	if r1 == 0x0 goto sel4_proc_fail
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto sel4_proc_fail
	r8 = r0
	r1 = *(u32 *)(r8 + 88)
	if r1 < 0x5 goto str_next.4
	r2 = r8
	if r1 > 0xff goto str_next.4
	r2 += r1
	r2 += 91
	r1 = *(u32 *)(r2 + 0)
	if r1 != 0x646f6e2f goto str_next.4
	r1 = *(u8 *)(r2 + 4)
	if r1 != 0x65 goto str_next.4
	goto pass.3
str_next.4:
	r0 = 0
	goto sel4_proc_fail
pass.3:
	*(u8 *)(r9 + 4516) = 1
	; - operator: NotPostfix
sel4_proc_fail:
	r1 = *(u32 *)(r9 + 4164)
	if r1 == 0x0 goto sel5_proc_fail
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto sel5_proc_fail
	r8 = r0
	r1 = *(u32 *)(r8 + 88)
	if r1 < 0x2 goto str_next.5
	r2 = r8
	if r1 > 0xff goto str_next.5
	r2 += r1
	r2 += 94
	r1 = *(u16 *)(r2 + 0)
	if r1 != 0x6873 goto str_next.5
	goto sel5_proc_fail
str_next.5:
	r0 = 0
	; - operator: In
	r1 = *(u32 *)(r9 + 4164)
	if r1 == 0x0 goto sel5_proc_fail
	*(u64 *)(r10 - 72) = r1
	*(u64 *)(r10 - 80) = 0
	*(u64 *)(r10 - 88) = 0
	r1 = 65536
	r2 = &func[h0_walk2_parent_binaries]
	r3 = r10
	r3 += -72
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 88)
	if r1 == 0x0 goto sel5_proc_fail
	r1 = *(u64 *)(r10 - 80)
	if r1 == 0x0 goto sel5_proc_fail
	*(u8 *)(r9 + 4517) = 1
sel5_proc_fail:
	*(u32 *)(r10 - 8) = 0
	r1 = map[polc_verdicts]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto verdict_decide
	r1 = *(u64 *)(r9 + 4512)
	*(u64 *)(r0 + 24) = r1
	r1 = *(u64 *)(r10 - 40)
	r1 >>= 32
	*(u32 *)(r0 + 0) = r1
	r1 = *(u64 *)(r10 - 56)
	*(u64 *)(r0 + 8) = r1
	*(u32 *)(r0 + 4) = 1
verdict_decide:
	r0 = 0
	r2 = 0
	r1 = *(u64 *)(r9 + 4512)
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
	r4 = *(u64 *)(r10 - 32)
	r3 = r4
	r3 += 112
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
	; - matchBinaries:
sel0:
	r1 = *(u8 *)(r9 + 4512)
	if r1 == 0x0 goto sel1
	*(u8 *)(r9 + 22) = 1
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
counted:
	goto post
	; - matchParentBinaries:
sel1:
	r1 = *(u8 *)(r9 + 4513)
	if r1 == 0x0 goto sel2
	*(u8 *)(r9 + 22) = 2
	*(u8 *)(r9 + 23) = 1
	goto post
sel2:
	r1 = *(u8 *)(r9 + 4514)
	if r1 == 0x0 goto sel3
	*(u8 *)(r9 + 22) = 3
	*(u8 *)(r9 + 23) = 1
	goto post
sel3:
	r1 = *(u8 *)(r9 + 4515)
	if r1 == 0x0 goto sel4
	*(u8 *)(r9 + 22) = 4
	*(u8 *)(r9 + 23) = 1
	goto post
sel4:
	r1 = *(u8 *)(r9 + 4516)
	if r1 == 0x0 goto sel5
	*(u8 *)(r9 + 22) = 5
	*(u8 *)(r9 + 23) = 1
	goto post
sel5:
	r1 = *(u8 *)(r9 + 4517)
	if r1 == 0x0 goto exit
	*(u8 *)(r9 + 22) = 6
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
	if r3 <= 0x1008 goto padded_0
	r3 = 4104
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

func h0_walk1_parent_binaries (35 instructions)
	r6 = r2
	r1 = *(u64 *)(r6 + 0)
	if r1 == 0x0 goto stop
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto stop
	r9 = r0
	*(u64 *)(r6 - 16) = 1
	r1 = *(u32 *)(r9 + 4)
	r2 = *(u64 *)(r6 + 0)
	if r1 != r2 goto has_parent
	r1 = 0
has_parent:
	*(u64 *)(r6 + 0) = r1
	r1 = *(u32 *)(r9 + 88)
	if r1 != 0xe goto str_next
	r2 = r9
	r2 += 96
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6962732f7273752f ll
	if r1 != r3 goto str_next
	r1 = *(u32 *)(r2 + 8)
	if r1 != 0x73732f6e goto str_next
	r1 = *(u16 *)(r2 + 12)
	if r1 != 0x6468 goto str_next
	goto pass
str_next:
	r0 = 0
	goto next
pass:
	*(u64 *)(r6 - 8) = 1
stop:
	r0 = 1
	exit
next:
	r0 = 0
	exit

func h0_walk2_parent_binaries (37 instructions)
	r6 = r2
	r1 = *(u64 *)(r6 + 0)
	if r1 == 0x0 goto stop
	*(u32 *)(r10 - 8) = r1
	r1 = map[polc_procs]
	r2 = r10
	r2 += -8
	call bpf_map_lookup_elem
	if r0 == 0x0 goto stop
	r9 = r0
	*(u64 *)(r6 - 16) = 1
	r1 = *(u32 *)(r9 + 4)
	r2 = *(u64 *)(r6 + 0)
	if r1 != r2 goto has_parent
	r1 = 0
has_parent:
	*(u64 *)(r6 + 0) = r1
	r1 = *(u32 *)(r9 + 88)
	if r1 != 0x18 goto str_next
	r2 = r9
	r2 += 96
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6e69622f7273752f ll
	if r1 != r3 goto str_next
	r1 = *(u64 *)(r2 + 8)
	r3 = 0x6e6961746e6f632f ll
	if r1 != r3 goto str_next
	r1 = *(u64 *)(r2 + 16)
	r3 = 0x6d6968732d647265 ll
	if r1 != r3 goto str_next
	goto pass
str_next:
	r0 = 0
	goto next
pass:
	*(u64 *)(r6 - 8) = 1
stop:
	r0 = 1
	exit
next:
	r0 = 0
	exit
