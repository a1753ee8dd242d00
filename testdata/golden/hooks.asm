bundle hooks not built:
# testdata/golden/hooks.yaml:27:7: field parent_comm of sched/sched_process_fork is "char[16]", not a number or a pointer: read it as string, data_loc, char_buf or const_buf
# testdata/golden/hooks.yaml:36:5: uprobe offsets and reference counter offsets (/usr/bin/bash) are not supported yet
# testdata/golden/hooks.yaml:56:5: USDT probes (/usr/sbin/nginx nginx:request_start) are not supported yet
