bundle actions not built:
# imaHash is reported on LSM hooks (lsmhooks), as Tetragon's process_lsm ima_hash: bpf_ima_file_hash is for sleepable BPF LSM programs, not kprobe hooks
# operator Equal on a sock argument is not supported
