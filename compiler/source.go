package compiler

import (
	"bytes"
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

	lineStarts []int // byte offset of each line, computed lazily
}

// NewSource wraps data read from name.
func NewSource(name string, data []byte) *Source { return &Source{Name: name, Data: data} }

// Line returns the text of the 1-based line n without its newline, or "".
func (s *Source) Line(n int) string {
	if s.lineStarts == nil {
		s.lineStarts = []int{0}
		for i, b := range s.Data {
			if b == '\n' {
				s.lineStarts = append(s.lineStarts, i+1)
			}
		}
	}
	if n < 1 || n > len(s.lineStarts) {
		return ""
	}
	start := s.lineStarts[n-1]
	end := len(s.Data)
	if n < len(s.lineStarts) {
		end = s.lineStarts[n] - 1
	}
	return strings.TrimSuffix(string(s.Data[start:end]), "\r")
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
