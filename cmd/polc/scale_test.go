package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// manyPolicies is a file of n policies, each followed by a comment of pad
// bytes: a large file whose documents are cheap to compile.
func manyPolicies(n, pad int) string {
	var b strings.Builder
	comment := "# " + strings.Repeat("x", pad) + "\n"
	for i := range n {
		if i > 0 {
			b.WriteString("---\n")
		}
		b.WriteString(strings.Replace(goodPolicy, `name: "fd-install"`, fmt.Sprintf(`name: "p%d"`, i), 1))
		b.WriteString(comment)
	}
	return b.String()
}

// buildSeconds is the least CPU time (user and system, of this process)
// of three builds of path into a fresh directory: CPU time, not wall
// time, so that other processes on the machine do not count.
func buildSeconds(t testing.TB, path string) float64 {
	cpu := func() float64 {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	best := 0.0
	for range 3 {
		out := filepath.Join(t.TempDir(), "out")
		runtime.GC()
		start := cpu()
		if code, stdout, stderr := runPolc("build", "-o", out, path); code != exitOK {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		if s := cpu() - start; best == 0 || s < best {
			best = s
		}
		os.RemoveAll(out)
	}
	return best
}

// TestBuildLinearInDocuments: building a file of many policies costs the
// same per policy whatever the number of policies. (Each policy's
// manifest records the file's sha256; it was computed once per policy, so
// that a file of n policies hashed n times its own size.) The documents
// are padded to 30 KB so that hashing the whole file per document would
// dominate: 500 of them cost about 4 times as much per document as 50 (15 MB hashed 500 times).
func TestBuildLinearInDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1,650 policies")
	}
	small, large := 50, 500
	ts := buildSeconds(t, writeFile(t, "small.yaml", manyPolicies(small, 30<<10))) / float64(small)
	tl := buildSeconds(t, writeFile(t, "large.yaml", manyPolicies(large, 30<<10))) / float64(large)
	t.Logf("per policy: %.2f ms with %d in the file, %.2f ms with %d", ts*1e3, small, tl*1e3, large)
	if tl > 3*ts {
		t.Errorf("a policy costs %.1f times as much to build in a file of %d as in one of %d: not linear", tl/ts, large, small)
	}
}

// BenchmarkBuildDocuments builds files of 1,000 and 10,000 small policies
// (polc build, output written): the time per policy stays the same.
func BenchmarkBuildDocuments(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "many.yaml")
			if err := os.WriteFile(path, []byte(manyPolicies(n, 0)), 0o644); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				out := filepath.Join(b.TempDir(), "out")
				if code, stdout, stderr := runPolc("build", "-o", out, path); code != exitOK {
					b.Fatalf("exit %d\n%s%s", code, stdout, stderr)
				}
				os.RemoveAll(out)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(n), "ms/policy")
		})
	}
}
