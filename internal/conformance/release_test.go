package conformance

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A column recorded on one machine is checked on every other machine of
// the same kernel series, whose build string differs (6.18.44-fc-v669 where
// it was recorded, 6.18.44-fc-v1147 in CI): the same refusal must make the
// same outcome on both, even where the detail is cut to maxDetail.
func TestOutcomeIndependentOfRelease(t *testing.T) {
	detail := func(release string) string {
		return "built for this kernel: 9:14: list cannot be expanded: the profile of kernel " + release +
			" has no traceable functions (" + strings.Repeat("available_filter_functions ", 20) + ")"
	}
	recorded := outcomeOn(kernelName{"6.18", "6.18.44-fc-v669"}, Refused, detail("6.18.44-fc-v669"))
	for _, release := range []string{"6.18.44-fc-v1147", "6.18.0", "6.18.1-1-cloud-amd64-with-a-long-name"} {
		got := outcomeOn(kernelName{"6.18", release}, Refused, detail(release))
		if got != recorded {
			t.Errorf("on %s:\n\t%s\nrecorded on 6.18.44-fc-v669:\n\t%s", release, got, recorded)
		}
		if strings.Contains(got.Detail, release) {
			t.Errorf("on %s the detail names the build: %s", release, got.Detail)
		}
	}
	if !strings.Contains(recorded.Detail, "the profile of kernel 6.18 has") {
		t.Errorf("the release is not written as the series: %s", recorded.Detail)
	}
}

// buildString is a kernel release with more than MAJOR.MINOR: 6.1.0-56-amd64,
// 6.12.117+deb12-amd64, 6.18.44-fc-v669.
var buildString = regexp.MustCompile(`\b[3-9]\.[0-9]+\.[0-9]+[-+][0-9A-Za-z]`)

// The recorded columns name no kernel build, so that they hold on any
// machine of their series.
func TestColumnsNameNoBuild(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "kernel-*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no columns in testdata: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if m := buildString.FindString(line); m != "" {
				t.Errorf("%s:%d names a kernel build (%q...): record the series instead", f, i+1, m)
			}
		}
	}
}

func TestDeclaredName(t *testing.T) {
	for in, want := range map[string]string{
		"apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: kill-syscalls\n": "kill-syscalls",
		"metadata:\n  name: a\n---\nmetadata:\n  name: b\n":                                       "",
		"metadata: [\n":         "",
		"kind: TracingPolicy\n": "",
	} {
		if got := declaredName([]byte(in)); got != want {
			t.Errorf("declaredName(%q) = %q, want %q", in, got, want)
		}
	}
}
