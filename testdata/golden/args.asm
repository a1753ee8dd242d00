bundle arg-types not built:
# tracepoint irq/irq_handler_entry: its fields can only be located from the kernel's format: build with --target, a profile of the kernel it will run on (polrun profile -o FILE)
# resolve "mm.owner.real_parent.comm" on argument 0 of resolved: following members needs the kernel's types: build with --target, a profile of the kernel it will run on (polc never reads the build machine's kernel)
# resolve "f_path.dentry" on argument 1 of resolved: following members needs the kernel's types: build with --target, a profile of the kernel it will run on (polc never reads the build machine's kernel)
