package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/compiler"
)

// ConfigName is the file polc looks for, as linters do, in the directory of
// each policy and in every directory above it; the nearest one applies to
// the policy.
const ConfigName = ".polc.yaml"

// config is a .polc.yaml: settings for the policies under its directory.
// Command-line flags add to it (--disable) or override it (--compat,
// --target); --strict turns warnings into failures whatever it says.
type config struct {
	// Disable silences warnings and notes of these codes.
	Disable []string `yaml:"disable"`
	// Compat is --compat's value for lint ("tetragon").
	Compat string `yaml:"compat"`
	// Strict makes warnings fail the run (exit 1), as --strict does: the
	// way a repository asks its pre-commit hook to block on warnings.
	Strict bool `yaml:"strict"`
	// Target is the default --target profile, relative to the file.
	Target string `yaml:"target"`

	path string // where it was read; "" for none
}

// findConfig returns the nearest .polc.yaml at or above dir, "" for none.
func findConfig(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		p := filepath.Join(d, ConfigName)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
		if filepath.Dir(d) == d {
			return "", nil
		}
	}
}

// readConfig reads and checks a .polc.yaml. Unknown keys and unknown codes
// are errors, with the file's position, so that a typo never turns a
// setting off silently.
func readConfig(path string) (*config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) { // EOF: an empty file
		return nil, fmt.Errorf("%s: %w (keys: disable, compat, strict, target)", path, err)
	}
	if err := checkCodes(c.Disable); err != nil {
		return nil, fmt.Errorf("%s: disable: %w", path, err)
	}
	if c.Compat != "" && c.Compat != compiler.CompatTetragon {
		return nil, fmt.Errorf("%s: compat: %q is not %q", path, c.Compat, compiler.CompatTetragon)
	}
	if c.Target != "" && !filepath.IsAbs(c.Target) {
		c.Target = filepath.Join(filepath.Dir(path), c.Target)
	}
	c.path = path
	return &c, nil
}

// checkCodes refuses codes that do not exist, naming the closest.
func checkCodes(codes []string) error {
	known := compiler.Codes()
	for _, c := range codes {
		if slices.ContainsFunc(known, func(k compiler.CodeInfo) bool { return k.Code == c }) {
			continue
		}
		hint := ""
		if near := compiler.ClosestCode(c); near != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", near)
		}
		return fmt.Errorf("%q is not a diagnostic code%s; see docs/diagnostics.md", c, hint)
	}
	return nil
}

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// configGroups splits sources by the .polc.yaml that applies to each (stdin
// by the current directory's), in the order they came.
func configGroups(srcs []*compiler.Source) ([]*config, map[*config][]*compiler.Source, error) {
	byPath := map[string]*config{}
	var order []*config
	groups := map[*config][]*compiler.Source{}
	for _, src := range srcs {
		dir := "."
		if src.Name != compiler.StdinName {
			dir = filepath.Dir(src.Name)
		}
		path, err := findConfig(dir)
		if err != nil {
			return nil, nil, err
		}
		c, ok := byPath[path]
		if !ok {
			c = &config{}
			if path != "" {
				if c, err = readConfig(path); err != nil {
					return nil, nil, err
				}
			}
			byPath[path] = c
			order = append(order, c)
		}
		groups[c] = append(groups[c], src)
	}
	return order, groups, nil
}
