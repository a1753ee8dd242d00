bundle tracepoint-args not built:
# testdata/golden/tracepoint_args.yaml:29:7: field 1 of raw_syscalls/sys_enter is a common field (common_type, common_flags, common_preempt_count, common_pid), which programs cannot read
