// Command polrun loads polc bundles into the kernel, keeps them in force
// after it exits (pinned under /sys/fs/bpf/polrun) and prints their events
// in Tetragon's JSON export format.
//
//	polrun load [--replace] [--verify KEY [--allow-downgrade]] [--mode enforce|monitor]
//	            [--max-map-memory SIZE] [--ring-buffer-size SIZE] [--node-labels KEY=VALUE,...] BUNDLE...
//	                                      attach and pin policies
//	polrun unload NAME... | --all         detach them (SET/MEMBER: switch a policy set's member off)
//	polrun enable SET/MEMBER...           switch a policy set's member back on
//	polrun set-mode NAME enforce|monitor  switch a loaded policy's mode
//	polrun list [-o text|json|yaml] [--verbose]
//	                                      what is loaded: a table, programs and maps with --verbose
//	polrun events [-o json|compact] [--policy NAME[,NAME]] [--export-file PATH] [export filters]
//	polrun run [--replace] [-o json|compact] BUNDLE...
//	                                      load, print events, unload on SIGINT/SIGTERM
//	polrun serve --dir DIR [--verify KEY] [--follow-symlinks] [--metrics-addr ADDR] [--node-labels KEY=VALUE,...]
//	                                      load, replace and unload bundles as files
//	                                      come, change and go; print events
//	polrun features [-o text|json|yaml]   what this kernel supports
//	polrun profile -o FILE                describe this kernel for polc --target
//	polrun completion bash|zsh|fish       a shell completion script
//
// It needs root: without it every command that needs BPF fails, naming
// the missing privileges (serve too, with status 1). Text from bundles and
// events is escaped before it reaches the terminal. Exit status: 0 on
// success, 1 when the operation failed, 2 on a usage error, named on one
// line ("polrun: error: ...") before the usage; polc uses the same codes
// for the same kinds of mistake.
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
	// For -h: examples, and what exit status 0 and 1 mean. 2 is always a
	// usage error, as in polc.
	examples     []string
	exit0, exit1 string
}

func commands() []command {
	const failed = "the operation failed (the reason on stderr): no privileges, a bundle refused, the kernel's error"
	return []command{
		{name: "load", summary: "load, attach and pin policy bundles (--replace swaps a loaded one)", run: runLoad,
			examples: []string{"polrun load out/p.bpf.o", "polrun load --replace --mode monitor out/p.bpf.o", "polrun load --verify release.pub out/*.bpf.o"},
			exit0:    "every bundle is loaded", exit1: failed + "; nothing of a failed bundle stays loaded"},
		{name: "unload", summary: "detach and unpin policies by name, or --all", run: runUnload,
			examples: []string{"polrun unload p", "polrun unload --all", "polrun unload set/p"}, exit0: "unloaded", exit1: failed},
		{name: "enable", summary: "switch policy set members (SET/MEMBER) back on after unload SET/MEMBER, without reloading the set", run: runEnable,
			examples: []string{"polrun enable set/p"}, exit0: "enabled", exit1: failed},
		{name: "set-mode", summary: "switch a loaded policy to enforce or monitor mode, without reloading it", run: runSetMode,
			examples: []string{"polrun set-mode p monitor", "polrun set-mode p enforce"}, exit0: "switched", exit1: failed},
		{name: "list", summary: "list loaded policies (with their mode and counters), hooks, programs and maps", run: runList,
			examples: []string{"polrun list", "polrun list -o json | jq .", "polrun list -o yaml"}, exit0: "listed", exit1: failed},
		{name: "events", summary: "print the events of loaded policies (-o json|compact)", run: runEvents,
			examples: []string{"polrun events | jq .", "polrun events -o compact --policy p", "polrun events --duration 10s"},
			exit0:    "stopped by SIGINT/SIGTERM or --duration", exit1: failed},
		{name: "run", summary: "load bundles, print their events, unload on SIGINT/SIGTERM", run: runRun,
			examples: []string{"polrun run out/p.bpf.o", "polrun run -o compact --duration 5s out/p.bpf.o"},
			exit0:    "stopped and unloaded", exit1: failed},
		{name: "serve", summary: "keep a directory's bundles loaded (--dir), print events, metrics", run: runServe,
			examples: []string{"polrun serve --dir /bundles", "polrun serve --dir /bundles --verify release.pub --metrics-addr :9090"},
			exit0:    "stopped by SIGTERM", exit1: failed},
		{name: "features", summary: "probe what this kernel supports", run: runFeatures,
			examples: []string{"polrun features", "polrun features -o json"}, exit0: "probed", exit1: failed},
		{name: "profile", summary: "describe this kernel for polc --target (-o FILE)", run: runProfile,
			examples: []string{"polrun profile -o host.tar.gz", "polrun profile --no-probes -o - > host.tar.gz"},
			exit0:    "the profile was written", exit1: "the profile could not be made or written"},
		{name: "completion", summary: "print a shell completion script: bash, zsh or fish", run: runCompletion,
			examples: []string{"source <(polrun completion bash)", "polrun completion fish > ~/.config/fish/completions/polrun.fish"},
			exit0:    "the script was printed"},
		{name: "version", summary: "print the version", run: runVersion, examples: []string{"polrun version"}, exit0: "the version was printed"},
	}
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "", stderr)
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return usageError(fs, "version takes no arguments")
	}
	fmt.Fprintln(stdout, "polrun", version)
	return exitOK
}

// runCompletion prints a completion script made from the commands' flag
// sets (see flagSetMade).
func runCompletion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("completion", "bash|zsh|fish", stderr)
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return usageError(fs, "give one shell: bash, zsh or fish")
	}
	var cmds []cliflags.Command
	for _, c := range commands() {
		var made *flag.FlagSet
		flagSetMade = func(fs *flag.FlagSet) {
			if made == nil {
				made = fs
			}
		}
		if c.name != "completion" {
			c.run([]string{"-h"}, io.Discard, io.Discard) // -h returns before doing anything
		}
		flagSetMade = nil
		cc := cliflags.Command{Name: c.name, Summary: c.summary}
		if made != nil {
			cc.Flags = cliflags.Flags(made)
		}
		cmds = append(cmds, cc)
	}
	script, err := cliflags.Completion(rest[0], "polrun", cmds)
	if err != nil {
		return usageError(fs, err.Error())
	}
	io.WriteString(stdout, script)
	return exitOK
}

func main() {
	version = buildversion.Resolve(version)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "polrun: error: no command given")
		usage(stderr)
		return exitUsage
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 && args[0] == "help" { // polrun help COMMAND
			return run([]string{args[1], "-h"}, stdout, stderr)
		}
		usage(stderr)
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
	fmt.Fprintf(stderr, "polrun: error: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: polrun COMMAND [flags] [ARG]...")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nrun 'polrun COMMAND -h' for the flags, examples and exit status of a command")
	fmt.Fprintln(w, "\nexit status: 0 ok, 1 the operation failed, 2 usage error (as polc: 1 findings or failure, 2 usage or input error)")
}

// flagSetMade, when set, sees every flag set newFlags makes: completion
// learns each command's flags from the flag set itself.
var flagSetMade func(*flag.FlagSet)

// newFlags makes a flag set that reports usage errors instead of exiting.
func newFlags(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("polrun "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polrun %s [flags] %s\n", name, args)
		fs.PrintDefaults()
	}
	if flagSetMade != nil {
		flagSetMade(fs)
	}
	return fs
}

// parseFlags parses args, flags and positional arguments in any order
// (cliflags, as polc). ok is false with the exit code to return: 0 after
// -h (usage, examples, exit status), 2 after a flag error, which is named
// on one line before the usage.
func parseFlags(fs *flag.FlagSet, args []string) (positional []string, code int, ok bool) {
	// The flag package would print its error and the usage itself: keep
	// it quiet, and print them in polrun's order and words.
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := cliflags.Parse(fs, args)
	fs.SetOutput(out)
	fs.Usage = usage
	if err == nil {
		return fs.Args(), 0, true
	}
	if errors.Is(err, flag.ErrHelp) {
		printUsage(fs)
		return nil, exitOK, false
	}
	return nil, usageError(fs, err.Error()), false
}

// usageError prints "polrun: error: REASON" and the command's usage, and
// returns the usage exit code.
func usageError(fs *flag.FlagSet, reason string) int {
	fmt.Fprintf(fs.Output(), "polrun: error: %s\n", termMessage(reason))
	printUsage(fs)
	return exitUsage
}

// printUsage prints a command's usage, then its examples and exit status.
func printUsage(fs *flag.FlagSet) {
	w := fs.Output()
	fs.Usage()
	name := strings.TrimPrefix(fs.Name(), "polrun ")
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		fmt.Fprintln(w, "\nexamples:")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
		fmt.Fprintln(w, "\nexit status:")
		fmt.Fprintf(w, "  0  %s\n", c.exit0)
		if c.exit1 != "" {
			fmt.Fprintf(w, "  1  %s\n", c.exit1)
		}
		fmt.Fprintln(w, "  2  a usage error (the reason on the first line)")
	}
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
