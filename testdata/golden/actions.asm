bundle actions not built:
# testdata/golden/actions.yaml:10:7: spec.enforcers is not supported yet
# testdata/golden/actions.yaml:21:9: action FollowFD is not supported yet
# testdata/golden/actions.yaml:24:9: Post with kernelStackTrace or userStackTrace is not supported yet
# testdata/golden/actions.yaml:24:9: Post with imaHash is not supported yet
# testdata/golden/actions.yaml:37:9: action UnfollowFD is not supported yet
# testdata/golden/actions.yaml:53:9: action CopyFD is not supported yet
# testdata/golden/actions.yaml:75:9: action Override is not supported yet
# testdata/golden/actions.yaml:77:9: action NotifyEnforcer is not supported yet
# testdata/golden/actions.yaml:81:9: action CleanupEnforcerNotification is not supported yet
# testdata/golden/actions.yaml:82:5: returnArgAction TrackSock is not supported yet
# testdata/golden/actions.yaml:95:9: operator Equal on a sock argument is not supported
# testdata/golden/actions.yaml:110:9: action UntrackSock is not supported yet
# testdata/golden/actions.yaml:113:9: action TrackSock is not supported yet
# testdata/golden/actions.yaml:115:5: USDT probes (/usr/bin/app app:limit) are not supported yet
