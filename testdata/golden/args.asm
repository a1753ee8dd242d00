bundle arg-types not built:
# testdata/golden/args.yaml:81:7: argument type auto (index 5 of raw_syscalls/sys_enter) is not supported yet
# testdata/golden/args.yaml:86:7: argument type data_loc (index 5 of irq/irq_handler_entry) is not supported yet
# testdata/golden/args.yaml:40:7: argument type filename (index 5 of strings_and_files) is not supported yet
# testdata/golden/args.yaml:41:7: argument type fd (index 6 of strings_and_files) is not supported yet
# testdata/golden/args.yaml:38:7: argument type char_iovec is not supported yet
# testdata/golden/args.yaml:62:7: argument type iov_iter (index 7 of kernel_objects) is not supported yet
# testdata/golden/args.yaml:65:7: argument type int32_arr (index 10 of kernel_objects) is not supported yet
