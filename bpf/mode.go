package bpf

import "fmt"

// Policy modes (Tetragon's spec.options policy-mode). In monitor mode a
// policy's enforcement actions (Sigkill, Signal, Override, NotifyEnforcer)
// are not carried out; its events still report them. A bundle whose policy
// has enforcement actions declares ModeMap and names its default mode in
// Manifest.Mode; a bundle without any has neither, and is "monitor only":
// no mode can make it enforce anything.
const (
	ModeEnforce = "enforce"
	ModeMonitor = "monitor"
	// ModeMonitorOnly is how polrun reports a policy without enforcement
	// actions (Tetragon's name for it). It is not a mode one can set.
	ModeMonitorOnly = "monitor_only"
)

// ModeMap is the policy's mode: an array of one uint32 (key 0, uint32),
// pinned with the policy's other maps (maps/polc_mode), which the
// programs read right before an enforcement action, so that polrun can
// switch a loaded policy between modes without reloading it. Its value is
// one of the ModeValue constants; ModeUnset (the value of a map nobody
// wrote, as when another loader than polrun loads the bundle) means the
// bundle's default, which the programs have compiled in.
const ModeMap = "polc_mode"

// Values of ModeMap's entry.
const (
	ModeUnset        uint32 = 0
	ModeValueEnforce uint32 = 1
	ModeValueMonitor uint32 = 2
)

// ModeValue returns the ModeMap value of a mode name.
func ModeValue(mode string) (uint32, error) {
	switch mode {
	case ModeEnforce:
		return ModeValueEnforce, nil
	case ModeMonitor:
		return ModeValueMonitor, nil
	}
	return 0, fmt.Errorf("invalid mode %q: the modes are %q and %q", mode, ModeEnforce, ModeMonitor)
}

// ModeName returns the mode a ModeMap value means, def (the manifest's
// Mode) for ModeUnset.
func ModeName(v uint32, def string) (string, error) {
	switch v {
	case ModeUnset:
		return def, nil
	case ModeValueEnforce:
		return ModeEnforce, nil
	case ModeValueMonitor:
		return ModeMonitor, nil
	}
	return "", fmt.Errorf("%s holds %d, which is no mode", ModeMap, v)
}
