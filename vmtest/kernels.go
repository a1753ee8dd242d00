package vmtest

import (
	"archive/tar"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Series is a kernel line of the matrix: the Debian packages that can
// provide it, and what runs on it.
type Series struct {
	// Name is how summaries, -kernels and the conformance columns call it:
	// "6.1", "6.12", "7.x", "6.12-arm64".
	Name string
	// Arch is the Debian architecture of the kernel and of the guest:
	// "amd64" or "arm64".
	Arch string
	// Packages matches the binary package names of the series, signed and
	// unsigned, as an extended regular expression for apt-cache search.
	Packages string
	// Suites, when set, are the Debian suites the series comes from, read
	// through a private APT configuration of the harness (PrivateApt) from
	// the Debian archive the machine uses; the machine's own sources stay
	// as they are. Empty: the machine's APT configuration.
	Suites []string
	// Smoke series run the smoke tests and the conformance run
	// (SmokePackages) instead of the full package list: they keep CI
	// within its time.
	Smoke bool
	// OptIn series boot only when named (-kernels, make vmtest-arm64):
	// too slow for every CI run.
	OptIn bool
}

// SmokePackages is the package list of Smoke series.
const SmokePackages = "vmtest/packages-smoke"

// Matrix is the kernels `make vmtest` knows. Debian 11 (bullseye) has 5.10;
// Debian 13's backports have 7.x, whose image is in a linux-binary package
// of its own (linux-image-7.* only depends on it).
var Matrix = []Series{
	{Name: "6.1", Arch: "amd64", Packages: `^linux-image-6\.1\.0-[0-9]+-amd64(-unsigned)?$`},
	{Name: "6.12", Arch: "amd64", Packages: `^linux-image-6\.12\.[0-9]+\+deb[0-9]+-amd64(-unsigned)?$`},
	{Name: "5.10", Arch: "amd64", Packages: `^linux-image-5\.10\.0-[0-9]+-amd64(-unsigned)?$`,
		Suites: []string{"bullseye", "bullseye-security"}, Smoke: true},
	{Name: "7.x", Arch: "amd64", Packages: `^linux-binary-7\.[0-9]+\.[0-9]+\+deb[0-9]+-amd64$`,
		Suites: []string{"trixie-backports"}, Smoke: true},
	{Name: "6.12-arm64", Arch: "arm64", Packages: `^linux-image-6\.12\.[0-9]+\+deb[0-9]+-arm64(-unsigned)?$`,
		Suites: []string{"bookworm", "bookworm-security"}, Smoke: true, OptIn: true},
	{Name: "5.10-arm64", Arch: "arm64", Packages: `^linux-image-5\.10\.0-[0-9]+-arm64(-unsigned)?$`,
		Suites: []string{"bullseye", "bullseye-security"}, Smoke: true, OptIn: true},
}

// Kernel is a kernel image in the cache.
type Kernel struct {
	Series  string
	Arch    string // Debian architecture
	Package string // Debian package it came from
	Version string // Debian package version
	Release string // uname -r
	Vmlinuz string // path of the image
}

// DebPackage is a Debian binary package at one version.
type DebPackage struct{ Name, Version string }

// Apt runs apt with the machine's configuration (Config "") or a private one.
type Apt struct {
	// Config is the APT_CONFIG file, "" for the machine's own.
	Config string
	// Lists is the private configuration's list directory.
	Lists string
}

// ForSeries returns the APT s is read through: the machine's, or a private
// configuration under cacheDir/apt/NAME.
func ForSeries(s Series, cacheDir string, log io.Writer) (*Apt, error) {
	if len(s.Suites) == 0 {
		return &Apt{}, nil
	}
	return PrivateApt(filepath.Join(cacheDir, "apt", s.Name), s.Arch, s.Suites, log)
}

// Candidates returns the packages of the series that apt knows of, newest
// first (at the same version the signed image before the unsigned one).
// With none it refreshes apt's lists once and asks again.
func (a *Apt) Candidates(s Series, log io.Writer) ([]DebPackage, error) {
	pkgs, err := a.candidates(s)
	if err == nil && len(pkgs) == 0 {
		fmt.Fprintf(log, "vmtest: apt knows no %s kernel; running apt-get update\n", s.Name)
		if err := a.Update(log); err != nil {
			return nil, err
		}
		pkgs, err = a.candidates(s)
	}
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("apt has no package matching %s", s.Packages)
	}
	var sortErr error
	sort.SliceStable(pkgs, func(i, j int) bool {
		if pkgs[i].Version == pkgs[j].Version {
			// Same version: prefer the signed image, the one users boot.
			return !strings.HasSuffix(pkgs[i].Name, "-unsigned") && strings.HasSuffix(pkgs[j].Name, "-unsigned")
		}
		newer, err := versionGreater(pkgs[i].Version, pkgs[j].Version)
		if err != nil {
			sortErr = err
		}
		return newer
	})
	return pkgs, sortErr
}

// candidates lists the packages of a series with their candidate versions.
func (a *Apt) candidates(s Series) ([]DebPackage, error) {
	out, err := a.command("apt-cache", "search", "--names-only", s.Packages).Output()
	if err != nil {
		return nil, fmt.Errorf("apt-cache search: %w", exitDetail(err))
	}
	re, err := regexp.Compile(s.Packages)
	if err != nil {
		return nil, fmt.Errorf("series %s: %w", s.Name, err)
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(line, " ")
		if re.MatchString(name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	sort.Strings(names)
	out, err = a.command("apt-cache", append([]string{"show", "--no-all-versions"}, names...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("apt-cache show: %w", exitDetail(err))
	}
	return parseStanzas(out), nil
}

// command runs an apt tool with this configuration.
func (a *Apt) command(name string, args ...string) *exec.Cmd {
	cmd := command(name, args...)
	if a.Config != "" {
		cmd.Env = append(cmd.Env, "APT_CONFIG="+a.Config)
	}
	return cmd
}

// parseStanzas reads Package and Version from apt-cache show output.
func parseStanzas(out []byte) []DebPackage {
	var pkgs []DebPackage
	var cur DebPackage
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.Name != "" && cur.Version != "" {
				pkgs = append(pkgs, cur)
			}
			cur = DebPackage{}
		case strings.HasPrefix(line, "Package: "):
			cur.Name = strings.TrimPrefix(line, "Package: ")
		case strings.HasPrefix(line, "Version: "):
			cur.Version = strings.TrimPrefix(line, "Version: ")
		}
	}
	if cur.Name != "" && cur.Version != "" {
		pkgs = append(pkgs, cur)
	}
	return pkgs
}

// versionGreater compares Debian versions with dpkg, the reference.
func versionGreater(a, b string) (bool, error) {
	err := command("dpkg", "--compare-versions", a, "gt", b).Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return false, nil
	default:
		return false, fmt.Errorf("dpkg --compare-versions %s gt %s: %w", a, b, err)
	}
}

// Fetch returns the cached kernel of pkg, downloading it with apt-get
// download and keeping only its image and config: /boot/vmlinuz-* and
// /boot/config-*, or /usr/lib/modules/RELEASE/vmlinuz where the newer
// packages keep them.
func (a *Apt) Fetch(s Series, pkg DebPackage, cacheDir string, log io.Writer) (Kernel, error) {
	dir := filepath.Join(cacheDir, "kernels", pkg.Name+"_"+pkg.Version)
	if k, err := cachedKernel(s, pkg, dir); err == nil {
		return k, nil
	}
	fmt.Fprintf(log, "vmtest: downloading %s %s\n", pkg.Name, pkg.Version)
	tmp, err := os.MkdirTemp(filepath.Join(cacheDir, "kernels"), ".fetch-")
	if err != nil {
		return Kernel{}, fmt.Errorf("fetch %s: %w", pkg.Name, err)
	}
	defer os.RemoveAll(tmp)
	args := []string{"download", pkg.Name + "=" + pkg.Version}
	if os.Geteuid() == 0 {
		// apt's sandbox user cannot write into our cache; downloading as
		// root is what apt would fall back to anyway, without the warning.
		args = append([]string{"-o", "APT::Sandbox::User=root"}, args...)
	}
	get := a.command("apt-get", args...)
	get.Dir = tmp
	if out, err := get.CombinedOutput(); err != nil {
		return Kernel{}, fmt.Errorf("apt-get download %s: %w\n%s", pkg.Name, err, out)
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, "*.deb"))
	if len(debs) != 1 {
		return Kernel{}, fmt.Errorf("apt-get download %s: want one .deb, got %v", pkg.Name, debs)
	}
	boot := filepath.Join(tmp, "boot")
	if err := extractBoot(debs[0], boot); err != nil {
		return Kernel{}, fmt.Errorf("extract %s: %w", debs[0], err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return Kernel{}, err
	}
	if err := os.Rename(boot, dir); err != nil {
		return Kernel{}, fmt.Errorf("fetch %s: %w", pkg.Name, err)
	}
	return cachedKernel(s, pkg, dir)
}

// cachedKernel finds the image a previous Fetch left in dir.
func cachedKernel(s Series, pkg DebPackage, dir string) (Kernel, error) {
	images, _ := filepath.Glob(filepath.Join(dir, "vmlinuz-*"))
	if len(images) != 1 {
		return Kernel{}, fmt.Errorf("%s: no single vmlinuz-* in the cache", dir)
	}
	return Kernel{
		Series:  s.Name,
		Arch:    s.Arch,
		Package: pkg.Name,
		Version: pkg.Version,
		Release: strings.TrimPrefix(filepath.Base(images[0]), "vmlinuz-"),
		Vmlinuz: images[0],
	}, nil
}

// CachedKernels lists what the cache holds for s, for running offline.
func CachedKernels(s Series, cacheDir string) []Kernel {
	re := regexp.MustCompile(s.Packages)
	dirs, _ := filepath.Glob(filepath.Join(cacheDir, "kernels", "*_*"))
	var ks []Kernel
	for _, d := range dirs {
		name, version, _ := strings.Cut(filepath.Base(d), "_")
		if !re.MatchString(name) {
			continue
		}
		if k, err := cachedKernel(s, DebPackage{Name: name, Version: version}, d); err == nil {
			ks = append(ks, k)
		}
	}
	return ks
}

// extractBoot copies the kernel image and config out of a .deb's data
// archive (dpkg-deb reads the .deb; Go reads the tar).
func extractBoot(deb, dst string) error {
	cmd := command("dpkg-deb", "--fsys-tarfile", deb)
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	found, err := copyBootFiles(tar.NewReader(pipe), dst)
	// Drain so dpkg-deb is not killed by SIGPIPE.
	io.Copy(io.Discard, pipe)
	if werr := cmd.Wait(); werr != nil && err == nil {
		err = fmt.Errorf("dpkg-deb: %w: %s", werr, stderr.String())
	}
	if err == nil && !found {
		err = errors.New("no ./boot/vmlinuz-* or ./usr/lib/modules/*/vmlinuz in the package")
	}
	return err
}

func copyBootFiles(tr *tar.Reader, dst string) (foundImage bool, err error) {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return false, err
	}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return foundImage, nil
		}
		if err != nil {
			return foundImage, err
		}
		base := bootFileName(strings.TrimPrefix(hdr.Name, "./"))
		if base == "" || hdr.Typeflag != tar.TypeReg {
			continue
		}
		f, err := os.Create(filepath.Join(dst, base))
		if err != nil {
			return foundImage, err
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return foundImage, err
		}
		foundImage = foundImage || strings.HasPrefix(base, "vmlinuz-")
	}
}

// bootFileName is the name a kernel package's file gets in the cache,
// "" for files that are not kept: boot/vmlinuz-R and boot/config-R as they
// are, usr/lib/modules/R/{vmlinuz,config} as vmlinuz-R and config-R.
func bootFileName(name string) string {
	dir, base := path.Split(name)
	if dir == "boot/" && (strings.HasPrefix(base, "vmlinuz-") || strings.HasPrefix(base, "config-")) {
		return base
	}
	if rel, ok := strings.CutPrefix(dir, "usr/lib/modules/"); ok && (base == "vmlinuz" || base == "config") {
		if rel = strings.TrimSuffix(rel, "/"); rel != "" && !strings.Contains(rel, "/") {
			return base + "-" + rel
		}
	}
	return ""
}

// AptUpdate refreshes the machine's apt package lists.
func AptUpdate(log io.Writer) error { return (&Apt{}).Update(log) }

// Update refreshes apt's package lists.
func (a *Apt) Update(log io.Writer) error {
	cmd := a.command("apt-get", "update")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("apt-get update: %w", err)
	}
	return nil
}

// EnsureQemu installs the emulator of arch's guests (qemu-system-x86,
// qemu-system-arm) with apt when it is missing.
func EnsureQemu(arch string, log io.Writer) error {
	binary, pkg, err := Emulator(arch)
	if err != nil {
		return err
	}
	if _, err := exec.LookPath(binary); err == nil {
		return nil
	}
	fmt.Fprintf(log, "vmtest: %s missing; installing %s\n", binary, pkg)
	install := func() error {
		cmd := command("apt-get", "install", "-y", "--no-install-recommends", pkg)
		cmd.Env = append(cmd.Env, "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = log, log
		return cmd.Run()
	}
	if err := install(); err != nil {
		if err := AptUpdate(log); err != nil {
			return err
		}
		if err := install(); err != nil {
			return fmt.Errorf("apt-get install %s: %w", pkg, err)
		}
	}
	_, err = exec.LookPath(binary)
	return err
}

// command runs a tool with the C locale, so its output parses the same
// everywhere.
func command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	return cmd
}

// exitDetail adds a failed command's stderr to its error.
func exitDetail(err error) error {
	var exit *exec.ExitError
	if errors.As(err, &exit) && len(exit.Stderr) > 0 {
		return fmt.Errorf("%w: %s", err, bytes.TrimSpace(exit.Stderr))
	}
	return err
}
