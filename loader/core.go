package loader

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// Members the kernel lacks. A bundle reads kernel struct members (resolve
// paths, btfType, the fields of known structs) through CO-RE relocations
// against types polc took from a target profile, or from its reference
// kernel when built without one; the loading kernel relocates them to its
// own offsets. A member this kernel does not have poisons the instruction
// that reads it, and the verifier then refuses the program with "bad CO-RE
// relocation", which does not say what is missing: missingMembers does.

// coreRelo matches how cilium/ebpf prints a relocation: its accessor
// and the ID of its local type, Struct:"task_struct"[0:2], local_id=4.
var coreRelo = regexp.MustCompile(`\[([0-9:]+)\], local_id=(\d+)\)$`)

// missingMembers names the members program prog reads through CO-RE that
// the kernel's types (kernel; nil: the running kernel's) cannot relocate;
// local are the bundle's types. Nil if it cannot tell.
func missingMembers(prog *ebpf.ProgramSpec, local, kernel *btf.Spec) []string {
	if prog == nil {
		return nil
	}
	if kernel == nil {
		var err error
		if kernel, err = btf.LoadKernelSpec(); err != nil {
			return nil
		}
	}
	var missing []string
	seen := map[string]bool{}
	for i := range prog.Instructions {
		relo := btf.CORERelocationMetadata(&prog.Instructions[i])
		if relo == nil {
			continue
		}
		fixups, err := btf.CORERelocate([]*btf.CORERelocation{relo}, []*btf.Spec{kernel}, binary.LittleEndian,
			func(btf.Type) (btf.TypeID, error) { return 0, nil })
		if err != nil || len(fixups) != 1 || !strings.HasSuffix(fixups[0].String(), "=poison") {
			continue
		}
		name := describeRelocation(relo.String(), local)
		if !seen[name] {
			seen[name] = true
			missing = append(missing, name)
		}
	}
	return missing
}

// describeRelocation is "member mm.owner of struct task_struct" for a
// relocation of a member of a local struct, else cilium/ebpf's
// description s.
func describeRelocation(s string, local *btf.Spec) string {
	m := coreRelo.FindStringSubmatch(s)
	if m == nil || local == nil {
		return s
	}
	id, err := strconv.Atoi(m[2])
	if err != nil {
		return s
	}
	root, err := local.TypeByID(btf.TypeID(id))
	if err != nil {
		return s
	}
	acc := strings.Split(m[1], ":")
	var path []string
	t := root
	for _, a := range acc[1:] {
		i, err := strconv.Atoi(a)
		if err != nil {
			return s
		}
		var members []btf.Member
		switch u := btf.UnderlyingType(t).(type) {
		case *btf.Struct:
			members = u.Members
		case *btf.Union:
			members = u.Members
		default:
			return s
		}
		if i < 0 || i >= len(members) {
			return s
		}
		path = append(path, members[i].Name)
		t = members[i].Type
	}
	what := root.TypeName()
	switch root.(type) {
	case *btf.Struct:
		what = "struct " + what
	case *btf.Union:
		what = "union " + what
	}
	if len(path) == 0 {
		return what
	}
	return fmt.Sprintf("member %s of %s", strings.Join(path, "."), what)
}
