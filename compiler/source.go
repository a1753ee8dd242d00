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
	// Data is the file's text in UTF-8: a file in UTF-16 or UTF-32 (with
	// a byte order mark) is decoded, and a UTF-8 byte order mark removed.
	Data []byte
	// Encoding names the encoding Data was decoded from ("UTF-16LE", ...),
	// "" for UTF-8 without a byte order mark.
	Encoding string

	lineStarts []int  // byte offset of each line, computed lazily
	sha256     string // hex digest of the file as read, computed lazily
	decodeErr  error  // the file is not in the encoding its BOM names
	tooLarge   int64  // the file's size when it is over MaxFileBytes and was not read
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

// NewSource wraps data read from name, decoding it to UTF-8 when it
// starts with a byte order mark (decodeText).
func NewSource(name string, data []byte) *Source {
	s := &Source{Name: name, Data: data}
	if len(data) > MaxFileBytes {
		s.tooLarge, s.Data = int64(len(data)), nil
		return s
	}
	text, enc, err := decodeText(data)
	if enc != "" {
		s.SHA256() // of the bytes as read, which the manifest records
	}
	s.Data, s.Encoding, s.decodeErr = text, enc, err
	return s
}

// readLimited reads r to its end, or MaxFileBytes+1 bytes of it: a Source
// of more is refused without being read further (ParseDocuments).
func readLimited(name string, r io.Reader) (*Source, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	return NewSource(name, data), nil
}

// openSource reads the file at p. One larger than MaxFileBytes is not
// read at all: its Source holds only its size, which ParseDocuments
// reports.
func openSource(p string) (*Source, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxFileBytes {
		return &Source{Name: p, tooLarge: st.Size()}, nil
	}
	src, err := readLimited(p, f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return src, nil
}

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
			src, err := readLimited(StdinName, stdin)
			if err != nil {
				return nil, fmt.Errorf("read stdin: %w", err)
			}
			out = append(out, src)
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			src, err := openSource(p)
			if err != nil {
				return nil, err
			}
			out = append(out, src)
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
			src, err := openSource(f)
			if err != nil {
				return nil, err
			}
			out = append(out, src)
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
