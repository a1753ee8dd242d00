package vmtest

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteSummary prints one row per kernel, then every failure with its log
// and every skip with its reason. Per kernel, "to /init" is the time from
// starting qemu to /init's first marker, "uptime" the guest's uptime then,
// "wall" the whole boot including the tests.
func WriteSummary(w io.Writer, results []*Result, prepare, matrix time.Duration) {
	fmt.Fprintln(w, "\nvmtest summary")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "kernel\tDebian package\tto /init\tuptime\twall\tpass\tfail\tskip\tresult")
	for _, r := range results {
		var pass, fail, skip int
		for _, p := range r.Packages {
			pass += p.Count("PASS")
			fail += p.Count("FAIL")
			skip += p.Count("SKIP")
		}
		result := "ok"
		if r.Failed() {
			result = "FAIL"
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", r.Kernel.Series, r.Kernel.Package,
			r.Kernel.Version, seconds(r.InitAt), seconds(r.Boot), seconds(r.Wall), pass, fail, skip, result)
	}
	tw.Flush()
	fmt.Fprintf(w, "matrix: %s (fetching kernels and building the initramfs: %s)\n", seconds(matrix), seconds(prepare))

	for _, r := range results {
		name := r.Kernel.Series
		for _, p := range r.Packages {
			for _, t := range p.Tests {
				switch t.Outcome {
				case "FAIL":
					fmt.Fprintf(w, "\nFAIL %s %s %s\n", name, p.Package, t.Name)
					writeIndented(w, t.Log)
				case "SKIP":
					fmt.Fprintf(w, "skip %s %s %s: %s\n", name, p.Package, t.Name, strings.TrimSpace(strings.Join(t.Log, " ")))
				}
			}
			if p.Status != "exit:0" && p.Count("FAIL") == 0 {
				ended := "ended with " + p.Status
				switch p.Status {
				case statusNoEnd:
					ended = "did not finish"
				case StatusTimeout:
					ended = "was killed at its time limit (-timeout)"
				}
				fmt.Fprintf(w, "\nFAIL %s %s: test binary %s; its last output:\n", name, p.Package, ended)
				writeIndented(w, lastWords(p.Output(), 30))
			}
		}
		for _, problem := range r.Problems {
			fmt.Fprintf(w, "\nFAIL %s: %s\n", name, problem)
		}
		if len(r.Console) > 0 {
			fmt.Fprintf(w, "\nkernel %s console (last lines; full log in %s):\n", name, r.Logs)
			writeIndented(w, r.Console)
		}
	}
}

// lastWords is what best explains a binary's end: from its panic (Go's
// test timeout is one) when there is one, else its last lines.
func lastWords(lines []string, n int) []string {
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			return lines[i:min(len(lines), i+n)]
		}
	}
	return tail(lines, n)
}

func writeIndented(w io.Writer, lines []string) {
	for _, l := range lines {
		fmt.Fprintf(w, "    %s\n", strings.TrimRight(l, "\r"))
	}
}

func seconds(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}
