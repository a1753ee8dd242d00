bundle namespaced not built:
# testdata/golden/namespaced.yaml:3:1: spec.loader (Tetragon's loader sensor, reporting executable mappings) is not supported yet
