package bench

import (
	"bytes"
	"strings"
	"testing"
)

// manyFigures are ManyPolicies of fixed per-round overheads: one policy
// costs one, K separate policies sep[K] and a set of K set[K] (in ns and
// as ratios alike), the same in each of five rounds.
func manyFigures(hook string, sep, set map[int]float64) *ManyPolicies {
	mp := &ManyPolicies{Hook: hook, Rounds: 5, Samples: 11, Calls: 500,
		Overhead: map[string]Summary{}, ToOne: map[string]Summary{}, PerPolicy: map[string]Summary{}}
	for _, k := range PolicyCounts {
		for v, o := range map[string]float64{PolicyVariant(k): sep[k], SetVariant(k): set[k]} {
			var over, ratio, per []float64
			for range mp.Rounds {
				over, ratio, per = append(over, 100*o), append(ratio, o), append(per, 100*o/float64(k))
			}
			mp.Overhead[v], mp.ToOne[v], mp.PerPolicy[v] = Summarize(over), Summarize(ratio), Summarize(per)
		}
	}
	return mp
}

// TestReportManyPolicies: the section on many policies renders the host's
// table, then one table per guest that measured the kprobe with the
// separate bundles' ratio and the goal's verdict, and says "not measured"
// for a guest whose results lack the figures.
func TestReportManyPolicies(t *testing.T) {
	host := &HostResults{Machine: Machine{Kernel: "6.18"},
		ManyPolicies: manyFigures("tracepoint raw_syscalls/sys_enter",
			map[int]float64{1: 1, 10: 3.2, 50: 14}, map[int]float64{1: 1.2, 10: 1.5, 50: 2.5})}
	guests := []GuestResults{
		{Machine: Machine{Kernel: "6.1.0-56-amd64"}}, // from before the measurement
		{Machine: Machine{Kernel: "6.12"}, ManyPolicies: manyFigures("kprobe __x64_sys_getppid",
			map[int]float64{1: 1, 10: 8, 50: 41}, map[int]float64{1: 1.1, 10: 2, 50: 3.5})},
	}
	var buf bytes.Buffer
	r := &report{w: &buf, host: host, guests: guests}
	r.manyPolicies()
	if r.err != nil {
		t.Fatal(r.err)
	}
	out := buf.String()
	for _, want := range []string{
		"on tracepoint raw_syscalls/sys_enter",
		"| 50 policies | 1400 (1400–1400) | 14.00 (14.00–14.00) | 28 (28–28) |",
		"| set of 50 policies | 250 (250–250) | 2.50 (2.50–2.50) | 5 (5–5) |",
		"- 50 policies on one hook, each its own bundle, cost 14.0 (14.0–14.0)× one policy, per event.",
		"cost 2.5 (2.5–2.5)× one policy alone; the goal is at most 3×: met.",
		"only the ratios mean anything",
		"#### On one kprobe (guest 6.1.0-56-amd64)\n\nNot measured: this guest's results are from before the measurement (`make bench-vm KERNELS=6.1` measures it).",
		"#### On one kprobe (guest 6.12)\n\nkprobe __x64_sys_getppid: 5 interleaved rounds of 11 samples of 500 calls",
		"| 10 policies | 800 (800–800) | 8.00 (8.00–8.00) | 80 (80–80) |",
		"| set of 50 policies | 350 (350–350) | 3.50 (3.50–3.50) | 7 (7–7) |",
		"- 50 policies on one hook, each its own bundle, cost 41.0 (41.0–41.0)× one policy, per event.",
		"cost 3.5 (3.5–3.5)× one policy alone; the goal is at most 3×: **not met**.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the section lacks %q:\n%s", want, out)
		}
	}
	// The host's table comes first, then the guests' in their order.
	host50 := strings.Index(out, "cost 14.0")
	none61 := strings.Index(out, "guest 6.1.0-56-amd64")
	kprobe612 := strings.Index(out, "cost 41.0")
	if !(host50 >= 0 && host50 < none61 && none61 < kprobe612) {
		t.Errorf("sections out of order (host %d, 6.1 %d, 6.12 %d):\n%s", host50, none61, kprobe612, out)
	}
	if n := strings.Count(out, "| policies on the hook |"); n != 2 {
		t.Errorf("%d tables, want the host's and the 6.12 guest's:\n%s", n, out)
	}

	// Without the host's figures and any guest's, there is no section.
	buf.Reset()
	r = &report{w: &buf, host: &HostResults{}, guests: guests[:1]}
	r.manyPolicies()
	if buf.Len() != 0 {
		t.Errorf("a section without figures:\n%s", buf.String())
	}
	// Guests' figures without the host's: the guests' part alone.
	buf.Reset()
	r = &report{w: &buf, host: &HostResults{}, guests: guests}
	r.manyPolicies()
	if out := buf.String(); strings.Contains(out, "raw_syscalls") || !strings.Contains(out, "cost 41.0") || !strings.Contains(out, "Not measured") {
		t.Errorf("guests alone:\n%s", out)
	}
}
