package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestDumpIR(t *testing.T) {
	good := writeFile(t, "good.yaml", goodPolicy)
	code, out, errs := runPolc("dump", "--stage", "ir", "--pos", good)
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		"policy fd-install arch=x86_64 @" + good + ":1:1",
		"hook 0 kprobe fd_install @" + good + ":7:5",
		`arg slot=1 file Equal "/etc/passwd" @` + good + ":16:9",
		"action Post @" + good + ":15:7", // the default
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// ir is the default stage.
	if code, def, _ := runPolc("dump", "--pos", good); code != exitOK || def != out {
		t.Errorf("dump without --stage differs from --stage ir")
	}
}

// TestDumpGolden: polc dump --stage ir prints what the golden files hold.
func TestDumpGolden(t *testing.T) {
	for _, name := range []string{"ops_int", "lists", "fold"} {
		src := filepath.Join("..", "..", "testdata", "golden", name+".yaml")
		golden, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", name+".ir"))
		if err != nil {
			t.Fatal(err)
		}
		var want strings.Builder
		for _, line := range strings.SplitAfter(string(golden), "\n") {
			if !strings.HasPrefix(line, "# ") {
				want.WriteString(line)
			}
		}
		_, out, errs := runPolc("dump", "--stage", "ir", src)
		out = strings.ReplaceAll(out, "../../testdata/", "testdata/")
		if out != want.String() {
			t.Errorf("%s: dump differs from the golden file:\n%s", name, out)
		}
		if name == "fold" && !strings.Contains(errs, "[never-fires]") {
			t.Errorf("fold: lowering warnings not on stderr: %q", errs)
		}
	}
}

func TestDumpEachPass(t *testing.T) {
	good := writeFile(t, "good.yaml", goodPolicy)
	code, out, errs := runPolc("dump", "--each-pass", good)
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, final, _ := runPolc("dump", good)
	passes := []string{"build", "expand-lists", "resolve-syscalls", "normalize", "fold", "layout-maps", "layout-events"}
	for _, p := range passes {
		if !strings.Contains(out, "# after "+p+"\npolicy fd-install") {
			t.Errorf("no dump after %s", p)
		}
	}
	if !strings.HasSuffix(out, "# after layout-events\n"+final) {
		t.Errorf("the last dump is not the final IR:\n%s", out)
	}
}

func TestDumpArch(t *testing.T) {
	p := writeFile(t, "w.yaml", strings.Replace(goodPolicy, `"fd_install"
    syscall: false`, `"sys_write"
    syscall: true`, 1))
	_, out, _ := runPolc("dump", "--target-arch", "arm64", p)
	if !strings.Contains(out, "hook 0 kprobe __arm64_sys_write call=sys_write syscall abi=arm64") {
		t.Errorf("arm64 symbol missing:\n%s", out)
	}
	if code, _, _ := runPolc("dump", "--target-arch", "mips", p); code != exitUsage {
		t.Errorf("unknown arch: exit %d", code)
	}
}

func TestDumpParse(t *testing.T) {
	src := strings.Replace(goodPolicy, `operator: "Equal"`, `operator: "eq"`, 1) + `    - matchPIDs:
      - operator: NotIn
        values: [1]
      matchCapabilities:
      - operator: In
        values: ["cap_sys_admin"]
`
	p := writeFile(t, "p.yaml", src)
	code, out, errs := runPolc("dump", "--stage", "parse", p)
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		"syscall: false",           // default made explicit
		"return: false",            //
		"operator: Equal",          // canonical spelling of eq
		"followForks: false",       //
		"isNamespacePID: false",    //
		"type: Effective",          // default capability set
		"- CAP_SYS_ADMIN",          // canonical capability name
		"isNamespaceCapability: f", //
	} {
		if !strings.Contains(out, want) {
			t.Errorf("parse dump lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`- index: 1\n +type: file\n`).MatchString(out) {
		t.Errorf("arguments are not written index first, then type:\n%s", out)
	}
	// The normalized form is a fixed point, and still a valid policy.
	again := writeFile(t, "again.yaml", out)
	code, out2, errs := runPolc("dump", "--stage", "parse", again)
	if code != exitOK || out2 != out {
		t.Errorf("normalizing twice changed the output (exit %d, %s):\n%s", code, errs, out2)
	}
	if code, _, errs := runPolc("validate", again); code != exitOK {
		t.Errorf("normalized policy does not validate: %s", errs)
	}
}

func TestDumpExitCodes(t *testing.T) {
	good := writeFile(t, "good.yaml", goodPolicy)
	bad := writeFile(t, "bad.yaml", strings.Replace(goodPolicy, `"Equal"`, `"Equall"`, 1))
	ftrace := writeFile(t, "ftrace.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: ftrace
spec:
  lists:
  - name: "ksys"
    type: "generated_ftrace"
    pattern: "^ksys_"
  kprobes:
  - call: "list:ksys"
`)
	for _, tc := range []struct {
		name   string
		args   []string
		want   int
		stderr string
	}{
		{"clean", []string{"dump", good}, exitOK, ""},
		{"check error", []string{"dump", bad}, exitFound, "Equall"},
		{"lowering error", []string{"dump", ftrace}, exitFound, "[needs-target]"},
		{"parse stage ignores lowering", []string{"dump", "--stage", "parse", ftrace}, exitOK, ""},
		{"unknown stage", []string{"dump", "--stage", "asmx", good}, exitUsage, "unknown stage"},
		{"missing file", []string{"dump", "/nonexistent.yaml"}, exitUsage, "no such file"},
		{"bad flag", []string{"dump", "--nope", good}, exitUsage, "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runPolc(tc.args...)
			if code != tc.want || !strings.Contains(errs, tc.stderr) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tc.want, errs, tc.stderr)
			}
		})
	}
}

func TestDumpStdin(t *testing.T) {
	var out, errb strings.Builder
	old := os.Stdin
	defer func() { os.Stdin = old }()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdin = r
	go func() { w.WriteString(goodPolicy); w.Close() }()
	if code := run([]string{"dump", "--pos", "-"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "@<stdin>:7:5") {
		t.Errorf("positions do not name stdin:\n%s", out.String())
	}
}

// TestDumpNoPositions: without --pos, adding comment lines above a policy
// and naming it by another path change none of the dumps, so golden files
// made from them do not change either.
func TestDumpNoPositions(t *testing.T) {
	a := writeFile(t, "a.yaml", goodPolicy)
	b := writeFile(t, "b.yaml", "# a comment\n# and another\n"+goodPolicy)
	for _, stage := range []string{"ir", "asm", "parse"} {
		codeA, outA, _ := runPolc("dump", "--stage", stage, a)
		codeB, outB, _ := runPolc("dump", "--stage", stage, b)
		if codeA != exitOK || codeB != exitOK || outA != outB {
			t.Errorf("--stage %s: the dumps differ (exit %d, %d):\n%s\n---\n%s", stage, codeA, codeB, outA, outB)
		}
		if strings.Contains(outA, "a.yaml") || regexp.MustCompile(`@[0-9]`).MatchString(outA) {
			t.Errorf("--stage %s: a position is left:\n%s", stage, outA)
		}
	}
	_, withPos, _ := runPolc("dump", "--stage", "asm", "--pos", b)
	if !strings.Contains(withPos, `; - call: "fd_install"  @9`) {
		t.Errorf("--pos: the asm comments lack their line numbers:\n%s", withPos)
	}
}

// TestDumpParsePreservesMeaning: for every golden and corpus policy, the
// normalized form validates, is a fixed point, and lowers to the same IR
// (positions aside).
func TestDumpParsePreservesMeaning(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "golden", "*.yaml"))
	corpus, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "tetragon-examples", "*.y*ml"))
	files = append(files, corpus...)
	if len(corpus) == 0 {
		t.Log("corpus of Tetragon examples not present; golden policies only")
	}
	pos := regexp.MustCompile(` @[^ ]+$`)
	stripPos := func(s string) string {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = pos.ReplaceAllString(l, "")
		}
		return strings.Join(lines, "\n")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			arch := "x86_64"
			if strings.Contains(f, "arm64") {
				arch = "arm64"
			}
			_, norm, _ := runPolc("dump", "--stage", "parse", "--target-arch", arch, f)
			p := writeFile(t, "n.yaml", norm)
			if code, report, _ := runPolc("validate", "--target-arch", arch, p); code != exitOK {
				t.Fatalf("normalized policy does not validate:\n%s\n%s", report, norm)
			}
			if _, again, _ := runPolc("dump", "--stage", "parse", "--target-arch", arch, p); again != norm {
				t.Errorf("not a fixed point:\n%s", again)
			}
			code1, ir1, _ := runPolc("dump", "--target-arch", arch, f)
			code2, ir2, _ := runPolc("dump", "--target-arch", arch, p)
			if code1 != code2 || stripPos(ir1) != stripPos(ir2) {
				t.Errorf("normalized policy lowers differently (exit %d vs %d):\n%s\n---\n%s", code1, code2, ir1, ir2)
			}
		})
	}
}
