package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/bundle"
	"github.com/polc-dev/polc/internal/termtext"
)

// runInspect describes bundles: text for people, -o json for tools (one
// JSON array of bundle.Info). Exit 1 when a bundle was modified after it
// was built, or its signature does not verify with --key.
func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("inspect", stderr)
	format := outputFlag(fs, "text", "output format: text, json or yaml")
	key := fs.String("key", "", "public key file (PEM) to verify the bundles' signatures with")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polc inspect [flags] BUNDLE...\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(fs, "give the bundles to describe")
	}
	if *format != "text" && *format != "json" && *format != "yaml" {
		return usageError(fs, fmt.Sprintf("unknown output format %q (want text, json or yaml)", *format))
	}
	opts := &bundle.InspectOptions{}
	if *key != "" {
		keys, err := bundle.ReadPublicKeys(*key)
		if err != nil {
			fmt.Fprintf(stderr, "polc inspect: %v\n", err)
			return exitUsage
		}
		opts.Trusted = keys
	}
	var infos []*bundle.Info
	code := exitOK
	for _, path := range fs.Args() {
		info, err := bundle.InspectFile(path, opts)
		if err != nil {
			fmt.Fprintf(stderr, "polc inspect: %s\n", termtext.Truncate(termtext.Escape(err.Error()), 16<<10))
			return exitUsage
		}
		if !info.Hashes.ObjectOK || info.ObjectError != "" || (*key != "" && !info.Signature.Verified) {
			code = exitFound
		}
		infos = append(infos, info)
	}
	if *format != "text" {
		if err := writeStructured(stdout, *format, infos); err != nil {
			fmt.Fprintf(stderr, "polc inspect: %v\n", err)
			return exitUsage
		}
		return code
	}
	for i, info := range infos {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		// A bundle's manifest is anybody's text: escape what a terminal
		// would act on.
		var text strings.Builder
		writeInfo(&text, info, *key != "")
		io.WriteString(stdout, termtext.Escape(text.String()))
	}
	return code
}

// writeInfo prints a bundle's description for people.
func writeInfo(w io.Writer, info *bundle.Info, verifying bool) {
	m := info.Manifest
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	row := func(cells ...any) {
		for i, c := range cells {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, c)
		}
		fmt.Fprintln(tw)
	}
	row("bundle", info.File)
	policy := m.Policy
	if m.Namespace != "" {
		policy = m.Namespace + "/" + policy
	}
	row("policy", policy)
	if m.Mode != "" {
		row("mode", m.Mode+" by default (polrun load --mode, polrun set-mode)")
	} else {
		row("mode", bpf.ModeMonitorOnly+" (no enforcement actions)")
	}
	row("built", fmt.Sprintf("polc %s, manifest format %d, for %s", m.Compiler, m.Format, m.Arch))
	if len(m.Members) > 0 {
		row("source", fmt.Sprintf("a policy set of %d members, below (sha256 of their sources' %s)", len(m.Members), info.Hashes.Source))
	} else {
		row("source", fmt.Sprintf("%s (sha256 %s)", m.Source, info.Hashes.Source))
	}
	row("file", fmt.Sprintf("%d bytes, sha256 %s", info.Sizes.File, info.Hashes.File))
	if info.Hashes.ObjectOK {
		row("object", fmt.Sprintf("sha256 %s, matches the manifest", info.Hashes.Object))
	} else {
		row("object", fmt.Sprintf("MODIFIED: sections hash to %s, the manifest says %s", info.Hashes.ObjectActual, info.Hashes.Object))
	}
	row("signed", signedText(info.Signature, verifying))
	if s := info.Signature; s.Signed && s.Version != 0 {
		expires := s.Expires
		if expires == "" {
			expires = "never"
		}
		row("envelope", fmt.Sprintf("policy %s, version %d, expires %s", s.Policy, s.Version, expires))
	} else if s.Legacy {
		row("envelope", "none: a signature of the old format, which polrun refuses (sign again)")
	}
	if info.ObjectError != "" {
		row("error", info.ObjectError)
	}
	row("features", strings.Join(info.Features, ", "))
	if len(m.LoopBounds) > 0 {
		var bounds []string
		for _, kind := range slices.Sorted(maps.Keys(m.LoopBounds)) {
			bounds = append(bounds, fmt.Sprintf("%s %d", kind, m.LoopBounds[kind]))
		}
		row("variants", "bpf_loop where the kernel has it, else the no-bpf_loop fallbacks, whose walks take at most: "+strings.Join(bounds, ", ")+" steps")
	}
	tw.Flush()

	if len(m.Members) > 0 {
		writeMembers(w, info)
	}

	fmt.Fprintln(w, "\nhooks")
	tw = tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	if len(m.Members) > 0 {
		row("  ID", "MEMBER", "KIND", "TARGET", "ARGS", "PROGRAMS", "POLICY LINE")
	} else {
		row("  ID", "KIND", "TARGET", "ARGS", "PROGRAMS", "POLICY LINE")
	}
	for _, h := range info.Hooks {
		args := strings.Join(h.Args, " ")
		if args == "" {
			args = "-"
		}
		progs := strings.Join(h.Programs, " ")
		if h.Shared != "" {
			progs = "shares " + h.Shared
		}
		if len(m.Members) > 0 {
			row(fmt.Sprintf("  %d", h.ID), h.Member, h.Kind, h.Target, args, progs, h.Pos)
			continue
		}
		row(fmt.Sprintf("  %d", h.ID), h.Kind, h.Target, args, progs, h.Pos)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nprograms")
	tw = tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	row("  NAME", "SECTION", "ATTACH", "HOOK", "INSNS", "FUNCS", "KERNELS")
	for _, p := range info.Programs {
		hook := "-"
		if p.Hook >= 0 {
			hook = fmt.Sprint(p.Hook)
		}
		if len(p.Hooks) > 0 { // a kprobe.multi program
			hook = strings.Trim(strings.Join(strings.Fields(fmt.Sprint(p.Hooks)), ","), "[]")
		}
		kernels := "any"
		if p.Variant != "" {
			// "no attach_cookie, bpf_loop": "without attach_cookie, with bpf_loop".
			var parts []string
			for _, v := range strings.Split(p.Variant, ", ") {
				if f, ok := strings.CutPrefix(v, "no "); ok {
					parts = append(parts, "without "+f)
				} else {
					parts = append(parts, "with "+v)
				}
			}
			kernels = strings.Join(parts, ", ")
		}
		row("  "+p.Name, p.Section, p.Attach, hook, p.Instructions, p.Functions, kernels)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nmaps")
	tw = tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	row("  NAME", "TYPE", "KEY", "VALUE", "MAX", "ENTRIES", "PINNING")
	for _, mp := range info.Maps {
		pin := mp.Pinning
		if mp.Shared {
			pin += " (shared with the base)"
		}
		row("  "+mp.Name, mp.Type, mp.KeySize, mp.ValueSize, mp.MaxEntries, mp.Entries, pin)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nsections")
	tw = tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	row("  NAME", "TYPE", "BYTES")
	for _, s := range info.Sizes.Sections {
		row("  "+s.Name, s.Type, s.Size)
	}
	tw.Flush()
}

func signedText(s *bundle.SignatureInfo, verifying bool) string {
	switch {
	case !s.Signed:
		return "no"
	case s.Verified:
		return fmt.Sprintf("yes, by key %s (verified)", s.KeyID)
	case s.Error != "":
		return fmt.Sprintf("yes (%s), NOT VERIFIED: %s", s.File, s.Error)
	case !verifying:
		return fmt.Sprintf("yes, by key %s (not verified: give --key)", s.KeyID)
	}
	return "yes"
}

// writeMembers describes a policy set's members and which of its programs
// serve hooks of several members.
func writeMembers(w io.Writer, info *bundle.Info) {
	m := info.Manifest
	fmt.Fprintln(w, "\nmembers (a policy set: polrun unload SET/MEMBER and polrun enable SET/MEMBER switch one)")
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tNAME\tMODE\tHOOKS\tSOURCE")
	for i, mb := range m.Members {
		var ids []string
		for _, h := range m.Hooks {
			if h.Member == i {
				ids = append(ids, fmt.Sprint(h.ID))
			}
		}
		mode := mb.Mode
		if mode == "" {
			mode = bpf.ModeMonitorOnly
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s (sha256 %s)\n", i, mb.Name, mode, strings.Join(ids, ","), mb.Source, mb.SourceSHA256)
	}
	tw.Flush()
	shared := map[string][]string{}
	var names []string
	for _, h := range m.Hooks {
		name := h.Shared
		if name == "" {
			if len(h.Programs) == 0 {
				continue
			}
			name = h.Programs[0].Name
		}
		if shared[name] == nil {
			names = append(names, name)
		}
		shared[name] = append(shared[name], fmt.Sprint(h.ID))
	}
	fmt.Fprintln(w, "\nshared hooks (one program runs the parts of several members' hooks)")
	n := 0
	for _, name := range names {
		if len(shared[name]) > 1 {
			fmt.Fprintf(w, "  %s: hooks %s\n", name, strings.Join(shared[name], ","))
			n++
		}
	}
	if n == 0 {
		fmt.Fprintln(w, "  none: every hook has its own program")
	}
}
