bundle buffers not built:
# testdata/golden/buffers.yaml:37:7: maxData (up to 327360 bytes) does not fit the 32768 bytes of scratch space a program builds its record in: not supported yet
