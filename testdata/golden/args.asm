bundle arg-types not built:
# testdata/golden/args.yaml:80:5: tracepoint irq/irq_handler_entry: its fields can only be located from the kernel's format: build with --target, a profile of the kernel it will run on (polrun profile -o FILE)
# testdata/golden/args.yaml:38:7: maxData is for char_buf and iov_iter arguments, not char_iovec
# testdata/golden/args.yaml:67:7: resolve "mm.owner.real_parent.comm" on argument 0 of resolved: following members needs the kernel's types: build with --target, a profile of the kernel it will run on (polc never reads the build machine's kernel)
# testdata/golden/args.yaml:70:7: resolve "f_path.dentry" on argument 1 of resolved: following members needs the kernel's types: build with --target, a profile of the kernel it will run on (polc never reads the build machine's kernel)
