// Package capture describes the running kernel as a target.Profile: what
// `polrun profile -o FILE` writes on a host, so that polc can check and
// build policies for that host elsewhere. It reads /sys/kernel/btf/vmlinux,
// tracefs (mounting it when needed), /proc/kallsyms and uname, and runs the
// loader's feature probes, which load and attach do-nothing programs and
// need root.
//
// A source that cannot be read is left out of the profile, with the reason
// in Profile.Missing: a profile of what could be read is more useful than
// none. Capture fails only when nothing identifies the kernel.
package capture

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/target"
)

// Where the kernel shows what a profile holds.
const (
	KernelBTF    = "/sys/kernel/btf/vmlinux"
	Kallsyms     = "/proc/kallsyms"
	TracefsDir   = "/sys/kernel/tracing"
	debugTracefs = "/sys/kernel/debug/tracing"
)

// Options change what Capture does; nil means the defaults.
type Options struct {
	// NoProbes leaves the feature probes out (they need root).
	NoProbes bool
}

// Capture describes the running kernel.
func Capture(opts *Options) (*target.Profile, error) {
	if opts == nil {
		opts = &Options{}
	}
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		return nil, fmt.Errorf("capture: uname: %w", err)
	}
	a, err := arch.Parse(unix.ByteSliceToString(uts.Machine[:]))
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	p := &target.Profile{
		Release: unix.ByteSliceToString(uts.Release[:]),
		Arch:    a,
		Missing: map[string]string{},
	}
	if p.BTF, err = os.ReadFile(KernelBTF); err != nil {
		p.BTF = nil
		p.Missing[target.SourceBTF] = reason(err)
	}
	if dir, err := tracefs(); err != nil {
		p.Missing[target.SourceTracepoints] = reason(err)
		p.Missing[target.SourceFunctions] = reason(err)
	} else {
		if p.Tracepoints, err = ReadEvents(filepath.Join(dir, "events")); err != nil {
			p.Missing[target.SourceTracepoints] = reason(err)
		}
		if p.Functions, err = readFunctions(filepath.Join(dir, "available_filter_functions")); err != nil {
			p.Missing[target.SourceFunctions] = reason(err)
		}
	}
	if p.Kallsyms, err = readKallsyms(Kallsyms); err != nil {
		p.Missing[target.SourceKallsyms] = reason(err)
	}
	if opts.NoProbes {
		p.Missing[target.SourceFeatures] = "not probed (--no-probes)"
	} else if os.Geteuid() != 0 {
		p.Missing[target.SourceFeatures] = "not probed: the probes load BPF programs, which needs root"
	} else {
		p.Features = map[string]target.Feature{}
		for _, f := range loader.Probe() {
			feat := target.Feature{Supported: f.Supported}
			if !f.Supported {
				feat.Reason = f.Reason
			}
			p.Features[f.Name] = feat
		}
	}
	if len(p.Missing) == 0 {
		p.Missing = nil
	}
	return p, nil
}

// reason is what Profile.Missing says about a source that failed.
func reason(err error) string { return err.Error() }

// tracefs returns the directory tracefs is mounted at, mounting it at
// /sys/kernel/tracing when it is nowhere.
func tracefs() (string, error) {
	for _, dir := range []string{TracefsDir, debugTracefs} {
		var st unix.Statfs_t
		if err := unix.Statfs(dir, &st); err == nil && int64(st.Type) == unix.TRACEFS_MAGIC {
			return dir, nil
		}
	}
	if err := unix.Mount("tracefs", TracefsDir, "tracefs", 0, ""); err != nil {
		return "", fmt.Errorf("tracefs is not mounted, and mounting it at %s failed: %w", TracefsDir, err)
	}
	return TracefsDir, nil
}

// ReadEvents reads every tracepoint format under dir (tracefs events/),
// sorted by subsystem and event. Events whose format cannot be read are
// left out; an unreadable dir is an error.
func ReadEvents(dir string) ([]target.Event, error) {
	subsystems, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read tracepoints: %w", err)
	}
	events := []target.Event{}
	for _, s := range subsystems {
		if !s.IsDir() {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(dir, s.Name()))
		if err != nil {
			continue
		}
		for _, e := range entries {
			raw, err := os.ReadFile(filepath.Join(dir, s.Name(), e.Name(), "format"))
			if err != nil {
				continue // "enable", "filter", or an event tracefs will not show
			}
			ev, err := target.ParseFormat(s.Name(), e.Name(), raw)
			if err != nil {
				return nil, fmt.Errorf("read tracepoints: %w", err)
			}
			events = append(events, ev)
		}
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("read tracepoints: no event formats under %s", dir)
	}
	target.SortEvents(events)
	return events, nil
}

// readFunctions reads available_filter_functions: "name" or "name [module]"
// per line.
func readFunctions(file string) ([]string, error) {
	return readNames(file, func(fields []string) string {
		name := fields[0]
		// Addresses ftrace could not map back to a function.
		if strings.HasPrefix(name, "__ftrace_invalid_address__") {
			return ""
		}
		return name
	})
}

// readKallsyms reads the text symbols of /proc/kallsyms: "address type
// name [module]" per line, types t and T (and weak ones, W and w). The
// __pfx_ symbols that mark the padding before each function on kernels
// built with call depth tracking are left out: they are not functions, and
// they would double the list.
func readKallsyms(file string) ([]string, error) {
	return readNames(file, func(fields []string) string {
		if len(fields) < 3 || !strings.ContainsAny(fields[1], "tTwW") || len(fields[1]) != 1 ||
			strings.HasPrefix(fields[2], "__pfx_") {
			return ""
		}
		return fields[2]
	})
}

func readNames(file string, name func(fields []string) string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := scanNames(f, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s lists nothing", file)
	}
	return names, nil
}

func scanNames(r io.Reader, name func(fields []string) string) ([]string, error) {
	var names []string
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if n := name(fields); n != "" {
			names = append(names, n)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}
