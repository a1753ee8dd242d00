package loader

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// KindLoader is the event kind of the loader sensor (spec.loader):
// Tetragon's ProcessLoader, a file a process mapped executable, with its
// build ID.
const KindLoader = "process_loader"

// loaderBody is ProcessLoader, fields in Tetragon's order.
type loaderBody struct {
	Process *Process `json:"process,omitempty"`
	Path    string   `json:"path,omitempty"`
	BuildID []byte   `json:"buildid,omitempty"`
	Parent  *Process `json:"parent,omitempty"`
}

// loaderEvent completes an event of the loader sensor's hook: the mapped
// file's path (its first argument) and build ID, read from the file as
// the process sees it (/proc/PID/root, else the path here). As Tetragon,
// files without a build ID are not reported: ok is false.
func (s *Stream) loaderEvent(ev *Event, tgid uint32) bool {
	if len(ev.Args) == 0 {
		return false
	}
	f, isFile := ev.Args[0].Value.(FileArg)
	if !isFile || f.Path == "" {
		return false
	}
	id := s.buildIDOf(filepath.Join(s.o.Procfs, strconv.FormatUint(uint64(tgid), 10), "root", f.Path))
	if id == nil {
		id = s.buildIDOf(f.Path)
	}
	if id == nil {
		return false
	}
	ev.Kind, ev.LoaderPath, ev.BuildID = KindLoader, f.Path, id
	return true
}

// buildIDKey identifies a file's contents well enough to cache its build
// ID: a file replaced at the same path is read again.
type buildIDKey struct {
	path  string
	size  int64
	mtime time.Time
}

// buildIDOf returns the GNU build ID of the ELF file at path, nil when it
// has none or cannot be read.
func (s *Stream) buildIDOf(path string) []byte {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	key := buildIDKey{path, st.Size(), st.ModTime()}
	if id, ok := s.buildIDs[key]; ok {
		return id
	}
	if s.buildIDs == nil || len(s.buildIDs) > 4096 {
		s.buildIDs = map[buildIDKey][]byte{}
	}
	id := readBuildID(path)
	s.buildIDs[key] = id
	return id
}

// readBuildID reads the NT_GNU_BUILD_ID note of an ELF file.
func readBuildID(path string) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	return buildIDFrom(f)
}

// buildIDFrom reads the NT_GNU_BUILD_ID note of the ELF file r, nil when
// it has none or is no ELF file.
func buildIDFrom(r io.ReaderAt) []byte {
	f, err := elf.NewFile(r)
	if err != nil {
		return nil
	}
	for _, sec := range f.Sections {
		if sec.Type != elf.SHT_NOTE {
			continue
		}
		data, err := sec.Data()
		if err != nil {
			continue
		}
		if id := gnuBuildID(f.ByteOrder, data); id != nil {
			return id
		}
	}
	return nil
}

// gnuBuildID finds the "GNU" note of type 3 (NT_GNU_BUILD_ID) in notes.
func gnuBuildID(order binary.ByteOrder, notes []byte) []byte {
	for len(notes) >= 12 {
		nameSize, descSize, typ := int(order.Uint32(notes)), int(order.Uint32(notes[4:])), order.Uint32(notes[8:])
		nameEnd := 12 + (nameSize+3)&^3
		descEnd := nameEnd + (descSize+3)&^3
		if nameEnd+descSize > len(notes) {
			return nil
		}
		name := bytes.TrimRight(notes[12:12+nameSize], "\x00")
		if typ == 3 && string(name) == "GNU" && descSize > 0 {
			return bytes.Clone(notes[nameEnd : nameEnd+descSize])
		}
		if descEnd > len(notes) {
			return nil
		}
		notes = notes[descEnd:]
	}
	return nil
}
