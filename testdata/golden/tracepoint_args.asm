bundle tracepoint-args not built:
# field 1 of raw_syscalls/sys_enter is a common field (common_type, common_flags, common_preempt_count, common_pid), which programs cannot read
