bundle lists not built:
# testdata/golden/lists.yaml:21:7: spec.enforcers is not supported yet
# testdata/golden/lists.yaml:52:9: action NotifyEnforcer is not supported yet
