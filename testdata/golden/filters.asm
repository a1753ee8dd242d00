bundle filters
map polc_events RingBuf key=0 value=0 max=8388608 pinned
map polc_procs Hash key=4 value=352 max=131072 pinned
map polc_drops PerCPUArray key=4 value=8 max=1 pinned
map polc_procs_gen Array key=4 value=8 max=1 pinned
map polc_proc_gens Array key=4 value=8 max=1024 pinned
map polc_rec PerCPUArray key=4 value=4512 max=1
map polc_ret_h0 Hash key=8 value=4152 max=32768 flags=0x1
map polc_counters PerCPUArray key=4 value=24 max=1
map polc_tmp PerCPUArray key=4 value=8520 max=1

program h0_security_file_open section kprobe/security_file_open (773 instructions)
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
	call bpf_get_current_task
	r7 = r0
	*(u64 *)(r10 - 72) = r7
	*(u64 *)(r10 - 80) = 0
	r1 = 65536
	r2 = &func[h0_walk1_pids]
	r3 = r10
	r3 += -72
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 80)
	if r1 == 0x0 goto sel0_proc_fail
	; - operator: NotIn
	call bpf_get_current_task
	r7 = r0
	*(u64 *)(r10 - 72) = r7
	*(u64 *)(r10 - 80) = 0
	r3 = r7
	r3 += 64	; CO-RE byte_off task_struct[0:8]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	*(u64 *)(r10 - 24) = r4
	r3 = r4
	r3 += 0	; CO-RE byte_off pid[0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r0 = *(u32 *)(r10 - 16)
	r0 *= 16	; CO-RE type_size upid[0]
	r4 = *(u64 *)(r10 - 24)
	r4 += r0
	r3 = r4
	r3 += 16	; CO-RE byte_off pid[0:1:0:1]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	*(u64 *)(r10 - 88) = r1
	r1 = 65536
	r2 = &func[h0_walk2_pids]
	r3 = r10
	r3 += -72
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 80)
	if r1 != 0x0 goto sel0_proc_fail
	*(u8 *)(r9 + 4504) = 1
	; - operator: Prefix
sel0_proc_fail:
	r1 = *(u32 *)(r9 + 4240)
	if r1 < 0x5 goto str_next
	r2 = r9
	r2 += 4248
	r1 = *(u32 *)(r2 + 0)
	if r1 != 0x7273752f goto str_next
	r1 = *(u8 *)(r2 + 4)
	if r1 != 0x2f goto str_next
	goto pass
str_next:
	r0 = 0
	goto sel1_proc_fail
	; - operator: NotPrefix
pass:
	r1 = *(u32 *)(r9 + 4240)
	if r1 < 0xb goto str_next.1
	r2 = r9
	r2 += 4248
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x636f6c2f7273752f ll
	if r1 != r3 goto str_next.1
	r1 = *(u16 *)(r2 + 8)
	if r1 != 0x6c61 goto str_next.1
	r1 = *(u8 *)(r2 + 10)
	if r1 != 0x2f goto str_next.1
	goto sel1_proc_fail
str_next.1:
	r0 = 0
	; - operator: Postfix
	r1 = *(u32 *)(r9 + 4240)
	if r1 < 0x2 goto str_next.2
	r2 = r9
	if r1 > 0xff goto str_next.2
	r2 += r1
	r2 += 4246
	r1 = *(u16 *)(r2 + 0)
	if r1 != 0x6873 goto str_next.2
	goto pass.1
str_next.2:
	r0 = 0
	goto sel1_proc_fail
	; - operator: NotPostfix
pass.1:
	r1 = *(u32 *)(r9 + 4240)
	if r1 < 0x4 goto str_next.3
	r2 = r9
	if r1 > 0xff goto str_next.3
	r2 += r1
	r2 += 4244
	r1 = *(u32 *)(r2 + 0)
	if r1 != 0x68737a2f goto str_next.3
	goto sel1_proc_fail
str_next.3:
	r0 = 0
	; - operator: In
	r1 = *(u32 *)(r9 + 4240)
	if r1 != 0xe goto str_next.4
	r2 = r9
	r2 += 4248
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6962732f7273752f ll
	if r1 != r3 goto str_next.4
	r1 = *(u32 *)(r2 + 8)
	if r1 != 0x73732f6e goto str_next.4
	r1 = *(u16 *)(r2 + 12)
	if r1 != 0x6468 goto str_next.4
	goto bin_not_found_pass
str_next.4:
	r0 = 0
bin_walk:
	r1 = *(u32 *)(r9 + 4156)
	if r1 == 0x0 goto sel1_proc_fail
	*(u64 *)(r10 - 72) = r1
	*(u64 *)(r10 - 80) = 0
	r1 = 65536
	r2 = &func[h0_walk3_binaries]
	r3 = r10
	r3 += -72
	r4 = 0
	call bpf_loop
	r1 = *(u64 *)(r10 - 80)
	if r1 == 0x0 goto sel1_proc_fail
bin_not_found_pass:
	r0 = 0
	; - operator: NotIn
	r1 = *(u32 *)(r9 + 4240)
	if r1 != 0xd goto str_next.5
	r2 = r9
	r2 += 4248
	r1 = *(u64 *)(r2 + 0)
	r3 = 0x6e69622f7273752f ll
	if r1 != r3 goto str_next.5
	r1 = *(u32 *)(r2 + 8)
	if r1 != 0x6475732f goto str_next.5
	r1 = *(u8 *)(r2 + 12)
	if r1 != 0x6f goto str_next.5
	goto sel1_proc_fail
str_next.5:
	r0 = 0
	*(u8 *)(r9 + 4505) = 1
	; - namespace: mnt
sel1_proc_fail:
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
	if r4 == r1 goto sel2_proc_fail
	; - namespace: Pid
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 64	; CO-RE byte_off task_struct[0:8]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r5 = r4
	*(u64 *)(r10 - 24) = r4
	r3 = r4
	r3 += 0	; CO-RE byte_off pid[0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r0 = *(u32 *)(r10 - 16)
	r0 *= 16	; CO-RE type_size upid[0]
	r4 = *(u64 *)(r10 - 24)
	r4 += r0
	r3 = r4
	r3 += 16	; CO-RE byte_off pid[0:1:0:1]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 0	; CO-RE byte_off pid_namespace[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	*(u64 *)(r10 - 48) = r4
	r1 = &var[polc_host_ns_pid]+0
	r1 = *(u32 *)(r1 + 0)
	if r4 == r1 goto pass.3
	r3 = 0xeffffffc ll
	if r4 == r3 goto pass.3
	goto sel2_proc_fail
	; - namespace: Net
pass.3:
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
	r3 += 32	; CO-RE byte_off nsproxy[0:4]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 0	; CO-RE byte_off net[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	*(u64 *)(r10 - 48) = r4
	r3 = 0xf0000000 ll
	if r4 == r3 goto sel2_proc_fail
	*(u8 *)(r9 + 4506) = 1
	; - type: Effective
sel2_proc_fail:
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 88	; CO-RE byte_off task_struct[0:11]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 56	; CO-RE byte_off cred[0:11]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = 0x202000 ll
	r4 &= r3
	if r4 == 0x0 goto sel3_proc_fail
	; - type: Permitted
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 88	; CO-RE byte_off task_struct[0:11]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 64	; CO-RE byte_off cred[0:12]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 12	; CO-RE byte_off user_namespace[0:3:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = &var[polc_host_ns_user]+0
	r1 = *(u32 *)(r1 + 0)
	if r4 == r1 goto sel3_proc_fail
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 88	; CO-RE byte_off task_struct[0:11]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 48	; CO-RE byte_off cred[0:10]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = 0x8000000000 ll
	r4 &= r3
	if r4 != 0x0 goto sel3_proc_fail
	; - operator: In
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
	r1 = *(u32 *)(r9 + 4184)
	if r1 == 0x0 goto ns_mnt_same
	if r1 != r4 goto ns_changed
ns_mnt_same:
	r0 = 0
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 88	; CO-RE byte_off task_struct[0:11]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 64	; CO-RE byte_off cred[0:12]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 12	; CO-RE byte_off user_namespace[0:3:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = *(u32 *)(r9 + 4212)
	if r1 == 0x0 goto ns_user_same
	if r1 != r4 goto ns_changed
ns_user_same:
	r0 = 0
	goto sel3_proc_fail
ns_changed:
	r0 = 0
	; - operator: NotIn
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
	r3 += 0	; CO-RE byte_off nsproxy[0:0]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 0	; CO-RE byte_off uts_namespace[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = *(u32 *)(r9 + 4176)
	if r1 == 0x0 goto ns_uts_same
	if r1 != r4 goto ns_changed.1
ns_uts_same:
	r0 = 0
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
	r3 += 8	; CO-RE byte_off nsproxy[0:1]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 0	; CO-RE byte_off ipc_namespace[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = *(u32 *)(r9 + 4180)
	if r1 == 0x0 goto ns_ipc_same
	if r1 != r4 goto ns_changed.1
ns_ipc_same:
	r0 = 0
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
	r1 = *(u32 *)(r9 + 4184)
	if r1 == 0x0 goto ns_mnt_same.1
	if r1 != r4 goto ns_changed.1
ns_mnt_same.1:
	r0 = 0
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 64	; CO-RE byte_off task_struct[0:8]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r5 = r4
	*(u64 *)(r10 - 24) = r4
	r3 = r4
	r3 += 0	; CO-RE byte_off pid[0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r0 = *(u32 *)(r10 - 16)
	r0 *= 16	; CO-RE type_size upid[0]
	r4 = *(u64 *)(r10 - 24)
	r4 += r0
	r3 = r4
	r3 += 16	; CO-RE byte_off pid[0:1:0:1]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 0	; CO-RE byte_off pid_namespace[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = *(u32 *)(r9 + 4188)
	if r1 == 0x0 goto ns_pid_same
	if r1 != r4 goto ns_changed.1
ns_pid_same:
	r0 = 0
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
	r3 += 24	; CO-RE byte_off nsproxy[0:3]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 0	; CO-RE byte_off pid_namespace[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = *(u32 *)(r9 + 4192)
	if r1 == 0x0 goto ns_pidforchildren_same
	if r1 != r4 goto ns_changed.1
ns_pidforchildren_same:
	r0 = 0
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
	r3 += 40	; CO-RE byte_off nsproxy[0:5]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 0	; CO-RE byte_off time_namespace[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = *(u32 *)(r9 + 4200)
	if r1 == 0x0 goto ns_time_same
	if r1 != r4 goto ns_changed.1
ns_time_same:
	r0 = 0
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
	r3 += 48	; CO-RE byte_off nsproxy[0:6]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 0	; CO-RE byte_off time_namespace[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = *(u32 *)(r9 + 4204)
	if r1 == 0x0 goto ns_timeforchildren_same
	if r1 != r4 goto ns_changed.1
ns_timeforchildren_same:
	r0 = 0
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
	r3 += 56	; CO-RE byte_off nsproxy[0:7]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 0	; CO-RE byte_off cgroup_namespace[0:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = *(u32 *)(r9 + 4208)
	if r1 == 0x0 goto ns_cgroup_same
	if r1 != r4 goto ns_changed.1
ns_cgroup_same:
	r0 = 0
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 88	; CO-RE byte_off task_struct[0:11]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 64	; CO-RE byte_off cred[0:12]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 12	; CO-RE byte_off user_namespace[0:3:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = *(u32 *)(r9 + 4212)
	if r1 == 0x0 goto ns_user_same.1
	if r1 != r4 goto ns_changed.1
ns_user_same.1:
	r0 = 0
	goto sel3_proc_fail
ns_changed.1:
	r0 = 0
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 88	; CO-RE byte_off task_struct[0:11]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 64	; CO-RE byte_off cred[0:12]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 12	; CO-RE byte_off user_namespace[0:3:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	r1 = &var[polc_host_ns_user]+0
	r1 = *(u32 *)(r1 + 0)
	if r4 == r1 goto sel3_proc_fail
	r1 = *(u32 *)(r9 + 4152)
	if r1 == 0x0 goto sel3_proc_fail
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 88	; CO-RE byte_off task_struct[0:11]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 56	; CO-RE byte_off cred[0:11]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r2 = *(u64 *)(r9 + 4224)
	r3 = 0x20 ll
	if r2 == r4 goto sel3_proc_fail
	r2 ^= r4
	r2 &= r3
	if r2 != 0x0 goto sel3_proc_fail
	; - type: Inheritable
	r1 = *(u32 *)(r9 + 4152)
	if r1 == 0x0 goto sel3_proc_fail
	call bpf_get_current_task
	r5 = r0
	r3 = r5
	r3 += 88	; CO-RE byte_off task_struct[0:11]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 40	; CO-RE byte_off cred[0:9]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r2 = *(u64 *)(r9 + 4232)
	r3 = 0x80 ll
	r2 ^= r4
	r2 &= r3
	if r2 == 0x0 goto sel3_proc_fail
	*(u8 *)(r9 + 4507) = 1
sel3_proc_fail:
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
	; - matchPIDs:
sel0:
	r1 = *(u8 *)(r9 + 4504)
	if r1 == 0x0 goto sel1
	*(u8 *)(r9 + 22) = 1
	*(u8 *)(r9 + 23) = 1
	goto post
	; - matchBinaries:
sel1:
	r1 = *(u8 *)(r9 + 4505)
	if r1 == 0x0 goto sel2
	*(u8 *)(r9 + 22) = 2
	*(u8 *)(r9 + 23) = 1
	goto post
	; - matchNamespaces:
sel2:
	r1 = *(u8 *)(r9 + 4506)
	if r1 == 0x0 goto sel3
	*(u8 *)(r9 + 22) = 3
	*(u8 *)(r9 + 23) = 1
	goto post
	; - matchCapabilities:
sel3:
	r1 = *(u8 *)(r9 + 4507)
	if r1 == 0x0 goto exit
	*(u8 *)(r9 + 22) = 4
	*(u8 *)(r9 + 23) = 1
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

program h0_security_file_open_ret section kretprobe/security_file_open (80 instructions)
	; - call: "security_file_open"
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
	; - matchPIDs:
	r1 = *(u8 *)(r9 + 22)
	if r1 != 0x1 goto ret_sel0_done
	; - operator: "NotEqual"
	r4 = *(u64 *)(r9 + 32)
	r4 <<= 32
	r4 s>>= 32
	*(u64 *)(r10 - 48) = r4
	if r4 == 0x0 goto drop
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
	r1 = map[polc_ret_h0]
	r2 = r10
	r2 += -40
	call bpf_map_delete_elem
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

func h0_walk1_pids (28 instructions)
	r6 = r2
	r7 = *(u64 *)(r6 + 0)
	if r7 == 0x0 goto stop
	r3 = r7
	r3 += 40	; CO-RE byte_off task_struct[0:5]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	if r4 == 0x0 goto stop
	*(u64 *)(r10 - 48) = r4
	if r4 == 0x7 goto found
	if r4 == 0x2a goto found
	r3 = r7
	r3 += 48	; CO-RE byte_off task_struct[0:6]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	if r1 == r7 goto stop
	*(u64 *)(r6 + 0) = r1
	r0 = 0
	exit
found:
	*(u64 *)(r6 - 8) = 1
stop:
	r0 = 1
	exit

func h0_walk2_pids (80 instructions)
	r6 = r2
	r7 = *(u64 *)(r6 + 0)
	if r7 == 0x0 goto stop
	r3 = r7
	r3 += 64	; CO-RE byte_off task_struct[0:8]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	*(u64 *)(r10 - 24) = r4
	r3 = r4
	r3 += 0	; CO-RE byte_off pid[0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r0 = *(u32 *)(r10 - 16)
	r0 *= 16	; CO-RE type_size upid[0]
	r4 = *(u64 *)(r10 - 24)
	r4 += r0
	r3 = r4
	r3 += 16	; CO-RE byte_off pid[0:1:0:1]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	r2 = *(u64 *)(r6 - 16)
	if r1 != r2 goto stop
	r3 = r7
	r3 += 56	; CO-RE byte_off task_struct[0:7]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	r3 = r4
	r3 += 64	; CO-RE byte_off task_struct[0:8]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r4 = *(u64 *)(r10 - 16)
	*(u64 *)(r10 - 24) = r4
	r3 = r4
	r3 += 0	; CO-RE byte_off pid[0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r0 = *(u32 *)(r10 - 16)
	r0 *= 16	; CO-RE type_size upid[0]
	r4 = *(u64 *)(r10 - 24)
	r4 += r0
	r3 = r4
	r3 += 8	; CO-RE byte_off pid[0:1:0:0]
	r1 = r10
	r1 += -16
	r2 = 4
	call bpf_probe_read_kernel
	r4 = *(u32 *)(r10 - 16)
	if r4 == 0x0 goto stop
	*(u64 *)(r10 - 48) = r4
	if r4 == 0x0 goto found
	if r4 == 0x1 goto found
	r3 = r7
	r3 += 48	; CO-RE byte_off task_struct[0:6]
	r1 = r10
	r1 += -16
	r2 = 8
	call bpf_probe_read_kernel
	r1 = *(u64 *)(r10 - 16)
	if r1 == r7 goto stop
	*(u64 *)(r6 + 0) = r1
	r0 = 0
	exit
found:
	*(u64 *)(r6 - 8) = 1
stop:
	r0 = 1
	exit

func h0_walk3_binaries (34 instructions)
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
