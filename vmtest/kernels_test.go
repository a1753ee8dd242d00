package vmtest

import (
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseStanzas(t *testing.T) {
	out := "Package: linux-image-6.1.0-56-amd64\nVersion: 6.1.192-2\nDepends: kmod\n\n" +
		"Package: linux-image-6.1.0-56-amd64-unsigned\nSource: linux\nVersion: 6.1.192-2\n"
	want := []DebPackage{
		{"linux-image-6.1.0-56-amd64", "6.1.192-2"},
		{"linux-image-6.1.0-56-amd64-unsigned", "6.1.192-2"},
	}
	if diff := cmp.Diff(want, parseStanzas([]byte(out))); diff != "" {
		t.Errorf("stanzas (-want +got):\n%s", diff)
	}
}

func TestMatrixPatterns(t *testing.T) {
	for _, tc := range []struct {
		series string
		name   string
		match  bool
	}{
		{"6.1", "linux-image-6.1.0-56-amd64", true},
		{"6.1", "linux-image-6.1.0-56-amd64-unsigned", true},
		{"6.1", "linux-image-6.1.0-56-amd64-dbg", false},
		{"6.1", "linux-image-6.1.0-56-cloud-amd64", false},
		{"6.12", "linux-image-6.12.117+deb12-amd64", true},
		{"6.12", "linux-image-6.12.117+deb12-amd64-unsigned", true},
		{"6.12", "linux-image-6.12.117+deb12-rt-amd64", false},
		{"6.12", "linux-image-6.12-amd64-dbg", false},
		{"5.10", "linux-image-5.10.0-46-amd64", true},
		{"5.10", "linux-image-5.10.0-46-amd64-unsigned", true},
		{"5.10", "linux-image-5.10.0-46-cloud-amd64", false},
		{"5.10", "linux-image-5.10.0-46-arm64", false},
		{"7.x", "linux-binary-7.3.4+deb13-amd64", true},
		{"7.x", "linux-image-7.3.4+deb13-amd64", false}, // depends on the linux-binary one
		{"7.x", "linux-binary-7.3.4+deb13-cloud-amd64", false},
		{"7.x", "linux-binary-7.3.4+deb13-arm64", false},
		{"6.12-arm64", "linux-image-6.12.118+deb12-arm64", true},
		{"6.12-arm64", "linux-image-6.12.118+deb12-arm64-16k", false},
		{"5.10-arm64", "linux-image-5.10.0-32-arm64", true},
		{"5.10-arm64", "linux-image-5.10.0-32-amd64", false},
	} {
		var pattern string
		for _, s := range Matrix {
			if s.Name == tc.series {
				pattern = s.Packages
			}
		}
		if got := regexp.MustCompile(pattern).MatchString(tc.name); got != tc.match {
			t.Errorf("series %s matches %s: %v, want %v", tc.series, tc.name, got, tc.match)
		}
	}
}

func TestVersionGreater(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"6.1.192-2", "6.1.170-1", true},
		{"6.12.117-1~deb12u1", "6.12.117-1", false},
		{"6.12.117-1", "6.12.117-1~deb12u1", true},
		{"6.1.99-1", "6.1.100-1", false},
	} {
		got, err := versionGreater(tc.a, tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("versionGreater(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
}

func TestBootFileName(t *testing.T) {
	for in, want := range map[string]string{
		"boot/vmlinuz-6.1.0-57-amd64":                      "vmlinuz-6.1.0-57-amd64",
		"boot/config-6.1.0-57-amd64":                       "config-6.1.0-57-amd64",
		"boot/System.map-6.1.0-57-amd64":                   "",
		"usr/lib/modules/7.3.4+deb13-amd64/vmlinuz":        "vmlinuz-7.3.4+deb13-amd64",
		"usr/lib/modules/7.3.4+deb13-amd64/config":         "config-7.3.4+deb13-amd64",
		"usr/lib/modules/7.3.4+deb13-amd64/kernel/vmlinuz": "",
		"usr/lib/modules//vmlinuz":                         "",
		"lib/modules/5.10.0-46-amd64/modules.dep":          "",
	} {
		if got := bootFileName(in); got != want {
			t.Errorf("bootFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseArchives(t *testing.T) {
	policy := `Package files:
 100 /var/lib/dpkg/status
     release a=now
 500 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
     release v=12,o=Debian,a=oldstable-security,n=bookworm-security,l=Debian-Security,c=main,b=amd64
 500 http://deb.debian.org/debian bookworm-updates/main amd64 Packages
 500 https://packages.cloud.example/apt cloud-sdk-bookworm/main amd64 Packages
 500 http://deb.debian.org/debian/ bookworm/main amd64 Packages
Pinned packages:
`
	want := Archives{Main: "http://deb.debian.org/debian", Security: "http://deb.debian.org/debian-security"}
	if got := parseArchives(policy); got != want {
		t.Errorf("parseArchives = %+v, want %+v", got, want)
	}
}

func TestPrivateSources(t *testing.T) {
	a := Archives{Main: "http://m/debian", Security: "http://m/debian-security"}
	got, err := privateSources(a, "arm64", []string{"bullseye", "bullseye-security"})
	if err != nil {
		t.Fatal(err)
	}
	want := "deb [signed-by=" + debianKeyring + " arch=arm64] http://m/debian bullseye main\n" +
		"deb [signed-by=" + debianKeyring + " arch=arm64] http://m/debian-security bullseye-security main\n"
	if got != want {
		t.Errorf("sources:\n%s\nwant:\n%s", got, want)
	}
	if _, err := privateSources(Archives{Main: "http://m/debian"}, "amd64", []string{"bullseye-security"}); err == nil {
		t.Error("a security suite without a security archive was accepted")
	}
}

func TestUnavailableMarker(t *testing.T) {
	dir := t.TempDir()
	pkg := DebPackage{Name: "linux-image-5.10.0-46-arm64", Version: "5.10.262-1"}
	if RecentlyUnavailable(pkg, dir) {
		t.Fatal("unavailable before any try")
	}
	MarkUnavailable(pkg, dir)
	if !RecentlyUnavailable(pkg, dir) {
		t.Error("not remembered as unavailable")
	}
	if RecentlyUnavailable(DebPackage{Name: pkg.Name, Version: "5.10.263-1"}, dir) {
		t.Error("another version counted as unavailable")
	}
}

// TestParsePackageLines: a package list line is a package, or a package
// and the tests of it to run; anything else is refused.
func TestParsePackageLines(t *testing.T) {
	patterns, runs, err := parsePackageLines([]string{"./loader -run ^(TestA|TestB)$", "./codegen"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"./loader", "./codegen"}; !slices.Equal(patterns, want) {
		t.Errorf("patterns %q, want %q", patterns, want)
	}
	if len(runs) != 1 || runs["./loader"] != "^(TestA|TestB)$" {
		t.Errorf("runs %q", runs)
	}
	if got := runArg(runs["./loader"]); !slices.Equal(got, []string{"-test.run=^(TestA|TestB)$"}) {
		t.Errorf("runArg = %q", got)
	}
	for _, bad := range []string{"./loader -run", "./loader -count 2", "./loader -run A B"} {
		if _, _, err := parsePackageLines([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
