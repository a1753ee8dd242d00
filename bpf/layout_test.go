package bpf

import (
	"encoding/binary"
	"testing"
)

// The documented sizes are what programs and readers use; the Go structs
// must agree with them.
func TestLayoutSizes(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		want int
	}{
		{"Header", Header{}, HeaderSize},
		{"BytesHeader", BytesHeader{}, BytesHeaderSize},
		{"Sock", Sock{}, SockSize},
		{"Skb", Skb{}, SkbSize},
		{"Sockaddr", Sockaddr{}, SockaddrSize},
		{"Cred", Cred{}, CredSize},
		{"UserNamespace", UserNamespace{}, UserNamespaceSize},
		{"BpfAttr", BpfAttr{}, BpfAttrSize},
		{"BpfMap", BpfMap{}, BpfMapSize},
		{"PerfEvent", PerfEvent{}, PerfEventSize},
		{"BpfProg", BpfProg{}, BpfProgSize},
		{"Proc", Proc{}, ProcSize},
		{"ProcEvent", ProcEvent{}, ProcEventSize},
	} {
		if got := binary.Size(tc.v); got != tc.want {
			t.Errorf("%s: binary size %d, documented %d", tc.name, got, tc.want)
		}
		if tc.want%8 != 0 {
			t.Errorf("%s: size %d is not a multiple of 8", tc.name, tc.want)
		}
	}
}

func TestManifestRoundTrip(t *testing.T) {
	m := &Manifest{Format: ManifestFormat, Policy: "p", Features: []string{FeatureRingbuf, FeatureKprobe},
		Hooks: []Hook{{ID: 0, Kind: "kprobe", Target: "fd_install", Programs: []Program{{Name: "p0", Section: "kprobe/fd_install", Attach: "kprobe"}},
			Args: []Arg{{Slot: 0, Type: "file", Encoding: EncBytes, MaxBytes: 4096}}}}}
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseManifest(append(data, 0, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if back.Features[0] != FeatureKprobe || back.Hooks[0].Args[0].Encoding != EncBytes {
		t.Errorf("round trip: %+v", back)
	}
	m.Format = 99
	data, _ = m.Marshal()
	if _, err := ParseManifest(data); err == nil {
		t.Error("format 99 accepted")
	}
}
