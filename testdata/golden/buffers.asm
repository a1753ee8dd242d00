bundle buffers not built:
# testdata/golden/buffers.yaml:31:7: argument type char_iovec is not supported yet
