// Command polc checks, compiles and dumps Tetragon TracingPolicy files.
//
//	polc validate [flags] FILE|DIR|- ...   schema and semantic checks
//	polc lint     [flags] FILE|DIR|- ...   validate, plus advice
//	polc build    [--sign KEY [--version N] [--expires WHEN]] -o DIR FILE...
//	                                       compile into bundles (NAME.bpf.o), signed
//	                                       for their policy name, version and expiry
//	polc dump     --stage parse|ir|asm FILE  normalized text for golden diffs
//	polc inspect  [-o json] [--key PUB] BUNDLE...  describe bundles
//	polc keygen   -o PREFIX                make a key pair for build --sign
//	polc test     [flags] [FILE|DIR]...    run policies' unit tests (NAME_test.yaml)
//	polc schema   [--test]                 print the embedded JSON Schema (--test: of test files)
//	polc version
//
// Exit status: 0 when clean, 1 when a policy has errors (or warnings with
// --strict), 2 on a usage or I/O error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/polc-dev/polc/internal/buildversion"
	"github.com/polc-dev/polc/internal/cliflags"
)

// version is set at link time (-ldflags "-X main.version=..."); main
// resolves "dev" from the build information (buildversion).
var version = "dev"

const (
	exitOK    = 0
	exitFound = 1
	exitUsage = 2
)

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"validate", "check policies against the schema and the semantic rules", runValidate},
		{"lint", "validate, plus advice on legal but suspicious policies", runLint},
		{"test", "run the unit tests of policies (NAME_test.yaml): cases, coverage, --generate", runTest},
		{"schema", "print the embedded JSON Schema of TracingPolicy (--test: of test files)", runSchema},
		{"build", "compile policies into bundles (NAME.bpf.o) for polrun", runBuild},
		{"dump", "print a policy after a compiler stage: --stage parse, ir or asm", runDump},
		{"inspect", "describe bundles: hooks, programs, maps, sizes, hashes, signature (-o json)", runInspect},
		{"keygen", "make an ed25519 key pair for build --sign (-o PREFIX)", runKeygen},
		{"version", "print the version", func([]string, io.Writer, io.Writer) int { fmt.Println("polc", version); return exitOK }},
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
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "polc: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: polc COMMAND [flags] [FILE|DIR|-]...")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nrun 'polc COMMAND -h' for the flags of a command")
}

// newFlags makes a flag set that reports usage errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("polc "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args; ok is false with the exit code to return.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := cliflags.Parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return 0, true
}
