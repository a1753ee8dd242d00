package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/bundle"
	"github.com/polc-dev/polc/internal/cliflags"
	"github.com/polc-dev/polc/internal/termtext"
	"github.com/polc-dev/polc/loader"
)

func pinRootFlag(fs *flag.FlagSet) *string {
	return fs.String("pin-root", bpf.DefaultPinRoot, "polrun's directory in bpffs")
}

// loadFlags are the flags of the commands that load.
type loadFlags struct {
	root    *string
	replace *bool
	base    *string
	verify  *string
	// allowDowngrade is nil for the commands without the flag.
	allowDowngrade *bool
	mode           *string
	maxMapMemory   *string
}

// modeFlag is --mode of the commands that load.
func modeFlag(fs *flag.FlagSet) *string {
	return fs.String("mode", "", "put the policies in this mode, enforce or monitor, instead of their bundle's default (spec.options policy-mode); in monitor mode Sigkill, Signal, Override and NotifyEnforcer are reported, not carried out")
}

// maxMapMemoryFlag adds --max-map-memory.
func maxMapMemoryFlag(fs *flag.FlagSet) *string {
	return fs.String("max-map-memory", fmt.Sprintf("%dMiB", loader.DefaultMaxMapMemory>>20), "refuse to load bundles whose own maps would take more memory than this together (bytes, or with KiB, MiB or GiB), checked before any map is created")
}

// parseBytes reads a size: a number of bytes, or one with a KiB, MiB or
// GiB suffix.
func parseBytes(s string) (uint64, error) {
	mult := uint64(1)
	for suffix, m := range map[string]uint64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if v, ok := strings.CutSuffix(s, suffix); ok {
			s, mult = v, m
			break
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 || n > math.MaxUint64/mult {
		return 0, fmt.Errorf("not a size: give bytes, or a number with KiB, MiB or GiB")
	}
	return n * mult, nil
}

func addLoadFlags(fs *flag.FlagSet) loadFlags {
	return loadFlags{
		root:    pinRootFlag(fs),
		replace: fs.Bool("replace", false, "replace loaded policies of the same names (the new one is attached before the old one is detached)"),
		base:    fs.String("base", "", "base object to load when no base is loaded, instead of the one built in (for development)"),
		verify:  verifyFlag(fs),

		allowDowngrade: allowDowngradeFlag(fs),
		mode:           modeFlag(fs),
		maxMapMemory:   maxMapMemoryFlag(fs),
	}
}

// flagValueError is a flag given a value it does not take: a usage error
// (exit 2), where the other errors of options are failures (exit 1).
type flagValueError struct{ error }

// optionsError returns the exit code of an error of options.
func optionsError(fs *flag.FlagSet, stderr io.Writer, err error) int {
	var fe flagValueError
	if errors.As(err, &fe) {
		return usageError(fs, fe.Error())
	}
	return fail(stderr, err)
}

func (f loadFlags) options() (*loader.Options, error) {
	o := &loader.Options{PinRoot: *f.root, Replace: *f.replace}
	if f.allowDowngrade != nil {
		o.AllowDowngrade = *f.allowDowngrade
	}
	if f.mode != nil && *f.mode != "" {
		if _, err := bpf.ModeValue(*f.mode); err != nil {
			return nil, flagValueError{fmt.Errorf("--mode: %w", err)}
		}
		o.Mode = *f.mode
	}
	if f.maxMapMemory != nil {
		n, err := parseBytes(*f.maxMapMemory)
		if err != nil {
			return nil, flagValueError{fmt.Errorf("--max-map-memory %q: %w", *f.maxMapMemory, err)}
		}
		o.MaxMapMemory = n
	}
	if *f.base != "" {
		data, err := bundle.ReadFile(*f.base, bundle.ReadFileOptions{Max: bundle.MaxSize})
		if err != nil {
			return nil, fmt.Errorf("read base object: %w", err)
		}
		o.Base = data
	}
	return o, nil
}

// openBundles reads every bundle, reporting all that fail. With trusted
// keys, every bundle must be signed by one of them.
func openBundles(paths []string, trusted []bundle.PublicKey) ([]*loader.Bundle, error) {
	var bundles []*loader.Bundle
	var errs []error
	for _, p := range paths {
		b, err := openBundle(p, trusted)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		bundles = append(bundles, b)
	}
	return bundles, errors.Join(errs...)
}

// load reads and loads bundles, printing one line per policy.
func load(paths []string, o *loader.Options, trusted []bundle.PublicKey, stdout io.Writer) ([]loader.Loaded, error) {
	bundles, err := openBundles(paths, trusted)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	loaded, err := loader.Load(bundles, o)
	if err != nil {
		return nil, err
	}
	for _, l := range loaded {
		verb := "loaded"
		if l.Replaced {
			verb = "replaced"
		}
		fmt.Fprintf(stdout, "%s %s (policy id %d, %d programs, %v)\n", verb, l.Name, l.PolicyID, l.Programs, l.Duration.Round(time.Microsecond))
		for _, s := range l.Skipped {
			fmt.Fprintf(stdout, "  skipped %s: its target is missing (ignoreMissing)\n", s)
		}
		for _, w := range l.Warnings {
			fmt.Fprintf(stdout, "  warning: %s\n", w)
		}
	}
	if len(loaded) > 1 {
		fmt.Fprintf(stdout, "%d policies in %v\n", len(loaded), time.Since(start).Round(time.Microsecond))
	}
	return loaded, nil
}

func runLoad(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("load", "BUNDLE...", stderr)
	lf := addLoadFlags(fs)
	paths, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		return usageError(fs, "give the bundles to load")
	}
	o, err := lf.options()
	if err != nil {
		return optionsError(fs, stderr, err)
	}
	if code, ok := checkInputs(paths, stderr); !ok {
		return code
	}
	trusted, err := trustedKeys(*lf.verify)
	if err != nil {
		return fail(stderr, err)
	}
	if _, err := load(paths, o, trusted, stdout); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

func runUnload(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("unload", "NAME... | --all", stderr)
	root := pinRootFlag(fs)
	all := fs.Bool("all", false, "unload every policy and the base")
	names, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if *all == (len(names) > 0) {
		return usageError(fs, "give the names of policies to unload, or --all, not both")
	}
	o := &loader.Options{PinRoot: *root}
	if *all {
		if err := loader.UnloadAll(o); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintln(stdout, "unloaded everything under", *root)
		return exitOK
	}
	if err := loader.Unload(names, o); err != nil {
		return fail(stderr, err)
	}
	for _, n := range names {
		fmt.Fprintln(stdout, "unloaded", n)
	}
	return exitOK
}

func runSetMode(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("set-mode", "NAME enforce|monitor", stderr)
	root := pinRootFlag(fs)
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 2 {
		return usageError(fs, fmt.Sprintf("want a policy name and a mode, got %d arguments", len(rest)))
	}
	name, mode := rest[0], rest[1]
	if _, err := bpf.ModeValue(mode); err != nil {
		return usageError(fs, err.Error())
	}
	if err := loader.SetMode(name, mode, &loader.Options{PinRoot: *root}); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "policy %s: mode %s\n", name, mode)
	return exitOK
}

func runList(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("list", "", stderr)
	root := pinRootFlag(fs)
	format := cliflags.OutputFlag(fs, "text", "output format: text, json or yaml")
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if msg := formatProblem(rest, *format); msg != "" {
		return usageError(fs, msg)
	}
	st, err := loader.List(&loader.Options{PinRoot: *root})
	if err != nil {
		return fail(stderr, err)
	}
	if *format != "text" {
		return writeJSON(stdout, stderr, *format, listJSON(st))
	}
	printList(stdout, st)
	return exitOK
}

// printList prints st for people. Names, hooks and errors come from the
// bundles' manifests: what a terminal would act on in them is escaped.
func printList(out io.Writer, st *loader.Status) {
	var buf strings.Builder
	defer func() { io.WriteString(out, termtext.Escape(buf.String())) }()
	w := &buf
	if st.Base == nil && len(st.Policies) == 0 {
		fmt.Fprintln(w, "nothing loaded under", st.PinRoot)
		return
	}
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	stats := "(run counts need kernel.bpf_stats_enabled=1)"
	if st.StatsEnabled {
		stats = ""
	}
	if st.Base != nil {
		fmt.Fprintln(tw, "base\t\t\t")
		if st.Base.Err != nil {
			fmt.Fprintf(tw, "  error: %v\n", st.Base.Err)
		}
		if len(st.Policies) == 0 {
			// polrun removes the base with the last policy: this one
			// was left by other means, and unload --all removes it.
			fmt.Fprintln(tw, "  no policies loaded: the base alone is attached (polrun unload --all removes it)")
		}
		printPrograms(tw, st.Base.Programs, st.StatsEnabled)
		printMaps(tw, st.Base.Maps)
	}
	for _, p := range st.Policies {
		fmt.Fprintf(tw, "policy %s\tid %d\tmode %s\tloaded %s\t%s%s\n", p.Name, p.PolicyID, p.Mode, p.LoadedAt.Local().Format(time.DateTime), p.Bundle, signedVersionText(p.SignedVersion))
		if p.Err != nil {
			fmt.Fprintf(tw, "  error: %v\n", p.Err)
		}
		printPrograms(tw, p.Programs, st.StatsEnabled)
		printMaps(tw, p.Maps)
	}
	tw.Flush()
	if stats != "" {
		fmt.Fprintln(w, stats)
	}
}

func printPrograms(w io.Writer, progs []loader.ProgramStatus, stats bool) {
	for _, p := range progs {
		if p.Err != nil {
			fmt.Fprintf(w, "  program %s\t%s\terror: %v\t\n", p.Name, p.Hook, p.Err)
			continue
		}
		runs := ""
		if stats {
			runs = fmt.Sprintf("run_cnt %d run_time_ns %d", p.RunCount, p.RunTime.Nanoseconds())
		}
		fmt.Fprintf(w, "  program %s\t%s\tprog %d link %d, %d insns verified\t%s\n", p.Name, p.Hook, p.ProgramID, p.LinkID, p.VerifiedInsns, runs)
	}
}

func printMaps(w io.Writer, maps []loader.MapStatus) {
	for _, m := range maps {
		fmt.Fprintf(w, "  map %s\t%s\tid %d, key %d value %d, max %d\t\n", m.Name, m.Type, m.ID, m.KeySize, m.ValueSize, m.MaxEntries)
	}
}

// listJSON is the stable JSON shape of `polrun list -o json`.
func listJSON(st *loader.Status) any {
	type prog struct {
		Name          string `json:"name"`
		Hook          string `json:"hook"`
		ProgramID     uint32 `json:"program_id"`
		LinkID        uint32 `json:"link_id"`
		Type          string `json:"type"`
		VerifiedInsns uint32 `json:"verified_insns"`
		RunCnt        uint64 `json:"run_cnt"`
		RunTimeNs     int64  `json:"run_time_ns"`
		Error         string `json:"error,omitempty"`
	}
	type mp struct {
		Name       string `json:"name"`
		ID         uint32 `json:"id"`
		Type       string `json:"type"`
		KeySize    uint32 `json:"key_size"`
		ValueSize  uint32 `json:"value_size"`
		MaxEntries uint32 `json:"max_entries"`
	}
	type part struct {
		Name         string    `json:"name,omitempty"`
		PolicyID     uint32    `json:"policy_id,omitempty"`
		Mode         string    `json:"mode,omitempty"`
		Bundle       string    `json:"bundle,omitempty"`
		BundleSHA256 string    `json:"bundle_sha256,omitempty"`
		LoadedAt     time.Time `json:"loaded_at,omitzero"`
		Programs     []prog    `json:"programs"`
		Maps         []mp      `json:"maps"`
		Error        string    `json:"error,omitempty"`
		// SignedVersion: loaded with --verify, the signature's version.
		SignedVersion uint64 `json:"signed_version,omitempty"`
	}
	progs := func(ps []loader.ProgramStatus) []prog {
		out := []prog{}
		for _, p := range ps {
			q := prog{Name: p.Name, Hook: p.Hook, ProgramID: p.ProgramID, LinkID: p.LinkID, Type: p.Type,
				VerifiedInsns: p.VerifiedInsns, RunCnt: p.RunCount, RunTimeNs: p.RunTime.Nanoseconds()}
			if p.Err != nil {
				q.Error = p.Err.Error()
			}
			out = append(out, q)
		}
		return out
	}
	maps := func(ms []loader.MapStatus) []mp {
		out := []mp{}
		for _, m := range ms {
			out = append(out, mp{m.Name, m.ID, m.Type, m.KeySize, m.ValueSize, m.MaxEntries})
		}
		return out
	}
	out := struct {
		PinRoot      string `json:"pin_root"`
		StatsEnabled bool   `json:"bpf_stats_enabled"`
		Base         *part  `json:"base"`
		Policies     []part `json:"policies"`
	}{PinRoot: st.PinRoot, StatsEnabled: st.StatsEnabled, Policies: []part{}}
	if st.Base != nil {
		out.Base = &part{Programs: progs(st.Base.Programs), Maps: maps(st.Base.Maps)}
		if st.Base.Err != nil {
			out.Base.Error = st.Base.Err.Error()
		}
	}
	for _, p := range st.Policies {
		q := part{Name: p.Name, PolicyID: p.PolicyID, Mode: p.Mode, Bundle: p.Bundle, BundleSHA256: p.BundleSHA256, LoadedAt: p.LoadedAt,
			Programs: progs(p.Programs), Maps: maps(p.Maps), SignedVersion: p.SignedVersion}
		if p.Err != nil {
			q.Error = p.Err.Error()
		}
		out.Policies = append(out.Policies, q)
	}
	return out
}

// writeJSON writes v as indented JSON, or as YAML (format "yaml").
func writeJSON(stdout, stderr io.Writer, format string, v any) int {
	if err := cliflags.WriteStructured(stdout, format, v); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// formatProblem is the usage error of a command that takes no arguments
// and -o text, json or yaml; "" when there is none.
func formatProblem(rest []string, format string) string {
	if len(rest) > 0 {
		return fmt.Sprintf("unexpected argument %q: this command takes none", rest[0])
	}
	if format != "text" && format != "json" && format != "yaml" {
		return fmt.Sprintf("unknown output format %q (want text, json or yaml)", format)
	}
	return ""
}

func runFeatures(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("features", "", stderr)
	format := cliflags.OutputFlag(fs, "text", "output format: text, json or yaml")
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if msg := formatProblem(rest, *format); msg != "" {
		return usageError(fs, msg)
	}
	// Without privileges every probe fails with EPERM, which would read
	// as a kernel without the feature.
	if err := loader.CheckPrivileges("probing the kernel's features"); err != nil {
		return fail(stderr, err)
	}
	feats := loader.Probe()
	if *format != "text" {
		type f struct {
			Name      string `json:"name"`
			Supported bool   `json:"supported"`
			Reason    string `json:"reason,omitempty"`
		}
		out := []f{}
		for _, x := range feats {
			out = append(out, f{x.Name, x.Supported, strings.TrimPrefix(x.Reason, "ok")})
		}
		return writeJSON(stdout, stderr, *format, out)
	}
	tw := tabwriter.NewWriter(stdout, 2, 8, 2, ' ', 0)
	for _, x := range feats {
		yes := "yes"
		reason := ""
		if !x.Supported {
			yes, reason = "no", x.Reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", x.Name, yes, reason)
	}
	tw.Flush()
	return exitOK
}

// checkInputs: every bundle named on the command line exists. One that
// does not is an input error, exit 2 as in polc ("polc validate none.yaml"),
// not a failure of the operation: nothing was tried.
func checkInputs(paths []string, stderr io.Writer) (code int, ok bool) {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			fmt.Fprintf(stderr, "polrun: error: %s\n", termMessage(err.Error()))
			return exitUsage, false
		}
	}
	return 0, true
}
