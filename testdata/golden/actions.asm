bundle actions not built:
# testdata/golden/actions.yaml:24:9: imaHash is reported on LSM hooks (lsmhooks), as Tetragon's process_lsm ima_hash: bpf_ima_file_hash is for sleepable BPF LSM programs, not kprobe hooks
# testdata/golden/actions.yaml:95:9: operator Equal on a sock argument is not supported
