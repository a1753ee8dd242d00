package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bundle"
)

// elfMagic starts every bundle: polc dump and polc diff take a file that
// starts with it for a compiled bundle, any other for a policy.
var elfMagic = []byte("\x7fELF")

// isBundleFile reports whether path names a regular file starting with the
// ELF magic. A file that cannot be read is not one: reading it as a policy
// then reports why.
func isBundleFile(path string) bool {
	if path == "-" {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	head := make([]byte, len(elfMagic))
	n, _ := io.ReadFull(f, head)
	return bytes.Equal(head[:n], elfMagic)
}

// bundleDump is what polc dump prints of a compiled bundle: its manifest
// (without positions unless pos), its maps, and each program disassembled.
// A bundle carries no IR: that is the policy's (polc dump POLICY).
type bundleDump struct {
	policy string
	text   string
	sizes  map[string]int // instructions per program
}

func dumpBundleFile(path string, pos bool) (*bundleDump, error) {
	data, err := bundle.ReadFile(path, bundle.ReadFileOptions{Max: bundle.MaxSize})
	if err != nil {
		return nil, err
	}
	d, err := dumpBundle(data, pos)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

func dumpBundle(data []byte, pos bool) (*bundleDump, error) {
	info, err := bundle.Inspect(data, nil, nil)
	if err != nil {
		return nil, err
	}
	if info.ObjectError != "" {
		return nil, fmt.Errorf("%s", info.ObjectError)
	}
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read BPF object: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "bundle %s\n", info.Policy)
	if !info.Hashes.ObjectOK {
		fmt.Fprintf(&b, "# MODIFIED after it was built: its sections hash to %s, the manifest says %s\n",
			info.Hashes.ObjectActual, info.Hashes.Object)
	}
	manifest, err := manifestText(info.Manifest, pos)
	if err != nil {
		return nil, err
	}
	b.WriteString("manifest ")
	b.WriteString(manifest)
	b.WriteString("\n")

	mapNames := make([]string, 0, len(spec.Maps))
	for name := range spec.Maps {
		mapNames = append(mapNames, name)
	}
	sort.Strings(mapNames)
	for _, name := range mapNames {
		m := spec.Maps[name]
		fmt.Fprintf(&b, "map %s %s key=%d value=%d max=%d", name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries)
		if m.Flags != 0 {
			fmt.Fprintf(&b, " flags=%#x", m.Flags)
		}
		b.WriteString("\n")
	}

	d := &bundleDump{policy: info.Policy, sizes: map[string]int{}}
	progNames := make([]string, 0, len(spec.Programs))
	for name := range spec.Programs {
		progNames = append(progNames, name)
	}
	sort.Strings(progNames)
	for _, name := range progNames {
		p := spec.Programs[name]
		n := int(p.Instructions.Size() / 8)
		d.sizes[name] = n
		fmt.Fprintf(&b, "\nprogram %s section %s (%d instructions)\n", name, p.SectionName, n)
		fmt.Fprintf(&b, "%v", p.Instructions)
	}
	d.text = b.String()
	return d, nil
}

// manifestText is the manifest as indented JSON, without the policy
// positions of hooks and selectors unless pos: they change when a line is
// added above the policy, which is not a change of the bundle's programs.
func manifestText(m any, pos bool) (string, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	if !pos {
		v = dropKey(v, "pos")
	}
	out, err := json.MarshalIndent(v, "", "  ")
	return string(out), err
}

func dropKey(v any, key string) any {
	switch v := v.(type) {
	case map[string]any:
		delete(v, key)
		for k, e := range v {
			v[k] = dropKey(e, key)
		}
	case []any:
		for i, e := range v {
			v[i] = dropKey(e, key)
		}
	}
	return v
}
