// Command polrun loads polc bundles into the kernel, keeps them in force
// after it exits (pinned under /sys/fs/bpf/polrun) and prints their events
// in Tetragon's JSON export format.
//
//	polrun load [--replace] [--verify KEY [--allow-downgrade]] [--mode enforce|monitor]
//	            [--max-map-memory SIZE] BUNDLE...
//	                                      attach and pin policies
//	polrun unload NAME... | --all         detach them
//	polrun set-mode NAME enforce|monitor  switch a loaded policy's mode
//	polrun list [-o text|json]            what is loaded, with modes and run counts
//	polrun events [-o json|compact] [--policy NAME]
//	polrun run [--replace] [-o json|compact] BUNDLE...
//	                                      load, print events, unload on SIGINT/SIGTERM
//	polrun serve --dir DIR [--verify KEY] [--follow-symlinks] [--metrics-addr ADDR]
//	                                      load, replace and unload bundles as files
//	                                      come, change and go; print events
//	polrun features [-o text|json]        what this kernel supports
//	polrun profile -o FILE                describe this kernel for polc --target
//
// It needs root: without it every command that needs BPF fails, naming
// the missing privileges (serve too, with status 1). Text from bundles and
// events is escaped before it reaches the terminal. Exit status: 0 on
// success, 1 when the operation failed, 2 on a usage error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cilium/ebpf/rlimit"

	"github.com/polc-dev/polc/internal/buildversion"
	"github.com/polc-dev/polc/internal/cliflags"
	"github.com/polc-dev/polc/internal/termtext"
)

// version is set at link time (-ldflags "-X main.version=..."); main
// resolves "dev" from the build information (buildversion).
var version = "dev"

const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"load", "load, attach and pin policy bundles (--replace swaps a loaded one)", runLoad},
		{"unload", "detach and unpin policies by name, or --all", runUnload},
		{"set-mode", "switch a loaded policy to enforce or monitor mode, without reloading it", runSetMode},
		{"list", "list loaded policies (with their mode), hooks, programs and maps", runList},
		{"events", "print the events of loaded policies (-o json|compact)", runEvents},
		{"run", "load bundles, print their events, unload on SIGINT/SIGTERM", runRun},
		{"serve", "keep a directory's bundles loaded (--dir), print events, metrics", runServe},
		{"features", "probe what this kernel supports", runFeatures},
		{"profile", "describe this kernel for polc --target (-o FILE)", runProfile},
		{"version", "print the version", func(_ []string, stdout, _ io.Writer) int {
			fmt.Fprintln(stdout, "polrun", version)
			return exitOK
		}},
	}
}

func main() {
	version = buildversion.Resolve(version)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			// Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK.
			// Without root this fails, and so will the command, saying why.
			rlimit.RemoveMemlock()
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "polrun: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: polrun COMMAND [flags] [ARG]...")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nrun 'polrun COMMAND -h' for the flags of a command")
}

// newFlags makes a flag set that reports usage errors instead of exiting.
func newFlags(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("polrun "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polrun %s [flags] %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, flags and positional arguments in any order
// (cliflags, as polc). ok is false with the exit code to return.
func parseFlags(fs *flag.FlagSet, args []string) (positional []string, code int, ok bool) {
	if err := cliflags.Parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK, false
		}
		return nil, exitUsage, false
	}
	return fs.Args(), 0, true
}

// fail prints err and returns the failure exit code.
func fail(stderr io.Writer, err error) int {
	msg := termMessage(err.Error())
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	fmt.Fprint(stderr, "polrun: ", msg)
	return exitFail
}

// maxMessage bounds a message polrun prints: errors quote inputs (bundle
// paths, manifest fields, URLs), which may be of any length.
const maxMessage = 16 << 10

// termMessage makes a message that quotes inputs fit for a terminal: what
// a terminal would act on (escape sequences from a bundle's manifest) is
// escaped, and the message is cut at maxMessage bytes.
func termMessage(s string) string { return termtext.Truncate(termtext.Escape(s), maxMessage) }
