bundle arg-types not built:
# tracepoint irq/irq_handler_entry: its fields can only be located from the kernel's format: build with --target, a profile of the kernel it will run on (polrun profile -o FILE)
# resolve "mm.owner.real_parent.comm" on argument 0 of resolved: the reference kernel 6.12.117+deb12-amd64 has no function bpf_lsm_resolved in its BTF: not found
