// Command polc checks, compiles and dumps Tetragon TracingPolicy files.
//
//	polc validate [flags] FILE|DIR|- ...   schema and semantic checks
//	polc lint     [flags] FILE|DIR|- ...   validate, plus advice
//	polc build    [--sign KEY [--version N] [--expires WHEN]] -o DIR FILE...
//	                                       compile into bundles (NAME.bpf.o), signed
//	                                       for their policy name, version and expiry
//	polc dump     [--stage parse|ir|asm] [--pos] FILE  normalized text for golden diffs
//	polc dump     BUNDLE...                a compiled bundle: manifest, maps, programs
//	polc diff     A B                      what changed between two policies or bundles
//	polc completion bash|zsh|fish          a shell completion script
//	polc inspect  [-o text|json|yaml] [--key PUB] BUNDLE...  describe bundles
//	polc keygen   -o PREFIX                make a key pair for build --sign
//	polc test     [flags] [FILE|DIR]...    run policies' unit tests (NAME_test.yaml)
//	polc schema   [--test | --kubeconform DIR]  print the embedded JSON Schema (--test: of test files;
//	                                       --kubeconform: write it for kubeconform's -schema-location)
//	polc version
//
// Exit status: 0 when clean, 1 when a policy has errors (or warnings with
// --strict; a failed test; polc diff: a difference), 2 on a usage or I/O
// error, which names its reason on one line ("polc: error: ...") before the
// usage. polrun uses the same codes for the same kinds of mistake. The
// grammar (flags anywhere, -h with examples and exit codes) is in cli.go.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/polc-dev/polc/internal/buildversion"
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
	// For -h: examples, and what exit status 0 and 1 mean ("" for a
	// command that never exits 1). 2 is always a usage or input error.
	examples     []string
	exit0, exit1 string
}

func commands() []command {
	const clean, found = "no errors (no warnings either with --strict)", "a policy has errors (or warnings with --strict, or as .polc.yaml asks)"
	return []command{
		{name: "validate", summary: "check policies against the schema and the semantic rules", run: runValidate,
			examples: []string{"polc validate policies/", "polc validate -o sarif . > polc.sarif", "cat p.yaml | polc validate -", "polc validate --target host.tar.gz policies/"},
			exit0:    clean, exit1: found},
		{name: "lint", summary: "validate, plus advice on legal but suspicious policies", run: runLint,
			examples: []string{"polc lint --compat tetragon p.yaml", "polc lint --strict -o github policies/"},
			exit0:    clean, exit1: found},
		{name: "test", summary: "run the unit tests of policies (NAME_test.yaml): cases, coverage, --generate", run: runTest,
			examples: []string{"polc test examples/", "polc test --coverage .", "polc test -o junit . > tests.xml", "polc test --generate p.yaml", "sudo polc test --kernel examples/"},
			exit0:    "every case passed", exit1: "a case failed, or a policy or test file has errors"},
		{name: "schema", summary: "print the embedded JSON Schema of TracingPolicy (--test: of test files)", run: runSchema,
			examples: []string{"polc schema > tracingpolicy.json", "polc schema --test", "polc schema --kubeconform schemas/   # then kubeconform -schema-location 'schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'"},
			exit0:    "the schema was printed"},
		{name: "build", summary: "compile policies into bundles (NAME.bpf.o) for polrun", run: runBuild,
			examples: []string{"polc build -o out/ p.yaml", "polc build --sign release.key --version 7 -o out/ policies/", "polc build --target host.tar.gz -o out/ p.yaml"},
			exit0:    "every policy was built", exit1: "a policy has errors: no bundle was written"},
		{name: "dump", summary: "print a policy after a compiler stage (--stage parse, ir or asm), or a bundle", run: runDump,
			examples: []string{"polc dump p.yaml", "polc dump --stage asm p.yaml", "polc dump --pos --each-pass p.yaml", "polc dump out/p.bpf.o"},
			exit0:    "dumped", exit1: "a policy has errors"},
		{name: "diff", summary: "what changed between two policies or bundles: a unified diff of their dumps", run: runDiff,
			examples: []string{"polc diff old/p.yaml p.yaml", "polc diff out/p.bpf.o p.yaml", "git show HEAD:p.yaml > /tmp/p.yaml && polc diff /tmp/p.yaml p.yaml"},
			exit0:    "the same", exit1: "they differ (the diff, then the program size changes, on stdout)"},
		{name: "inspect", summary: "describe bundles: hooks, programs, maps, sizes, hashes, signature (-o json|yaml)", run: runInspect,
			examples: []string{"polc inspect out/p.bpf.o", "polc inspect -o json out/*.bpf.o", "polc inspect --key release.pub out/p.bpf.o"},
			exit0:    "described", exit1: "a bundle was modified after it was built, or its signature does not verify with --key"},
		{name: "keygen", summary: "make an ed25519 key pair for build --sign (-o PREFIX)", run: runKeygen,
			examples: []string{"polc keygen -o release"}, exit0: "PREFIX.key and PREFIX.pub were written"},
		{name: "completion", summary: "print a shell completion script: bash, zsh or fish", run: runCompletion,
			examples: []string{"source <(polc completion bash)", "polc completion zsh > \"${fpath[1]}/_polc\"", "polc completion fish > ~/.config/fish/completions/polc.fish"},
			exit0:    "the script was printed"},
		{name: "version", summary: "print the version", run: runVersion, examples: []string{"polc version"}, exit0: "the version was printed"},
	}
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, "version takes no arguments")
	}
	fmt.Fprintln(stdout, "polc", version)
	return exitOK
}

func main() {
	version = buildversion.Resolve(version)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "polc: error: no command given")
		usage(stderr)
		return exitUsage
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 && args[0] == "help" { // polc help COMMAND
			return run([]string{args[1], "-h"}, stdout, stderr)
		}
		usage(stderr)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "polc: error: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: polc COMMAND [flags] [FILE|DIR|-]...")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nrun 'polc COMMAND -h' for the flags, examples and exit status of a command")
	fmt.Fprintln(w, "\nexit status: 0 ok, 1 findings (errors in a policy, a failed test, a difference), 2 usage or input error")
}
