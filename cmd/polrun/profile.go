package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/polc-dev/polc/target"
	"github.com/polc-dev/polc/target/capture"
)

// runProfile writes a target profile of this host for polc's --target.
func runProfile(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("profile", "", stderr)
	out := fs.String("o", "", "file to write the profile to (a .tar.gz; - for stdout)")
	noProbes := fs.Bool("no-probes", false, "leave out the feature probes (they load BPF programs and need root)")
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return usageError(fs, fmt.Sprintf("unexpected argument %q: give the file with -o FILE", rest[0]))
	}
	if *out == "" {
		return usageError(fs, "give -o FILE (- for stdout): where to write the profile")
	}
	p, err := capture.Capture(&capture.Options{NoProbes: *noProbes})
	if err != nil {
		fmt.Fprintf(stderr, "polrun profile: %v\n", err)
		return exitFail
	}
	if *out == "-" {
		err = p.Write(stdout)
	} else {
		err = p.WriteFile(*out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "polrun profile: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stderr, "polrun profile: %s: %s\n", p, summary(p))
	for _, src := range []string{target.SourceBTF, target.SourceTracepoints, target.SourceFunctions, target.SourceKallsyms, target.SourceFeatures} {
		if why, missing := p.Missing[src]; missing {
			fmt.Fprintf(stderr, "polrun profile: no %s: %s\n", src, why)
		}
	}
	return exitOK
}

// summary counts what the profile holds.
func summary(p *target.Profile) string {
	var parts []string
	if p.BTF != nil {
		parts = append(parts, fmt.Sprintf("BTF %d KiB", len(p.BTF)>>10))
	}
	if p.Tracepoints != nil {
		parts = append(parts, fmt.Sprintf("%d tracepoints", len(p.Tracepoints)))
	}
	if p.Functions != nil {
		parts = append(parts, fmt.Sprintf("%d traceable functions", len(p.Functions)))
	}
	if p.Kallsyms != nil {
		parts = append(parts, fmt.Sprintf("%d kallsyms functions", len(p.Kallsyms)))
	}
	if p.Features != nil {
		n := 0
		for _, f := range p.Features {
			if f.Supported {
				n++
			}
		}
		parts = append(parts, fmt.Sprintf("%d of %d features", n, len(p.Features)))
	}
	return strings.Join(parts, ", ")
}
