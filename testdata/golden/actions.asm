bundle actions not built:
# testdata/golden/actions.yaml:24:9: Post with imaHash is not supported yet
# testdata/golden/actions.yaml:95:9: operator Equal on a sock argument is not supported
