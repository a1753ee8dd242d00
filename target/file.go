package target

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"debug/elf"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/polc-dev/polc/arch"
)

// FormatVersion is the version of the profile file format Write writes and
// Read accepts.
const FormatVersion = 1

// Names of the archive's entries.
const (
	entryProfile     = "profile.json"
	entryBTF         = "btf"
	entryTracepoints = "tracepoints.json"
	entryFunctions   = "available_filter_functions"
	entryKallsyms    = "kallsyms"
)

// header is profile.json.
type header struct {
	Format   int                `json:"format"`
	Release  string             `json:"release"`
	Arch     arch.Arch          `json:"arch"`
	Features map[string]Feature `json:"features,omitempty"`
	Missing  map[string]string  `json:"missing,omitempty"`
}

// WriteFile writes p to file (see Write).
func (p *Profile) WriteFile(file string) error {
	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	return nil
}

// Write writes p as a gzip-compressed tar archive (see the package
// documentation). The same profile always gives the same bytes: lists are
// written sorted whatever their order in p.
func (p *Profile) Write(w io.Writer) error {
	if err := checkArch(p.Arch); err != nil {
		return err
	}
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	tw := tar.NewWriter(gz)
	add := func(name string, data []byte) error {
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: time.Unix(0, 0),
			Typeflag: tar.TypeReg, Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	hdr, err := json.MarshalIndent(header{Format: FormatVersion, Release: p.Release, Arch: p.Arch,
		Features: p.Features, Missing: p.Missing}, "", "  ")
	if err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	entries := []struct {
		name string
		data []byte
		have bool
	}{
		{entryProfile, append(hdr, '\n'), true},
		{entryBTF, p.BTF, p.BTF != nil},
		{entryTracepoints, nil, p.Tracepoints != nil},
		{entryFunctions, lines(p.Functions), p.Functions != nil},
		{entryKallsyms, lines(p.Kallsyms), p.Kallsyms != nil},
	}
	for _, e := range entries {
		if !e.have {
			continue
		}
		data := e.data
		if e.name == entryTracepoints {
			if data, err = marshalEvents(p.Tracepoints); err != nil {
				return fmt.Errorf("write profile: %w", err)
			}
		}
		if err := add(e.name, data); err != nil {
			return fmt.Errorf("write profile: %s: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	return nil
}

// lines joins a list sorted, one per line.
func lines(list []string) []byte {
	sorted := slices.Clone(list)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	var b bytes.Buffer
	for _, s := range sorted {
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// marshalEvents writes one event per line, sorted: compact, and still
// readable with grep.
func marshalEvents(events []Event) ([]byte, error) {
	sorted := slices.Clone(events)
	SortEvents(sorted)
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, e := range sorted {
		raw, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		b.Write(raw)
		if i < len(sorted)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	return b.Bytes(), nil
}

// SortEvents sorts events by subsystem and event.
func SortEvents(events []Event) {
	slices.SortFunc(events, func(a, b Event) int {
		return strings.Compare(a.Subsystem+"/"+a.Event, b.Subsystem+"/"+b.Event)
	})
}

// ReadFile reads a profile file (see Read).
func ReadFile(file string) (*Profile, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("read profile: %w", err)
	}
	defer f.Close()
	p, err := Read(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return p, nil
}

// maxEntry bounds each entry of a profile, so that a corrupt or hostile
// file cannot exhaust memory: kernel BTF is about 6 MiB today.
const maxEntry = 256 << 20

// Read reads a profile written by Write. It checks the format version and
// that the BTF parses.
func Read(r io.Reader) (*Profile, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read profile: not a gzip file: %w", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	p := &Profile{}
	seen := map[string]bool{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read profile: %w", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if seen[hdr.Name] {
			return nil, fmt.Errorf("read profile: %s appears twice", hdr.Name)
		}
		seen[hdr.Name] = true
		data, err := io.ReadAll(io.LimitReader(tr, maxEntry+1))
		if err != nil {
			return nil, fmt.Errorf("read profile: %s: %w", hdr.Name, err)
		}
		if len(data) > maxEntry {
			return nil, fmt.Errorf("read profile: %s is larger than %d bytes", hdr.Name, maxEntry)
		}
		if err := p.readEntry(hdr.Name, data); err != nil {
			return nil, fmt.Errorf("read profile: %s: %w", hdr.Name, err)
		}
	}
	if !seen[entryProfile] {
		return nil, fmt.Errorf("read profile: no %s: not a polc target profile", entryProfile)
	}
	if p.BTF != nil {
		if _, err := p.Spec(); err != nil {
			return nil, fmt.Errorf("read profile: %w", err)
		}
	}
	return p, nil
}

func (p *Profile) readEntry(name string, data []byte) error {
	switch name {
	case entryProfile:
		var h header
		if err := json.Unmarshal(data, &h); err != nil {
			return err
		}
		if h.Format != FormatVersion {
			return fmt.Errorf("format version %d; this polc reads version %d", h.Format, FormatVersion)
		}
		if err := checkArch(h.Arch); err != nil {
			return err
		}
		p.Release, p.Arch, p.Features, p.Missing = h.Release, h.Arch, h.Features, h.Missing
	case entryBTF:
		p.BTF = data
	case entryTracepoints:
		var events []Event
		if err := json.Unmarshal(data, &events); err != nil {
			return err
		}
		if events == nil {
			events = []Event{}
		}
		SortEvents(events)
		p.Tracepoints = events
	case entryFunctions:
		p.Functions = splitSorted(data)
	case entryKallsyms:
		p.Kallsyms = splitSorted(data)
	}
	// Entries of later versions are skipped: the format version says
	// whether they change the meaning of these.
	return nil
}

// splitSorted splits lines into a sorted, unique list (never nil).
func splitSorted(data []byte) []string {
	out := strings.Fields(string(data))
	slices.Sort(out)
	return slices.Compact(out)
}

// btfMagic starts every raw BTF blob (little-endian).
const btfMagic = 0xeB9F

// ReadBTF reads a raw BTF blob from file, or the .BTF section of an ELF file
// such as vmlinux.
func ReadBTF(file string) ([]byte, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read BTF: %w", err)
	}
	data, err := rawBTF(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return data, nil
}

func rawBTF(raw []byte) ([]byte, error) {
	if len(raw) >= 2 && binary.LittleEndian.Uint16(raw) == btfMagic {
		return raw, nil
	}
	f, err := elf.NewFile(bytes.NewReader(raw))
	if err != nil {
		return nil, errors.New("neither raw BTF nor an ELF file")
	}
	sec := f.Section(".BTF")
	if sec == nil {
		return nil, errors.New("ELF file without a .BTF section (a kernel built without CONFIG_DEBUG_INFO_BTF?)")
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("read .BTF section: %w", err)
	}
	return data, nil
}
