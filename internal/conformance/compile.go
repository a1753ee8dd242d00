package conformance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/ir"
)

// Status is how a stage ended for a policy.
type Status string

const (
	// OK: the stage did its work (validated, built, loaded and attached).
	OK Status = "ok"
	// Refused: the stage refused the policy; the detail says why.
	Refused Status = "refused"
	// NotOnKernel: the kernel lacks what every hook of the policy needs;
	// the detail says what.
	NotOnKernel Status = "not on this kernel"
	// NotRun: an earlier stage refused the policy.
	NotRun Status = "-"
)

// Outcome is a stage's result for one policy.
type Outcome struct {
	Status Status
	Detail string // one line: what was done, or why not
}

// maxDetail bounds a detail, so that a verifier log or a long list of
// diagnostics stays one readable line.
const maxDetail = 300

func outcome(s Status, detail string) Outcome {
	return outcomeOn(runningKernel(), s, detail)
}

// outcomeOn is outcome on kernel k.
func outcomeOn(k kernelName, s Status, detail string) Outcome {
	detail = strings.Join(strings.Fields(detail), " ")
	detail = withoutRelease(detail, k)
	if len(detail) > maxDetail {
		detail = detail[:maxDetail-3] + "..."
	}
	return Outcome{Status: s, Detail: detail}
}

// String is the outcome as the kernel columns and the document write it:
// "STATUS" or "STATUS: DETAIL".
func (o Outcome) String() string {
	if o.Detail == "" {
		return string(o.Status)
	}
	return string(o.Status) + ": " + o.Detail
}

// ParseOutcome reads what String wrote.
func ParseOutcome(s string) (Outcome, error) {
	for _, st := range []Status{OK, Refused, NotOnKernel, NotRun} {
		if s == string(st) {
			return Outcome{Status: st}, nil
		}
		if d, ok := strings.CutPrefix(s, string(st)+": "); ok {
			return Outcome{Status: st, Detail: d}, nil
		}
	}
	return Outcome{}, fmt.Errorf("outcome %q: unknown status", s)
}

// Policy is one policy of the corpus after the offline stages.
type Policy struct {
	File string // the file's base name
	// Name is metadata.name; "" when the file did not validate.
	Name     string
	Validate Outcome
	Build    Outcome
	// IR and Bundle are set when the stages got that far.
	IR     *ir.Policy
	Bundle *codegen.Bundle
	// NeedsTarget: building needs a description of the target kernel
	// (generated_ftrace lists); the kernel stage builds it against the
	// running kernel.
	NeedsTarget bool
	checked     *compiler.Policy
	data        []byte
}

// Key names the policy in the kernel columns: FILE/NAME.
func (p *Policy) Key() string { return p.File + "/" + p.Name }

// Arch is what the corpus is built for: the machine's architecture, so
// x86_64 on the host and the amd64 guests, arm64 in the arm64 guests (one
// bundle per architecture, used on every kernel of it).
var Arch = arch.Host()

// Compile validates and builds every policy file (*.yaml, *.yml) in dir,
// in file name order, as polc validate and polc build do.
func Compile(dir string) ([]*Policy, error) {
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no policies in %s", dir)
	}
	sort.Strings(files)
	var out []*Policy
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, compileFile(filepath.Base(f), data)...)
	}
	return out, nil
}

// compileFile validates and builds the policies of one file.
func compileFile(name string, data []byte) []*Policy {
	src := compiler.NewSource(name, data)
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: Arch})
	if res.Errors() > 0 {
		return []*Policy{{File: name, Name: declaredName(data), Validate: outcome(Refused, errorDiags(res.Diagnostics)),
			Build: Outcome{Status: NotRun}}}
	}
	var out []*Policy
	for _, pol := range res.Policies {
		p, diags := compiler.Lower(pol, compiler.LowerOptions{Arch: Arch})
		c := &Policy{File: name, Name: pol.Metadata.Name, Validate: Outcome{Status: OK}, data: data}
		out = append(out, c)
		if compiler.Count(diags, compiler.Error) > 0 {
			c.Build = outcome(Refused, errorDiags(diags))
			c.NeedsTarget = onlyNeedsTarget(diags)
			c.checked = pol
			continue
		}
		c.IR = p
		b, err := build(p, name, data)
		if err != nil {
			c.Build = outcome(Refused, buildError(err))
			continue
		}
		c.Bundle = b
		c.Build = outcome(OK, plural(len(b.Programs), "program"))
	}
	return out
}

// build compiles p as polc build does.
func build(p *ir.Policy, file string, data []byte) (*codegen.Bundle, error) {
	return codegen.Build(p, codegen.Options{Arch: Arch, Source: file, SourceData: data, Compiler: "conformance"})
}

// onlyNeedsTarget reports whether every error says that lowering needs a
// description of the target kernel.
func onlyNeedsTarget(ds []compiler.Diagnostic) bool {
	n := 0
	for _, d := range ds {
		if d.Severity == compiler.Error {
			if d.Code != "needs-target" {
				return false
			}
			n++
		}
	}
	return n > 0
}

// errorDiags joins the error diagnostics: position, message and code.
func errorDiags(ds []compiler.Diagnostic) string {
	var parts []string
	for _, d := range ds {
		if d.Severity == compiler.Error {
			parts = append(parts, fmt.Sprintf("%d:%d: %s [%s]", d.Pos.Line, d.Pos.Col, d.Msg, d.Code))
		}
	}
	return strings.Join(parts, "; ")
}

// buildError joins codegen's errors: position and message.
func buildError(err error) string {
	var es codegen.Errors
	if !errors.As(err, &es) {
		return err.Error()
	}
	var parts []string
	for _, e := range es {
		parts = append(parts, fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg))
	}
	return strings.Join(parts, "; ")
}

// runningKernel is the running kernel's series and release, "" when uname
// fails (nothing is rewritten then).
var runningKernel = sync.OnceValue(func() kernelName {
	series, release, err := KernelSeries()
	if err != nil {
		return kernelName{}
	}
	return kernelName{series, release}
})

type kernelName struct{ series, release string }

// withoutRelease writes the kernel's release (6.18.44-fc-v669, a build
// string that differs from one machine to the next) as its series (6.18)
// wherever a detail names it, such as a profile's description in a
// refusal. The columns are recorded on one machine and checked on others
// of the same series: nothing in them may depend on the build. It runs
// before details are cut to maxDetail, so that the cut falls at the same
// place whatever the release's length.
func withoutRelease(detail string, k kernelName) string {
	if k.release == "" || k.release == k.series {
		return detail
	}
	return strings.ReplaceAll(detail, k.release, k.series)
}

// declaredName is the metadata.name of a file holding one document, ""
// otherwise: a policy that fails validation on one architecture only
// (a syscall arm64 lacks) keeps the key it has on the others.
func declaredName(data []byte) string {
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc struct {
		Metadata struct{ Name string } `yaml:"metadata"`
	}
	if err := dec.Decode(&doc); err != nil {
		return ""
	}
	var next any
	if err := dec.Decode(&next); err == nil {
		return "" // more than one document
	}
	return doc.Metadata.Name
}
