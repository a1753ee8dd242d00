package main

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
)

// TestEditScript: the script turns a into b, and is as short as an LCS
// says it can be, on random inputs.
func TestEditScript(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	words := []string{"a", "b", "c", "d"}
	gen := func() []string {
		s := make([]string, rng.Intn(12))
		for i := range s {
			s[i] = words[rng.Intn(len(words))]
		}
		return s
	}
	for i := 0; i < 2000; i++ {
		a, b := gen(), gen()
		ops := editScript(a, b)
		var gotA, gotB []string
		edits := 0
		for _, op := range ops {
			if op.kind != '+' {
				gotA = append(gotA, op.text)
			}
			if op.kind != '-' {
				gotB = append(gotB, op.text)
			}
			if op.kind != ' ' {
				edits++
			}
		}
		if strings.Join(gotA, ",") != strings.Join(a, ",") || strings.Join(gotB, ",") != strings.Join(b, ",") {
			t.Fatalf("%v -> %v: script %v does not turn one into the other", a, b, ops)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); edits != want {
			t.Fatalf("%v -> %v: %d edits, want %d", a, b, edits, want)
		}
	}
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// TestUnifiedDiffPatch: what unifiedDiff writes, patch(1) applies: the
// hunks' ranges and context are right.
func TestUnifiedDiffPatch(t *testing.T) {
	testenv.Require(t, testenv.Tool("patch"))
	patch, _ := exec.LookPath("patch")
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 200; i++ {
		var a []string
		for j := 0; j < rng.Intn(60); j++ {
			a = append(a, "line"+string(rune('a'+rng.Intn(26))))
		}
		b := append([]string(nil), a...)
		for e := 0; e < rng.Intn(4); e++ {
			p := rng.Intn(len(b) + 1)
			switch rng.Intn(3) {
			case 0:
				b = append(b[:p], append([]string{"new"}, b[p:]...)...)
			case 1:
				if p < len(b) {
					b = append(b[:p], b[p+1:]...)
				}
			default:
				if p < len(b) {
					b[p] = "changed"
				}
			}
		}
		ta, tb := strings.Join(a, "\n")+"\n", strings.Join(b, "\n")+"\n"
		if len(a) == 0 {
			ta = ""
		}
		if len(b) == 0 {
			tb = ""
		}
		d := unifiedDiff("a", "b", ta, tb, 3)
		if (d == "") != (ta == tb) {
			t.Fatalf("diff %q for equal=%v", d, ta == tb)
		}
		if d == "" {
			continue
		}
		dir := t.TempDir()
		f := filepath.Join(dir, "f")
		os.WriteFile(f, []byte(ta), 0o644)
		cmd := exec.Command(patch, "-s", "-u", f)
		cmd.Stdin = strings.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch refuses the diff: %v\n%s\n%s", err, out, d)
		}
		if got, _ := os.ReadFile(f); string(got) != tb {
			t.Fatalf("patched %q, want %q\n%s", got, tb, d)
		}
	}
}
