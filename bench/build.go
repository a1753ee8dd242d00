package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/ir"
)

// Built is one policy of a file, compiled as `polc build` does for the
// host's architecture.
type Built struct {
	Set    string // which input set: "bench", "examples", "spec", "corpus"
	File   string // the policy file, as read
	Policy string // the policy's name
	Bundle *codegen.Bundle
	// Refused says why codegen or lowering refused the policy ("" when it
	// built).
	Refused string
}

// BuildFile checks, lowers and builds every policy in path, the way polc
// build does with no target. A file that does not check is an error; a
// policy polc cannot compile yet is a Built with Refused set.
func BuildFile(set, path string) ([]Built, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	return buildPolicies(set, compiler.NewSource(path, data), codegen.Options{})
}

// buildSource builds a source holding one policy that must compile.
func buildSource(src *compiler.Source) (*codegen.Bundle, error) {
	built, err := buildPolicies("", src, codegen.Options{})
	if err != nil {
		return nil, err
	}
	if len(built) != 1 || built[0].Bundle == nil {
		return nil, fmt.Errorf("build %s: no bundle", src.Name)
	}
	return built[0].Bundle, nil
}

// buildPolicies builds with opts' codegen switches (GlobalVerdictGeneration).
func buildPolicies(set string, src *compiler.Source, opts codegen.Options) ([]Built, error) {
	a := arch.Host()
	path, data := src.Name, src.Data
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: a})
	if res.Errors() > 0 {
		return nil, fmt.Errorf("build %s: %d errors in checking", path, res.Errors())
	}
	var out []Built
	for _, pol := range res.Policies {
		b := Built{Set: set, File: path, Policy: pol.Metadata.Name}
		p, diags := compiler.Lower(pol, compiler.LowerOptions{Arch: a})
		if p == nil || compiler.Count(diags, compiler.Error) > 0 {
			b.Refused = firstError(diags)
			out = append(out, b)
			continue
		}
		bundle, err := codegen.Build(p, codegen.Options{Arch: a, Source: path, SourceData: data, Compiler: "bench",
			SourceLine:              func(pos ir.Pos) string { return src.Line(pos.Line) },
			GlobalVerdictGeneration: opts.GlobalVerdictGeneration})
		if err != nil {
			var errs codegen.Errors
			if !errors.As(err, &errs) {
				return nil, fmt.Errorf("build %s: %w", path, err)
			}
			b.Refused = errs[0].Msg
		}
		b.Bundle = bundle
		out = append(out, b)
	}
	return out, nil
}

func firstError(ds []compiler.Diagnostic) string {
	for _, d := range ds {
		if d.Severity == compiler.Error {
			return d.Code + ": " + d.Msg
		}
	}
	return "not lowered"
}

// Inputs lists the policy files of each input set: bench's own policies
// and the spec's fd_install example (bench/policies), the repository's
// examples/, and the corpus of Tetragon's examples (corpusDir, skipped when
// empty). root is the repository's root directory.
func Inputs(root, corpusDir string) (map[string][]string, error) {
	sets := map[string][]string{}
	add := func(set, dir string, keep func(string) bool) error {
		files, err := yamlFiles(dir)
		if err != nil {
			return err
		}
		for _, f := range files {
			if keep(f) {
				sets[set] = append(sets[set], f)
			}
		}
		return nil
	}
	isSpec := func(f string) bool { return filepath.Base(f) == SpecPolicy }
	if err := add("bench", filepath.Join(root, "bench", "policies"), func(f string) bool { return !isSpec(f) }); err != nil {
		return nil, err
	}
	if err := add("spec", filepath.Join(root, "bench", "policies"), isSpec); err != nil {
		return nil, err
	}
	if err := add("examples", filepath.Join(root, "examples"), func(string) bool { return true }); err != nil {
		return nil, err
	}
	if corpusDir != "" {
		if err := add("corpus", corpusDir, func(string) bool { return true }); err != nil {
			return nil, err
		}
	}
	return sets, nil
}

// SpecPolicy is the file in bench/policies holding the specification's
// fd_install example.
const SpecPolicy = "fd-install.yaml"

// yamlFiles lists dir's *.yaml and *.yml files, sorted, but not the policy
// tests (NAME_test.yaml).
func yamlFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list policies: %w", err)
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if strings.HasSuffix(n, "_test.yaml") || strings.HasSuffix(n, "_test.yml") {
			continue // polc test files beside the policies, not policies
		}
		if !e.IsDir() && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// CorpusDir is where the corpus of Tetragon's example policies is: $POLC_CORPUS,
// else ../shared/corpus/tetragon-examples beside the repository (as the
// compiler's and codegen's tests find it); "" when neither exists.
func CorpusDir(root string) string {
	dir := os.Getenv("POLC_CORPUS")
	if dir == "" {
		dir = filepath.Join(root, "..", "shared", "corpus", "tetragon-examples")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}
