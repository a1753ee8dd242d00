package conformance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/target"
	"github.com/polc-dev/polc/target/capture"
)

// KernelSeries is the running kernel's MAJOR.MINOR, the name of its column.
func KernelSeries() (series, release string, err error) {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "", "", fmt.Errorf("uname: %w", err)
	}
	release = unix.ByteSliceToString(u.Release[:])
	parts := strings.SplitN(release, ".", 3)
	if len(parts) < 2 {
		return "", release, fmt.Errorf("kernel release %q", release)
	}
	minor := strings.TrimRightFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' })
	return parts[0] + "." + minor, release, nil
}

// ColumnName is the running kernel's column: the vmtest series the guest
// was booted as ($VMTEST_SERIES: "7.x", "6.12-arm64"), else MAJOR.MINOR
// with "-arm64" on arm64.
func ColumnName() (column, release string, err error) {
	series, release, err := KernelSeries()
	if err != nil {
		return "", release, err
	}
	if s := os.Getenv("VMTEST_SERIES"); s != "" {
		return s, release, nil
	}
	if runtime.GOARCH == "arm64" {
		series += "-arm64"
	}
	return series, release, nil
}

// Kernel is a kernel of the matrix: its column in the document.
type Kernel struct {
	Series string // MAJOR.MINOR, or the vmtest series ("7.x", "6.12-arm64")
	Where  string // how the document describes where it runs
}

// Matrix is the kernels the document has a column for, in column order.
// The arm64 columns are built for arm64 (arch.Host() in the guest), the
// others for x86_64.
var Matrix = []Kernel{
	{Series: "6.18", Where: "host"},
	{Series: "5.10", Where: "Debian 11, vmtest guest"},
	{Series: "6.1", Where: "Debian, vmtest guest"},
	{Series: "6.12", Where: "Debian, vmtest guest"},
	{Series: "7.x", Where: "Debian 13 backports, vmtest guest"},
	{Series: "5.10-arm64", Where: "Debian 11, arm64 vmtest guest"},
	{Series: "6.12-arm64", Where: "Debian, arm64 vmtest guest"},
}

// InMatrix reports whether series has a column.
func InMatrix(series string) bool {
	for _, k := range Matrix {
		if k.Series == series {
			return true
		}
	}
	return false
}

// Leftovers is what an unload left behind: pins or programs that stayed.
type Leftovers struct {
	Pins     []string
	Programs []uint32
}

func (l *Leftovers) Error() string {
	return fmt.Sprintf("left behind after unload: pins %q, programs %v", l.Pins, l.Programs)
}

// LoadAttach loads p's bundle on the running kernel as polrun load does,
// under pinRoot, checks that every program is attached, and unloads it.
// The outcome says what happened; the error is set when something stayed
// attached or pinned after a failed load or the unload (a *Leftovers), or
// when pinRoot could not be used: failures of the loader itself.
func LoadAttach(p *Policy, pinRoot string) (Outcome, error) {
	return LoadAttachMeasured(p, pinRoot, nil)
}

// Figures are the verifier's figures of a policy's programs on the running
// kernel, as polrun list reports them: kept apart from the Outcome, which
// is the same on every release of a series while these change with it.
type Figures struct {
	Programs []ProgramFigure
	// Base: the base programs loaded with the policy (process table).
	Base []ProgramFigure
}

// ProgramFigure is one loaded program.
type ProgramFigure struct {
	Name     string
	Verified uint32 // instructions the verifier processed
}

// Largest is the program with the most verified instructions, and the sum
// over all programs.
func (f *Figures) Largest() (largest ProgramFigure, total uint64) {
	for _, p := range f.Programs {
		total += uint64(p.Verified)
		if p.Verified > largest.Verified {
			largest = p
		}
	}
	return largest, total
}

// LoadAttachMeasured is LoadAttach that also fills fig (when not nil)
// with the verifier's figures of the policy's programs.
func LoadAttachMeasured(p *Policy, pinRoot string, fig *Figures) (Outcome, error) {
	if p.NeedsTarget {
		return loadForThisKernel(p, pinRoot, fig)
	}
	if p.Bundle == nil {
		if Arch != arch.X86_64 {
			// The document's validate and build columns are x86_64's;
			// what stopped this architecture's bundle is this column's.
			if p.Validate.Status != OK {
				return outcome(Refused, "validate for "+string(Arch)+": "+p.Validate.Detail), nil
			}
			return outcome(Refused, "build for "+string(Arch)+": "+p.Build.Detail), nil
		}
		return Outcome{Status: NotRun}, nil
	}
	return loadAttach(p, p.Bundle.Object, pinRoot, fig)
}

// loadAttach is LoadAttach of the bundle data built from p.
func loadAttach(p *Policy, data []byte, pinRoot string, fig *Figures) (Outcome, error) {
	// Held as polrun run and serve hold them where links cannot be pinned
	// (perf events before 5.15); unloading lets them go.
	opts := &loader.Options{PinRoot: pinRoot, Hold: loader.NewHolder()}
	defer opts.Hold.Close()
	if err := loader.UnloadAll(opts); err != nil {
		return Outcome{}, fmt.Errorf("clear %s: %w", pinRoot, err)
	}
	out, err := loadOnce(data, opts, fig)
	if errors.As(err, new(missingHook)) {
		// Load what the kernel has, for real, and list what it lacks.
		var b []byte
		if b, err = ignoringMissing(p); err != nil {
			return outcome(Refused, fmt.Sprintf("rebuilding with ignoreMissing hooks: %v", err)), nil
		}
		out, err = loadOnce(b, opts, fig)
		var still missingHook
		if errors.As(err, &still) {
			return outcome(Refused, firstLine(still.err)), nil
		}
	}
	var left *Leftovers
	if errors.As(err, &left) {
		return Outcome{}, err
	}
	return out, err
}

var thisKernel struct {
	once    sync.Once
	profile *target.Profile
	err     error
}

// loadForThisKernel builds p, which needs a description of its target
// kernel, against the running kernel's profile (as polc build --target
// does with a captured profile), and loads it.
func loadForThisKernel(p *Policy, pinRoot string, fig *Figures) (Outcome, error) {
	thisKernel.once.Do(func() { thisKernel.profile, thisKernel.err = capture.Capture(&capture.Options{NoProbes: true}) })
	if thisKernel.err != nil {
		return Outcome{}, fmt.Errorf("describe the running kernel: %w", thisKernel.err)
	}
	pol, diags := compiler.Lower(p.checked, compiler.LowerOptions{Arch: Arch, Target: thisKernel.profile})
	if compiler.Count(diags, compiler.Error) > 0 {
		return outcome(Refused, "built for this kernel: "+errorDiags(diags)), nil
	}
	b, err := build(pol, p.File, p.data)
	if err != nil {
		return outcome(Refused, "built for this kernel: "+buildError(err)), nil
	}
	c := *p
	c.IR = pol
	out, err := loadAttach(&c, b.Object, pinRoot, fig)
	if err == nil && out.Status != NotRun {
		out.Detail = "built for this kernel: " + out.Detail
	}
	return out, err
}

// missingHook is a load that failed because a hook's target (a kernel
// function, a tracepoint, a BTF function) is not on this kernel.
type missingHook struct{ err error }

func (m missingHook) Error() string { return m.err.Error() }
func (m missingHook) Unwrap() error { return m.err }

// loadOnce loads, checks, and unloads one bundle.
func loadOnce(data []byte, opts *loader.Options, fig *Figures) (Outcome, error) {
	b, err := loader.ReadBundle(data)
	if err != nil {
		return outcome(Refused, err.Error()), nil
	}
	res, err := loader.Load([]*loader.Bundle{b}, opts)
	if err != nil {
		if left := leftovers(opts.PinRoot, nil); left != nil {
			return Outcome{}, left
		}
		var fe *loader.FeatureError
		switch {
		case errors.As(err, &fe):
			return outcome(NotOnKernel, fmt.Sprintf("%s: %s", fe.Feature, fe.Reason)), nil
		case errors.Is(err, loader.ErrMissingFeature):
			return outcome(NotOnKernel, firstLine(err)), nil
		case targetMissing(b, err):
			return Outcome{}, missingHook{err}
		}
		return outcome(Refused, firstLine(err)), nil
	}
	st, err := loader.List(opts)
	if err != nil {
		return Outcome{}, fmt.Errorf("list: %w", err)
	}
	var ids []uint32
	var problems []string
	for _, ps := range st.Policies {
		if ps.Err != nil {
			problems = append(problems, ps.Err.Error())
		}
		for _, prog := range ps.Programs {
			ids = append(ids, prog.ProgramID)
			if fig != nil {
				fig.Programs = append(fig.Programs, ProgramFigure{Name: prog.Name, Verified: prog.VerifiedInsns})
			}
			if prog.Err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", prog.Name, prog.Err))
			}
		}
	}
	if st.Base != nil {
		for _, prog := range st.Base.Programs {
			ids = append(ids, prog.ProgramID)
			if fig != nil {
				fig.Base = append(fig.Base, ProgramFigure{Name: prog.Name, Verified: prog.VerifiedInsns})
			}
		}
	}
	if err := loader.Unload([]string{b.Name()}, opts); err != nil {
		return Outcome{}, fmt.Errorf("unload: %w", err)
	}
	if left := leftovers(opts.PinRoot, ids); left != nil {
		return Outcome{}, left
	}
	if len(problems) > 0 {
		return outcome(Refused, "listed after loading: "+strings.Join(problems, "; ")), nil
	}
	r := res[0]
	if r.Programs == 0 {
		return outcome(NotOnKernel, "no hook's target exists: "+hookList(skippedHooks(r.Skipped))), nil
	}
	detail := plural(r.Programs, "program") + " attached"
	if len(r.Skipped) > 0 {
		detail += "; not on this kernel: " + hookList(skippedHooks(r.Skipped))
	}
	return outcome(OK, detail), nil
}

// targetMissing reports whether a failed load failed on a hook whose
// target the kernel lacks: a kernel function (kprobe), a tracepoint, a BTF
// function (fentry, fmod_ret, LSM). Uprobes on binaries this machine does
// not have are not: they are refused, naming the binary.
func targetMissing(b *loader.Bundle, err error) bool {
	var pe *loader.ProgramError
	if errors.As(err, &pe) && (strings.HasPrefix(pe.Hook, "uprobe ") || strings.HasPrefix(pe.Hook, "usdt ")) {
		return false
	}
	return errors.Is(err, os.ErrNotExist) || errors.Is(err, link.ErrNoSymbol) || errors.Is(err, btf.ErrNotFound)
}

// ignoringMissing builds p again with every hook but its uprobes marked
// ignoreMissing, so that the loader skips those whose target this kernel
// lacks (and lists them) and attaches the rest.
func ignoringMissing(p *Policy) ([]byte, error) {
	c := *p.IR
	c.Hooks = make([]*ir.Hook, len(p.IR.Hooks))
	for i, h := range p.IR.Hooks {
		hc := *h
		if h.Kind != ir.HookUprobe && h.Kind != ir.HookUSDT {
			hc.IgnoreMissing = true
		}
		c.Hooks[i] = &hc
	}
	b, err := build(&c, p.File, p.data)
	if err != nil {
		return nil, err
	}
	return b.Object, nil
}

// plural is "1 program", "2 programs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// hookList names at most a few hooks, then how many more.
func hookList(hooks []string) string {
	const shown = 6
	if len(hooks) <= shown {
		return strings.Join(hooks, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(hooks[:shown], ", "), len(hooks)-shown)
}

// skippedHooks names the hooks of skipped.
func skippedHooks(skipped []loader.SkippedHook) []string {
	names := make([]string, len(skipped))
	for i, s := range skipped {
		names[i] = s.Hook
	}
	return names
}

// firstLine is an error's first line: a verifier refusal's cause without
// the log that follows it.
func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// leftovers returns what is still pinned under root and which of the
// programs ids are still loaded, nil when nothing is. The kernel frees
// programs after their last reference goes, asynchronously, so it waits
// for them a while.
func leftovers(root string, ids []uint32) *Leftovers {
	l := &Leftovers{}
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err == nil && path != root {
			l.Pins = append(l.Pins, strings.TrimPrefix(path, root+"/"))
		}
		return nil
	})
	deadline := time.Now().Add(20 * time.Second)
	for _, id := range ids {
		for {
			prog, err := ebpf.NewProgramFromID(ebpf.ProgramID(id))
			if err != nil {
				break
			}
			prog.Close()
			if time.Now().After(deadline) {
				l.Programs = append(l.Programs, id)
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if len(l.Pins) == 0 && len(l.Programs) == 0 {
		return nil
	}
	return l
}
