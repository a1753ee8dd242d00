package bpf

import (
	"testing"
)

// FuzzParseManifest: any bytes decode into a manifest or an error, never a
// panic, and a manifest that decodes marshals and decodes again.
func FuzzParseManifest(f *testing.F) {
	if m, err := ReadManifest(BaseObject); err == nil {
		js, _ := m.Marshal()
		f.Add(js)
	}
	f.Add([]byte(`{"format":1,"policy":"p","hooks":[{"id":0,"kind":"kprobe","programs":[{"name":"x"}],"args":[{"encoding":200}]}]}`))
	f.Add([]byte(`{"format":1,"maps":[{"map":"m","entries":[{"key":"AAE=","value":null}]}]}` + "\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		js, err := m.Marshal()
		if err != nil {
			t.Fatalf("a parsed manifest does not marshal: %v", err)
		}
		if _, err := ParseManifest(js); err != nil {
			t.Fatalf("a marshalled manifest does not parse: %v\n%s", err, js)
		}
	})
}
