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
	ringBufferSize *string
	nodeLabels     *string
	btf            *string
	noKprobeMulti  *bool
}

// btfFlag is --btf of the commands that load or probe.
func btfFlag(fs *flag.FlagSet) *string {
	return fs.String("btf", "", "read the kernel's BTF from this file (raw BTF, or a vmlinux with a .BTF section) on kernels without /sys/kernel/btf/vmlinux; without it polrun also looks for /boot/vmlinux-RELEASE, /lib/modules/RELEASE/vmlinux-RELEASE and /usr/lib/debug/boot/vmlinux-RELEASE")
}

// modeFlag is --mode of the commands that load.
func modeFlag(fs *flag.FlagSet) *string {
	return fs.String("mode", "", "put the policies in this mode, enforce or monitor, instead of their bundle's default (spec.options policy-mode); in monitor mode Sigkill, Signal, Override and NotifyEnforcer are reported, not carried out")
}

// nodeLabelsFlag is --node-labels of the commands that load.
func nodeLabelsFlag(fs *flag.FlagSet) *string {
	return fs.String("node-labels", "", "this node's labels, KEY=VALUE,...: a policy with a nodeSelector loads only where it selects them (without this flag, such a policy is refused)")
}

// maxMapMemoryFlag adds --max-map-memory.
func maxMapMemoryFlag(fs *flag.FlagSet) *string {
	return fs.String("max-map-memory", fmt.Sprintf("%dMiB", loader.DefaultMaxMapMemory>>20), "refuse to load bundles whose own maps would take more memory than this together (bytes, or with KiB, MiB or GiB), checked before any map is created")
}

// ringBufferSizeFlag adds --ring-buffer-size.
func ringBufferSizeFlag(fs *flag.FlagSet) *string {
	return fs.String("ring-buffer-size", "", fmt.Sprintf("size of the ring buffer of events, a power of two from %s to %s (bytes, or with KiB, MiB or GiB), set when the base is loaded with the first policy (default %s)",
		loader.FormatBytes(loader.MinRingBufferSize), loader.FormatBytes(loader.MaxRingBufferSize), loader.FormatBytes(loader.DefaultRingBufferSize)))
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
		ringBufferSize: ringBufferSizeFlag(fs),
		nodeLabels:     nodeLabelsFlag(fs),
		btf:            btfFlag(fs),
		noKprobeMulti:  fs.Bool("disable-kprobe-multi", false, "attach every kprobe with its own link, also where the kernel has kprobe_multi links (5.18+) and the bundle a kprobe.multi program for a group of its kprobes (as Tetragon's flag of that name)"),
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
	if f.btf != nil {
		o.KernelBTF = *f.btf
	}
	if f.allowDowngrade != nil {
		o.AllowDowngrade = *f.allowDowngrade
	}
	if f.noKprobeMulti != nil {
		o.DisableKprobeMulti = *f.noKprobeMulti
	}
	if f.mode != nil && *f.mode != "" {
		if _, err := bpf.ModeValue(*f.mode); err != nil {
			return nil, flagValueError{fmt.Errorf("--mode: %w", err)}
		}
		o.Mode = *f.mode
	}
	if f.nodeLabels != nil && *f.nodeLabels != "" {
		labels, err := loader.ParseLabels(*f.nodeLabels)
		if err != nil {
			return nil, fmt.Errorf("--node-labels: %w", err)
		}
		o.NodeLabels = labels
	}
	if f.maxMapMemory != nil {
		n, err := parseBytes(*f.maxMapMemory)
		if err != nil {
			return nil, flagValueError{fmt.Errorf("--max-map-memory %q: %w", *f.maxMapMemory, err)}
		}
		o.MaxMapMemory = n
	}
	if f.ringBufferSize != nil && *f.ringBufferSize != "" {
		n, err := parseBytes(*f.ringBufferSize)
		if err == nil {
			err = loader.ValidRingBufferSize(n)
		}
		if err != nil {
			return nil, flagValueError{fmt.Errorf("--ring-buffer-size %q: %w", *f.ringBufferSize, err)}
		}
		o.RingBufferSize = n
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
			fmt.Fprintf(stdout, "  skipped %s: %s\n", s.Hook, s.Reason)
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
	// SET/MEMBER switches a policy set's member off (members.go); the
	// set stays loaded.
	var policies []string
	for _, n := range names {
		set, member, ok := strings.Cut(n, "/")
		if !ok {
			policies = append(policies, n)
			continue
		}
		if err := loader.SetMemberEnabled(set, member, false, o); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "disabled %s (policy set %s stays loaded: polrun enable %s turns it back on)\n", n, set, n)
	}
	if len(policies) == 0 {
		return exitOK
	}
	if err := loader.Unload(policies, o); err != nil {
		return fail(stderr, err)
	}
	for _, n := range policies {
		fmt.Fprintln(stdout, "unloaded", n)
	}
	return exitOK
}

// runEnable switches policy set members back on.
func runEnable(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("enable", "SET/MEMBER...", stderr)
	root := pinRootFlag(fs)
	names, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(names) == 0 {
		return usageError(fs, "give the members to enable, as SET/MEMBER")
	}
	o := &loader.Options{PinRoot: *root}
	for _, n := range names {
		set, member, ok := strings.Cut(n, "/")
		if !ok {
			return usageError(fs, fmt.Sprintf("%q: name a policy set's member as SET/MEMBER", n))
		}
		if err := loader.SetMemberEnabled(set, member, true, o); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintln(stdout, "enabled", n)
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
	btfFile := btfFlag(fs)
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if msg := formatProblem(rest, *format); msg != "" {
		return usageError(fs, msg)
	}
	if err := loader.UseKernelBTF(*btfFile); err != nil {
		return fail(stderr, err)
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
