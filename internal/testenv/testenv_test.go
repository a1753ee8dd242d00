package testenv

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func TestParseRelease(t *testing.T) {
	for _, tc := range []struct {
		release      string
		major, minor int
	}{
		{"6.1.0-56-amd64", 6, 1},
		{"6.12.117+deb12-amd64", 6, 12},
		{"6.18.44-fc-v669", 6, 18},
		{"5.4", 5, 4},
		{"6.12-rc1", 6, 12},
	} {
		major, minor, err := parseRelease(tc.release)
		if err != nil || major != tc.major || minor != tc.minor {
			t.Errorf("parseRelease(%q) = %d, %d, %v; want %d, %d", tc.release, major, minor, err, tc.major, tc.minor)
		}
	}
	for _, bad := range []string{"", "6", "x.y", "6.x"} {
		if _, _, err := parseRelease(bad); err == nil {
			t.Errorf("parseRelease(%q) succeeded", bad)
		}
	}
}

// verdictTB records how Require ended a test instead of ending it.
type verdictTB struct {
	testing.TB
	verdict string
}

func (v *verdictTB) Helper() {}
func (v *verdictTB) Skipf(format string, args ...any) {
	v.verdict = "skip: " + fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (v *verdictTB) Fatalf(format string, args ...any) {
	v.verdict = "fail: " + fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func verdict(reqs ...Requirement) string {
	v := &verdictTB{verdict: "run"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Require(v, reqs...)
	}()
	<-done
	return v.verdict
}

func TestRequireDecides(t *testing.T) {
	met := Requirement{Name: "met", Check: func() error { return nil }}
	ciMissing := Requirement{Name: "ci-thing", OnCIHost: true, Check: func() error { return errors.New("gone") }}
	vmOnly := Requirement{Name: "vm-thing", Check: func() error { return errors.New("kernel lacks CONFIG_X") }}
	tooOld := Requirement{Name: "kernel >= 9.9", OnCIHost: true, Check: func() error { return notSupportedHere{"kernel is 6.1"} }}

	for _, tc := range []struct {
		name, ci, vm string
		reqs         []Requirement
		want         string
	}{
		{"all met", "", "", []Requirement{met}, "run"},
		{"dev host skips", "", "", []Requirement{met, ciMissing}, "skip: needs ci-thing: gone"},
		{"CI fails on a CI-host requirement", "true", "", []Requirement{ciMissing}, "fail: needs ci-thing, which CI hosts have (CI=true): gone"},
		{"CI skips a vm-only requirement", "true", "", []Requirement{vmOnly}, "skip: needs vm-thing: kernel lacks CONFIG_X; runs under make vmtest"},
		{"guest fails", "", "1", []Requirement{vmOnly}, "fail: needs vm-thing inside the vmtest guest: kernel lacks CONFIG_X"},
		{"guest skips a kernel bound", "", "1", []Requirement{vmOnly, tooOld}, "skip: needs kernel >= 9.9: kernel is 6.1"},
		{"CI skips a kernel bound", "true", "", []Requirement{ciMissing, tooOld}, "skip: needs kernel >= 9.9: kernel is 6.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			t.Setenv("POLC_VMTEST", tc.vm)
			if got := verdict(tc.reqs...); got != tc.want {
				t.Errorf("verdict = %q\nwant      %q", got, tc.want)
			}
		})
	}
}

func TestKernelAtLeast(t *testing.T) {
	release, major, minor, err := kernelVersion()
	if err != nil {
		t.Fatal(err)
	}
	if err := KernelAtLeast(major, minor).Check(); err != nil {
		t.Errorf("KernelAtLeast(%d, %d) on %s: %v", major, minor, release, err)
	}
	var ns notSupportedHere
	if err := KernelAtLeast(major, minor+1).Check(); !errors.As(err, &ns) || !strings.Contains(err.Error(), release) {
		t.Errorf("KernelAtLeast(%d, %d) on %s = %v, want a kernel bound naming the release", major, minor+1, release, err)
	}
}

// TestFeatures probes every feature on this machine: in CI the CI-host
// features must be there, in the vmtest guest all of them (kprobe_multi
// from 6.12 on); elsewhere each missing one is a skip with its reason.
func TestFeatures(t *testing.T) {
	for _, r := range []Requirement{Root, BPFFS, Tracefs, KernelBTF, Tracepoints, Uprobes, RingBuf,
		Kprobes, Kretprobes, Fentry, FmodRet, LSM} {
		t.Run(r.Name, func(t *testing.T) { Require(t, r) })
	}
	t.Run("kprobe_multi", func(t *testing.T) { Require(t, KernelAtLeast(6, 12), KprobeMulti) })
	t.Run("uprobe_write_ctx", func(t *testing.T) { Require(t, KernelAtLeast(6, 19), UprobeWriteCtx) })
}
