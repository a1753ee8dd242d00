package compiler

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Source is one input file (or stdin) as bytes.
type Source struct {
	Name string // as given on the command line, or "<stdin>"
	Data []byte

	lineStarts []int  // byte offset of each line, computed lazily
	sha256     string // hex digest of the file as read, computed lazily
}

// SHA256 returns the hex sha256 of the file as it was read, computed once
// however many policies the file holds (bundles record it in their
// manifest).
func (s *Source) SHA256() string {
	if s.sha256 == "" {
		sum := sha256.Sum256(s.Data)
		s.sha256 = hex.EncodeToString(sum[:])
	}
	return s.sha256
}

// NewSource wraps data read from name.
func NewSource(name string, data []byte) *Source { return &Source{Name: name, Data: data} }

// Line returns the text of the 1-based line n without its line break, or "".
// Lines end as YAML says they do: at LF, CRLF or a lone CR.
func (s *Source) Line(n int) string {
	s.index()
	if n < 1 || n > len(s.lineStarts) {
		return ""
	}
	start := s.lineStarts[n-1]
	end := len(s.Data)
	if n < len(s.lineStarts) {
		end = s.lineStarts[n]
	}
	return strings.TrimRight(string(s.Data[start:end]), "\r\n")
}

// NumLines returns the number of lines, counted as Line counts them.
func (s *Source) NumLines() int {
	s.index()
	return len(s.lineStarts)
}

func (s *Source) index() {
	if s.lineStarts != nil {
		return
	}
	s.lineStarts = []int{0}
	for i := 0; i < len(s.Data); i++ {
		switch s.Data[i] {
		case '\n':
			s.lineStarts = append(s.lineStarts, i+1)
		case '\r':
			if i+1 < len(s.Data) && s.Data[i+1] == '\n' {
				i++
			}
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
}

// StdinName is the Source name used for "-".
const StdinName = "<stdin>"

// ReadSources reads every path: a file, a directory (searched recursively for
// *.yaml and *.yml, in lexical order) or "-" for stdin. I/O errors are
// returned as errors, not diagnostics: they are usage problems (exit 2).
func ReadSources(paths []string, stdin io.Reader) ([]*Source, error) {
	var out []*Source
	for _, p := range paths {
		if p == "-" {
			data, err := io.ReadAll(stdin)
			if err != nil {
				return nil, fmt.Errorf("read stdin: %w", err)
			}
			out = append(out, NewSource(StdinName, data))
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			out = append(out, NewSource(p, data))
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isYAMLName(path) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		slices.Sort(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no *.yaml or *.yml files in directory", p)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			out = append(out, NewSource(f, data))
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no input: give files, directories or - for stdin")
	}
	return out, nil
}

func isYAMLName(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".yaml" || ext == ".yml"
}

// isBlank reports whether data holds nothing but whitespace and comments.
func isBlank(data []byte) bool {
	for _, line := range bytes.Split(data, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}
