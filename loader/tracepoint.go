package loader

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/bpf"
)

// tracepointName is SUBSYS/EVENT as tracefs names them; nothing else is
// turned into a path.
var tracepointName = regexp.MustCompile(`^[A-Za-z0-9_]+/[A-Za-z0-9_]+$`)

// checkTracepointFields compares the fields a hook's programs read with the
// running kernel's format of the tracepoint, and refuses, naming the field,
// on any difference.
func checkTracepointFields(h bpf.Hook) error {
	if len(h.TracepointFields) == 0 {
		return nil
	}
	if !tracepointName.MatchString(h.Target) {
		return fmt.Errorf("%w: hook %d: tracepoint %q is not SUBSYS/EVENT", ErrBadBundle, h.ID, h.Target)
	}
	if err := ensureTracefs(); err != nil {
		return err
	}
	path := filepath.Join(tracefsDir, "events", h.Target, "format")
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("tracepoint %s: %w", h.Target, err)
	}
	defer f.Close()
	fields, err := parseFormat(f)
	if err != nil {
		return fmt.Errorf("tracepoint %s: %w", h.Target, err)
	}
	for _, want := range h.TracepointFields {
		got, ok := fields[fieldBase(want.Name)]
		if !ok {
			return &TracepointFieldError{Tracepoint: h.Target, Field: want.Name, Want: want}
		}
		if got.Size != want.Size || got.Signed != want.Signed || want.Struct == "" && got.Offset != want.Offset {
			return &TracepointFieldError{Tracepoint: h.Target, Field: want.Name, Want: want, Got: &got}
		}
		if want.Struct == "" {
			continue
		}
		// Read through CO-RE: the kernel's struct must put the member
		// where the format has the field.
		off, err := kernelMemberOffset(want.Struct, want.Member)
		if err != nil {
			return &TracepointFieldError{Tracepoint: h.Target, Field: want.Name, Want: want, Got: &got, Reason: err.Error()}
		}
		if off != got.Offset {
			return &TracepointFieldError{Tracepoint: h.Target, Field: want.Name, Want: want, Got: &got,
				Reason: fmt.Sprintf("the kernel's struct %s has %s at offset %d, but the format has the field at offset %d", want.Struct, want.Member, off, got.Offset)}
		}
	}
	return nil
}

// kernelMemberOffset is the byte offset of member in the running kernel's
// BTF struct name.
func kernelMemberOffset(name, member string) (int, error) {
	spec, err := kernelSpec()
	if err != nil {
		return 0, fmt.Errorf("read the kernel's BTF for struct %s: %w", name, err)
	}
	var s *btf.Struct
	if err := spec.TypeByName(name, &s); err != nil {
		return 0, fmt.Errorf("the bundle reads it through struct %s, which the kernel's BTF does not have", name)
	}
	for _, m := range s.Members {
		if m.Name == member {
			return int(m.Offset / 8), nil
		}
	}
	return 0, fmt.Errorf("the kernel's struct %s has no member %s", name, member)
}

// parseFormat reads a tracefs format file's field lines:
//
//	field:unsigned long args[6];	offset:16;	size:48;	signed:0;
//
// keyed by the field's name without its array bounds.
func parseFormat(r io.Reader) (map[string]bpf.TracepointField, error) {
	fields := map[string]bpf.TracepointField{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "field:") {
			continue
		}
		var f bpf.TracepointField
		var decl string
		for _, part := range strings.Split(line, ";") {
			key, val, ok := strings.Cut(strings.TrimSpace(part), ":")
			if !ok {
				continue
			}
			var err error
			switch key {
			case "field":
				decl = val
			case "offset":
				f.Offset, err = strconv.Atoi(val)
			case "size":
				f.Size, err = strconv.Atoi(val)
			case "signed":
				f.Signed = val == "1"
			}
			if err != nil {
				return nil, fmt.Errorf("format line %q: %w", line, err)
			}
		}
		// The name is the declaration's last word: "__data_loc char[] filename".
		words := strings.Fields(decl)
		if len(words) == 0 {
			return nil, fmt.Errorf("format line %q: no field name", line)
		}
		if strings.Contains(decl, "[") {
			// Arrays and __data_loc fields are bytes: kernels differ in
			// the sign they print for them, which nothing reads.
			f.Signed = false
		}
		f.Name = fieldBase(words[len(words)-1])
		fields[f.Name] = f
	}
	return fields, sc.Err()
}

// fieldBase strips array bounds: "args[6]" is "args".
func fieldBase(name string) string {
	if i := strings.IndexByte(name, '['); i >= 0 {
		return name[:i]
	}
	return name
}
