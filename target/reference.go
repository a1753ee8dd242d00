package target

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/arch"
)

// The reference kernel types: what polc types resolve paths and btfType
// against when a build has no target (--target, --target-btf). Tetragon
// resolves them against the running kernel's BTF when it loads a policy;
// polc compiles ahead of time, so it needs the types at build time. The
// reference gives the path's shape (which members are pointers followed,
// which structs are stepped into, an integer's size), and the programs
// read every member through CO-RE relocations, so the offsets are the
// running kernel's, wherever its members are; a member the running kernel
// lacks fails the load, naming it.
//
// Only type lookups for resolve and btfType use the reference: whether a
// function or tracepoint exists, list expansion and tracepoint formats
// are still decided by a target alone.
//
// The blob is the BTF of the Debian 6.12 profile
// (testdata/targets/debian-6.12.tar.gz), pruned to the types a policy can
// resolve from: function prototypes (kprobes, LSM hooks), raw tracepoint
// prototypes (btf_trace_*) and named structs and unions (btfType,
// current_task), with the types they reach; variables, data sections and
// the rest are dropped. PruneReference makes it;
// TestReferenceUpToDate checks it and rewrites it with -update.

// ReferenceRelease is the release of the reference kernel.
const ReferenceRelease = "6.12.117+deb12-amd64"

//go:embed reference.btf.gz
var referenceGz []byte

var (
	refOnce    sync.Once
	refProfile *Profile
	refErr     error
)

// Reference is the reference kernel's types as a profile holding BTF
// alone, for arch a. The types of the generic kernel structs and
// functions polc resolves through are the same on x86_64 and arm64 (the
// same C declarations, LP64 on both): only member offsets differ, and
// those come from the running kernel through CO-RE. Arch-specific
// structs (pt_regs, thread_struct) differ; a path through them fails at
// load on the other arch, naming the member.
func Reference(a arch.Arch) (*Profile, error) {
	refOnce.Do(func() {
		r, err := gzip.NewReader(bytes.NewReader(referenceGz))
		if err != nil {
			refErr = fmt.Errorf("reference kernel types: %w", err)
			return
		}
		raw, err := io.ReadAll(r)
		if err != nil {
			refErr = fmt.Errorf("reference kernel types: %w", err)
			return
		}
		refProfile = &Profile{Release: ReferenceRelease, Arch: arch.X86_64, BTF: raw, reference: true}
		if _, err := refProfile.Spec(); err != nil {
			refErr = fmt.Errorf("reference kernel types: %w", err)
		}
	})
	if refErr != nil {
		return nil, refErr
	}
	if a == "" || a == arch.X86_64 {
		return refProfile, nil
	}
	if err := checkArch(a); err != nil {
		return nil, err
	}
	spec, _ := refProfile.Spec()
	// Another arch: the same types, named for it. Profiles are not copied
	// once queried, so make a new one over the same BTF.
	p := &Profile{Release: ReferenceRelease, Arch: a, BTF: refProfile.BTF, reference: true}
	p.once.Do(func() { p.spec = spec })
	return p, nil
}

// PruneReference keeps of the kernel BTF raw the types a policy can
// resolve from (see Reference) and what they reach, and returns it as raw
// BTF.
func PruneReference(raw []byte) ([]byte, error) {
	spec, err := btf.LoadSpecFromReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	var b btf.Builder
	for t, err := range spec.All() {
		if err != nil {
			return nil, err
		}
		keep := false
		switch x := t.(type) {
		case *btf.Func:
			keep = true
		case *btf.Typedef:
			keep = strings.HasPrefix(x.Name, "btf_trace_")
		case *btf.Struct, *btf.Union:
			keep = t.TypeName() != ""
		}
		if keep {
			if _, err := b.Add(t); err != nil {
				return nil, err
			}
		}
	}
	return b.Marshal(nil, &btf.MarshalOptions{Order: binary.LittleEndian})
}
