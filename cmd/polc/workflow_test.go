package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/bundle"
	"github.com/polc-dev/polc/internal/testenv"
)

// The GitHub Actions workflow in docs/ cannot run here. These tests make
// it correct by construction: every polc command line in it uses commands
// and flags polc has, the SARIF file it uploads is the one polc validate
// writes, and its shell steps, run with this polc, validate, build (and
// sign) and fail on a golden difference.

const workflowFile = "../../docs/github-actions/polc.yml"

// TestMain lets the test binary be polc for the workflow's shell steps
// (POLC_TEST_AS_POLC=1), so that they run this package's code.
func TestMain(m *testing.M) {
	if os.Getenv("POLC_TEST_AS_POLC") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

type workflow struct {
	Name string            `yaml:"name"`
	On   map[string]any    `yaml:"on"`
	Perm map[string]string `yaml:"permissions"`
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		RunsOn string            `yaml:"runs-on"`
		Perm   map[string]string `yaml:"permissions"`
		Env    map[string]string `yaml:"env"`
		Steps  []step            `yaml:"steps"`
	} `yaml:"jobs"`
}

type step struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	With map[string]string `yaml:"with"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
}

func readWorkflow(t *testing.T) *workflow {
	t.Helper()
	data, err := os.ReadFile(workflowFile)
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&w); err != nil {
		t.Fatalf("%s: %v", workflowFile, err)
	}
	if len(w.Jobs) != 1 {
		t.Fatalf("%s: %d jobs, the tests know one", workflowFile, len(w.Jobs))
	}
	return &w
}

// invocation is one polc command line of a shell step.
type invocation struct {
	args   []string // after "polc"
	stdout string   // the file stdout is redirected to, if any
	line   string
}

// shellWords splits a line of shell into words and operators, keeping
// expansions as written ("$X" stays $X) and dropping quotes.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '#' && !inWord:
			flush()
			return words
		case c == ' ' || c == '\t':
			flush()
		case c == '\'' || c == '"':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				j = len(line) - i - 1
			}
			cur.WriteString(line[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case strings.IndexByte(";|&<>()", c) >= 0:
			flush()
			op := string(c)
			if i+1 < len(line) && strings.IndexByte("|&>", line[i+1]) >= 0 {
				op += string(line[i+1])
				i++
			}
			words = append(words, op)
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words
}

// polcInvocations finds the polc command lines of a shell script: polc as
// a command word, its arguments up to the next operator, and where its
// stdout goes.
func polcInvocations(script string) []invocation {
	var out []invocation
	script = strings.ReplaceAll(script, "\\\n", " ")
	for _, line := range strings.Split(script, "\n") {
		words := shellWords(line)
		commandPos := true
		for i := 0; i < len(words); i++ {
			w := words[i]
			if strings.ContainsAny(w[:1], ";|&<>()") {
				commandPos = true
				continue
			}
			if commandPos && (w == "then" || w == "else" || w == "do" || w == "if" || w == "!") {
				continue
			}
			if commandPos && w == "polc" {
				inv := invocation{line: strings.TrimSpace(line)}
				for i++; i < len(words); i++ {
					if words[i] == ">" && i+1 < len(words) {
						inv.stdout = words[i+1]
						i++
						continue
					}
					if strings.ContainsAny(words[i][:1], ";|&<>()") {
						i--
						break
					}
					inv.args = append(inv.args, words[i])
				}
				out = append(out, inv)
			}
			commandPos = false
		}
	}
	return out
}

// flagsOf returns the flags polc COMMAND -h lists, each with whether it
// takes a value.
func flagsOf(t *testing.T, command string) map[string]bool {
	t.Helper()
	code, _, usage := runPolc(command, "-h")
	if code != exitOK {
		t.Fatalf("polc %s -h: exit %d\n%s", command, code, usage)
	}
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z][-a-z]*)( \S+)?$`).FindAllStringSubmatch(usage, -1) {
		flags[m[1]] = m[2] != ""
	}
	if len(flags) == 0 {
		t.Fatalf("polc %s -h lists no flags:\n%s", command, usage)
	}
	return flags
}

func TestWorkflowInvocations(t *testing.T) {
	w := readWorkflow(t)
	known := map[string]bool{}
	for _, c := range commands() {
		known[c.name] = true
	}
	var all []invocation
	var steps []step
	for _, j := range w.Jobs {
		steps = j.Steps
		if j.Perm["security-events"] != "write" {
			t.Error("the job cannot upload SARIF: permissions.security-events is not write")
		}
	}
	sarifFile := ""
	for _, s := range steps {
		if s.Uses != "" && !regexp.MustCompile(`^[\w-]+/[\w/-]+@v\d+$`).MatchString(s.Uses) {
			t.Errorf("step %q uses %q: not an action at a major version", s.Name, s.Uses)
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			sarifFile = s.With["sarif_file"]
			if !strings.Contains(s.If, "!cancelled()") && !strings.Contains(s.If, "always()") {
				t.Errorf("the SARIF upload is skipped when validation fails (if: %q)", s.If)
			}
		}
		if strings.Contains(s.Run, "go install") && !strings.Contains(s.Run, "go install github.com/polc-dev/polc/cmd/polc@") {
			t.Errorf("install step %q does not install this module's polc", s.Run)
		}
		all = append(all, polcInvocations(s.Run)...)
	}
	if sarifFile == "" {
		t.Fatal("no github/codeql-action/upload-sarif step with a sarif_file")
	}

	seen := map[string]bool{}
	for _, inv := range all {
		if len(inv.args) == 0 || !known[inv.args[0]] {
			t.Errorf("%q: polc has no such command", inv.line)
			continue
		}
		cmd := inv.args[0]
		flags := flagsOf(t, cmd)
		var used []string
		for i := 1; i < len(inv.args); i++ {
			a := inv.args[i]
			if !strings.HasPrefix(a, "-") || a == "-" {
				continue
			}
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			takesValue, ok := flags[name]
			if !ok {
				t.Errorf("%q: polc %s has no flag -%s", inv.line, cmd, name)
				continue
			}
			if takesValue && !hasValue {
				if i+1 >= len(inv.args) {
					t.Errorf("%q: -%s needs a value", inv.line, name)
				}
				used = append(used, name+"="+inv.args[i+1])
				i++
			} else {
				used = append(used, name)
			}
		}
		sort.Strings(used)
		seen[cmd+" "+strings.Join(used, " ")] = true
		if (cmd == "validate" || cmd == "lint") && strings.Contains(" "+strings.Join(used, " "), " o=sarif") && inv.stdout != sarifFile {
			t.Errorf("%q writes SARIF to %q; the upload step uploads %q", inv.line, inv.stdout, sarifFile)
		}
	}
	for _, want := range []string{"lint compat=tetragon o=sarif", "build o=out", "build o=out sign=$RUNNER_TEMP/signing.key",
		"dump stage=ir", "dump stage=asm"} {
		if !seen[want] {
			t.Errorf("no polc %s in the workflow; it has %v", want, keys(seen))
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// stepRunner runs the workflow's shell steps as GitHub's runner does
// (bash -e -o pipefail), in a scratch repository, with this test binary
// as polc.
type stepRunner struct {
	t     *testing.T
	polc  string // the test binary, as polc
	repo  string
	env   []string
	steps map[string]step
}

func newStepRunner(t *testing.T, w *workflow, secrets map[string]string) *stepRunner {
	testenv.Require(t, testenv.Tool("bash"), testenv.Tool("diff"))
	bin := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(bin, "polc")); err != nil {
		t.Fatal(err)
	}
	r := &stepRunner{t: t, polc: filepath.Join(bin, "polc"), repo: t.TempDir(), steps: map[string]step{}}
	r.env = append(os.Environ(), "POLC_TEST_AS_POLC=1", "PATH="+bin+":"+os.Getenv("PATH"),
		"RUNNER_TEMP="+t.TempDir(), "GITHUB_WORKSPACE="+r.repo, "CI=true")
	expr := regexp.MustCompile(`^\$\{\{\s*secrets\.(\w+)\s*\}\}$`)
	addEnv := func(env map[string]string) {
		for k, v := range env {
			if m := expr.FindStringSubmatch(v); m != nil {
				v = secrets[m[1]]
			} else if strings.Contains(v, "${{") {
				t.Fatalf("env %s: expression %q the test cannot evaluate", k, v)
			}
			r.env = append(r.env, k+"="+v)
		}
	}
	addEnv(w.Env)
	for _, j := range w.Jobs {
		addEnv(j.Env)
		for _, s := range j.Steps {
			if s.Name != "" {
				r.steps[s.Name] = s
			}
		}
	}
	return r
}

// run runs the named step; it returns the combined output and whether
// the step succeeded.
func (r *stepRunner) run(name string) (string, bool) {
	r.t.Helper()
	s, ok := r.steps[name]
	if !ok || s.Run == "" {
		r.t.Fatalf("no shell step %q", name)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", s.Run)
	cmd.Dir = r.repo
	cmd.Env = r.env
	for k, v := range s.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

func (r *stepRunner) getenv(name string) string {
	for _, kv := range r.env {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v
		}
	}
	return ""
}

// setup copies the example policies into the scratch repository's
// POLICIES directory and writes their golden dumps as docs/ci.md says.
func (r *stepRunner) setup() (policies, golden string) {
	policies, golden = filepath.Join(r.repo, r.getenv("POLICIES")), filepath.Join(r.repo, r.getenv("GOLDEN"))
	if err := os.MkdirAll(golden, 0o755); err != nil {
		r.t.Fatal(err)
	}
	examples, _ := filepath.Glob("../../examples/*.yaml")
	if len(examples) == 0 {
		r.t.Fatal("no examples")
	}
	for _, f := range examples {
		data, err := os.ReadFile(f)
		if err != nil {
			r.t.Fatal(err)
		}
		os.WriteFile(filepath.Join(policies, filepath.Base(f)), data, 0o644)
	}
	cmd := exec.Command("bash", "-e", "-c", regenerateGolden(r.t))
	cmd.Dir, cmd.Env = r.repo, r.env
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("regenerate golden dumps (docs/ci.md): %v\n%s", err, out)
	}
	return policies, golden
}

// regenerateGolden is the recipe of docs/ci.md for writing golden dumps.
func regenerateGolden(t *testing.T) string {
	data, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	const mark = "<!-- regenerate-golden -->"
	_, rest, ok := strings.Cut(string(data), mark+"\n```sh\n")
	script, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatalf("docs/ci.md has no %s followed by a sh block", mark)
	}
	return script
}

func TestWorkflowSteps(t *testing.T) {
	w := readWorkflow(t)
	privPEM, pubPEM, _, err := bundle.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, signed := range []bool{false, true} {
		t.Run(fmt.Sprintf("signed=%v", signed), func(t *testing.T) {
			secrets := map[string]string{}
			if signed {
				secrets["POLC_SIGNING_KEY"] = string(privPEM)
			}
			r := newStepRunner(t, w, secrets)
			policies, golden := r.setup()

			// Validate writes the SARIF the upload step uploads: what
			// polc lint --compat tetragon -o sarif writes (errors and
			// warnings), valid SARIF 2.1.0.
			if out, ok := r.run("Validate"); !ok {
				t.Fatalf("Validate failed:\n%s", out)
			}
			sarif, err := os.ReadFile(filepath.Join(r.repo, r.steps["Upload SARIF"].With["sarif_file"]))
			if err != nil {
				t.Fatalf("the file the upload step uploads: %v", err)
			}
			direct := exec.Command(r.polc, "lint", "--compat", "tetragon", "-o", "sarif", r.getenv("POLICIES"))
			direct.Dir, direct.Env = r.repo, r.env
			if want, err := direct.Output(); err != nil || !bytes.Equal(sarif, want) {
				t.Errorf("the uploaded SARIF is not what polc lint --compat tetragon -o sarif writes (%v)", err)
			}
			checkSARIF(t, sarif)

			if out, ok := r.run("Lint"); !ok {
				t.Errorf("Lint failed:\n%s", out)
			}
			out, ok := r.run("Build bundles")
			if !ok {
				t.Fatalf("Build bundles failed:\n%s", out)
			}
			bundles, _ := filepath.Glob(filepath.Join(r.repo, "out", "*.bpf.o"))
			if len(bundles) != 3 || !strings.Contains(out, "policy    shell-syscalls") {
				t.Errorf("bundles %v; the step said:\n%s", bundles, out)
			}
			trusted, _ := bundle.ParsePublicKeys(pubPEM)
			for _, b := range bundles {
				_, err := bundle.ReadSigned(b, &bundle.VerifyOptions{Trusted: trusted})
				if signed && err != nil || !signed && err == nil {
					t.Errorf("%s: signed=%v, verification: %v", b, signed, err)
				}
			}

			if out, ok := r.run("Diff golden dumps"); !ok {
				t.Fatalf("Diff golden dumps failed on unchanged policies:\n%s", out)
			}
			// A changed policy fails the diff, naming the file.
			p := filepath.Join(policies, "shell-syscalls.yaml")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(data, []byte(`"/usr/bin/dash"`), []byte(`"/usr/bin/zsh"`), 1), 0o644)
			out, ok = r.run("Diff golden dumps")
			if ok || !strings.Contains(out, "shell-syscalls.ir") || !strings.Contains(out, "/usr/bin/zsh") {
				t.Errorf("Diff golden dumps after a change: ok=%v\n%s", ok, out)
			}
			os.WriteFile(p, data, 0o644)
			// A new policy without golden dumps fails too.
			os.WriteFile(filepath.Join(policies, "new.yaml"), bytes.Replace(data, []byte("shell-syscalls"), []byte("new-one"), 1), 0o644)
			if out, ok := r.run("Diff golden dumps"); ok || !strings.Contains(out, "Only in") {
				t.Errorf("Diff golden dumps with a new policy: ok=%v\n%s", ok, out)
			}
			os.Remove(filepath.Join(policies, "new.yaml"))
			if _, err := os.Stat(golden); err != nil {
				t.Fatal(err)
			}
			// Policies in subdirectories and *.yml files have golden dumps
			// too, at their path; policy tests (*_test.yaml) are not dumped.
			nested := filepath.Join(policies, "net", "nested.yml")
			os.MkdirAll(filepath.Dir(nested), 0o755)
			os.WriteFile(nested, bytes.Replace(data, []byte("shell-syscalls"), []byte("nested-one"), 1), 0o644)
			os.WriteFile(filepath.Join(policies, "shell-syscalls_test.yaml"), []byte("cases: []\n"), 0o644)
			if out, ok := r.run("Diff golden dumps"); ok || !strings.Contains(out, "Only in") || !strings.Contains(out, "golden: net") {
				t.Errorf("Diff golden dumps with a nested .yml policy and no golden dumps: ok=%v\n%s", ok, out)
			}
			regen := exec.Command("bash", "-e", "-c", regenerateGolden(t))
			regen.Dir, regen.Env = r.repo, r.env
			if out, err := regen.CombinedOutput(); err != nil {
				t.Fatalf("regenerate golden dumps: %v\n%s", err, out)
			}
			if _, err := os.Stat(filepath.Join(golden, "net", "nested.ir")); err != nil {
				t.Errorf("no golden dump of the nested policy: %v", err)
			}
			if out, ok := r.run("Diff golden dumps"); !ok {
				t.Errorf("Diff golden dumps after regenerating:\n%s", out)
			}
			nestedData, _ := os.ReadFile(nested)
			os.WriteFile(nested, bytes.Replace(nestedData, []byte(`"/usr/bin/dash"`), []byte(`"/usr/bin/zsh"`), 1), 0o644)
			if out, ok := r.run("Diff golden dumps"); ok || !strings.Contains(out, "nested.ir") {
				t.Errorf("Diff golden dumps after changing the nested policy: ok=%v\n%s", ok, out)
			}
			os.RemoveAll(filepath.Dir(nested))
			os.RemoveAll(filepath.Join(golden, "net"))
			os.Remove(filepath.Join(policies, "shell-syscalls_test.yaml"))

			// A broken policy: Validate fails, and still writes the SARIF
			// the upload step (if: !cancelled()) uploads.
			os.WriteFile(p, bytes.Replace(data, []byte(`"In"`), []byte(`"Inn"`), 1), 0o644)
			if out, ok := r.run("Validate"); ok {
				t.Errorf("Validate passed a broken policy:\n%s", out)
			}
			sarif, _ = os.ReadFile(filepath.Join(r.repo, r.steps["Upload SARIF"].With["sarif_file"]))
			checkSARIF(t, sarif)
			if !bytes.Contains(sarif, []byte(`"uri": "policies/shell-syscalls.yaml"`)) || !bytes.Contains(sarif, []byte(`"level": "error"`)) {
				t.Errorf("the SARIF of a broken policy:\n%s", sarif)
			}
		})
	}
}

// checkSARIF validates against the official SARIF 2.1.0 schema that
// compiler/report's tests use.
func checkSARIF(t *testing.T, data []byte) {
	t.Helper()
	const file = "../../compiler/report/testdata/sarif-schema-2.1.0.json"
	schema, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	c.AssertFormat = true
	const url = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, bytes.NewReader(schema)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("not SARIF 2.1.0: %v", err)
	}
}
