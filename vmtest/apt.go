package vmtest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// listsMaxAge is how old a private configuration's package lists may get
// before PrivateApt refreshes them: kernels of a suite's security updates
// move on, and the archive drops the old ones.
const listsMaxAge = 24 * time.Hour

// PrivateApt writes (or reuses) an APT configuration of the harness in dir
// that reads suites for arch from the Debian archives the machine's own APT
// uses (MachineArchives), and refreshes its package lists when they are
// missing or older than a day. Everything it writes stays in dir: the
// machine's sources, lists and package state are left alone.
func PrivateApt(dir, arch string, suites []string, log io.Writer) (*Apt, error) {
	archives, err := MachineArchives()
	if err != nil {
		return nil, err
	}
	sources, err := privateSources(archives, arch, suites)
	if err != nil {
		return nil, err
	}
	for _, d := range []string{"lists/partial", "cache/archives/partial", "sources.list.d", "preferences.d"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, fmt.Errorf("private apt: %w", err)
		}
	}
	conf := strings.Join([]string{
		`Dir::Etc::sourcelist "` + filepath.Join(dir, "sources.list") + `";`,
		`Dir::Etc::sourceparts "` + filepath.Join(dir, "sources.list.d") + `";`,
		`Dir::Etc::preferences "` + filepath.Join(dir, "preferences") + `";`,
		`Dir::Etc::preferencesparts "` + filepath.Join(dir, "preferences.d") + `";`,
		`Dir::State::lists "` + filepath.Join(dir, "lists") + `";`,
		`Dir::State::status "` + filepath.Join(dir, "status") + `";`,
		`Dir::Cache "` + filepath.Join(dir, "cache") + `";`,
		// The host's own architecture stays apt's native one; the
		// kernel's is the only one whose lists are fetched.
		`APT::Architectures { "` + arch + `"; };`,
		`Acquire::Languages "none";`,
		`Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";`,
		`Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled "false";`,
		`Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled "false";`,
	}, "\n") + "\n"
	if os.Geteuid() == 0 {
		// apt's sandbox user cannot write into our cache; as root apt
		// would fall back to root anyway, with a warning.
		conf += `APT::Sandbox::User "root";` + "\n"
	}
	files := map[string]string{"apt.conf": conf, "sources.list": sources, "status": ""}
	changed := false
	for name, content := range files {
		p := filepath.Join(dir, name)
		if old, err := os.ReadFile(p); err == nil && string(old) == content {
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return nil, fmt.Errorf("private apt: %w", err)
		}
		changed = changed || name != "status"
	}
	a := &Apt{Config: filepath.Join(dir, "apt.conf"), Lists: filepath.Join(dir, "lists")}
	if changed || listsAge(a.Lists) > listsMaxAge {
		fmt.Fprintf(log, "vmtest: refreshing the package lists of %s (%s)\n", strings.Join(suites, ", "), arch)
		if err := a.Update(log); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// listsAge is the age of the newest package list in dir, or a very long
// time when there is none.
func listsAge(dir string) time.Duration {
	lists, _ := filepath.Glob(filepath.Join(dir, "*_Packages*"))
	var newest time.Time
	for _, l := range lists {
		if st, err := os.Stat(l); err == nil && st.ModTime().After(newest) {
			newest = st.ModTime()
		}
	}
	if newest.IsZero() {
		return 1 << 62
	}
	return time.Since(newest)
}

// Archives are the Debian archive URIs the machine's APT reads: the main
// archive and the security archive.
type Archives struct{ Main, Security string }

// debianKeyring is the keyring Debian's archives are signed with.
const debianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg"

// privateSources is the sources.list of a private configuration: each suite
// from the security archive when its name ends in -security, else from the
// main archive.
func privateSources(a Archives, arch string, suites []string) (string, error) {
	var b strings.Builder
	for _, s := range suites {
		uri := a.Main
		if strings.HasSuffix(s, "-security") {
			uri = a.Security
		}
		if uri == "" {
			return "", fmt.Errorf("private apt: the machine's apt has no archive to read suite %s from", s)
		}
		fmt.Fprintf(&b, "deb [signed-by=%s arch=%s] %s %s main\n", debianKeyring, arch, uri, s)
	}
	return b.String(), nil
}

// policySource matches a source line of apt-cache policy:
// " 500 http://deb.debian.org/debian bookworm/main amd64 Packages".
var policySource = regexp.MustCompile(`^\s*-?[0-9]+\s+(\S+://\S+)\s+([^/\s]+)/\S+\s+\S+\s+Packages$`)

// MachineArchives finds the Debian archives in the machine's APT sources,
// as apt-cache policy lists them.
func MachineArchives() (Archives, error) {
	out, err := command("apt-cache", "policy").Output()
	if err != nil {
		return Archives{}, fmt.Errorf("apt-cache policy: %w", exitDetail(err))
	}
	a := parseArchives(string(out))
	if a.Main == "" {
		return a, errors.New("the machine's apt sources name no Debian archive (apt-cache policy lists none); run apt-get update")
	}
	return a, nil
}

// parseArchives reads Archives from apt-cache policy output: the archive of
// the suites ending in -security and that of the other Debian suites.
func parseArchives(policy string) Archives {
	var a Archives
	for _, line := range strings.Split(policy, "\n") {
		m := policySource.FindStringSubmatch(line)
		if m == nil || !strings.Contains(m[1], "debian") {
			continue
		}
		uri, suite := strings.TrimSuffix(m[1], "/"), m[2]
		switch {
		case strings.HasSuffix(suite, "-security"):
			if a.Security == "" {
				a.Security = uri
			}
		case a.Main == "":
			a.Main = uri
		}
	}
	return a
}

// unavailableMarker is a marker per package version that apt listed but
// the archive did not serve (arm64 5.10 images of bullseye-security), so
// that the next runs go straight to the one that downloads.
func unavailableMarker(pkg DebPackage, cacheDir string) string {
	return filepath.Join(cacheDir, "kernels", ".unavailable", pkg.Name+"_"+pkg.Version)
}

// RecentlyUnavailable reports whether pkg failed to download within the
// last day (lists, and what the archive serves, change over a day).
func RecentlyUnavailable(pkg DebPackage, cacheDir string) bool {
	st, err := os.Stat(unavailableMarker(pkg, cacheDir))
	return err == nil && time.Since(st.ModTime()) < listsMaxAge
}

// MarkUnavailable remembers that pkg did not download.
func MarkUnavailable(pkg DebPackage, cacheDir string) {
	m := unavailableMarker(pkg, cacheDir)
	if os.MkdirAll(filepath.Dir(m), 0o755) == nil {
		os.WriteFile(m, nil, 0o644)
	}
}
