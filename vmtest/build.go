package vmtest

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// ReadPackages reads the list of packages whose tests run in the guest: one
// import path or ./relative pattern per line, optionally followed by
// "-run REGEXP" to run only those tests of it (see BuildGuest); # starts a
// comment.
func ReadPackages(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("read package list: %w", err)
	}
	defer f.Close()
	var pkgs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			pkgs = append(pkgs, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read package list: %w", err)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s lists no packages", file)
	}
	return pkgs, nil
}

// GuestBuild is what goes into the initramfs.
type GuestBuild struct {
	Init     string // the static /init binary on the host
	Binaries []BuiltBinary
	Corpus   string // the corpus directory on the host, "" if absent
}

// BuiltBinary is a compiled test binary and where it goes in the guest.
type BuiltBinary struct {
	Binary          // its manifest entry
	HostPath string // the compiled binary
	Testdata string // the package's testdata/ on the host, "" if none
}

// BuildGuest compiles /init and, with `go test -c`, a static test binary
// per package into outDir, for the Debian architecture arch of the guest
// (amd64, arm64: Go calls them the same). args are given to every test binary after
// -test.v and -test.timeout; timeout bounds each binary's run.
//
// A line of pkgs may add "-run REGEXP" after the package: its binary then
// runs only those tests (args come after, so a -run of the caller's wins).
func BuildGuest(moduleDir, arch string, pkgs, args []string, timeout time.Duration, outDir string, log io.Writer) (*GuestBuild, error) {
	patterns, runs, err := parsePackageLines(pkgs)
	if err != nil {
		return nil, err
	}
	// A line at a time: a line's -run goes with the packages it names.
	var listed []goPackage
	lineOf := map[string]string{} // import path -> pattern
	for _, pat := range patterns {
		one, err := listPackages(moduleDir, []string{pat})
		if err != nil {
			return nil, err
		}
		for _, p := range one {
			if prev, dup := lineOf[p.ImportPath]; dup {
				return nil, fmt.Errorf("package %s is listed twice (%s, %s)", p.ImportPath, prev, pat)
			}
			lineOf[p.ImportPath] = pat
			p.run = runs[pat]
			listed = append(listed, p)
		}
	}
	b := &GuestBuild{Init: filepath.Join(outDir, "init"), Corpus: findCorpus(moduleDir)}
	if err := goCommand(moduleDir, arch, log, "build", "-o", b.Init, "./vmtest/cmd/vminit"); err != nil {
		return nil, fmt.Errorf("build /init: %w", err)
	}
	if err := checkStatic(b.Init); err != nil {
		return nil, err
	}
	// Let Go print its own stack dump before /init has to kill the binary.
	goTimeout := max(timeout-10*time.Second, timeout*9/10)
	for i, p := range listed {
		if len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 {
			return nil, fmt.Errorf("package %s has no tests to run in the guest", p.ImportPath)
		}
		host := filepath.Join(outDir, fmt.Sprintf("%d-%s.test", i, p.Name))
		if err := goCommand(moduleDir, arch, log, "test", "-c", "-o", host, p.ImportPath); err != nil {
			return nil, fmt.Errorf("build tests of %s: %w", p.ImportPath, err)
		}
		if err := checkStatic(host); err != nil {
			return nil, err
		}
		dir := path.Join("/vmtest/pkg", p.ImportPath)
		bin := BuiltBinary{
			Binary: Binary{
				Package: p.ImportPath,
				Path:    path.Join(dir, p.Name+".test"),
				Dir:     dir,
				Args:    append(append([]string{"-test.v", "-test.timeout=" + goTimeout.String()}, runArg(p.run)...), args...),
				Timeout: timeout,
			},
			HostPath: host,
		}
		if st, err := os.Stat(filepath.Join(p.Dir, "testdata")); err == nil && st.IsDir() {
			bin.Testdata = filepath.Join(p.Dir, "testdata")
		}
		b.Binaries = append(b.Binaries, bin)
	}
	return b, nil
}

// parsePackageLines splits package list lines into their patterns and,
// by pattern, the -run REGEXP of the lines that have one.
func parsePackageLines(lines []string) (patterns []string, runs map[string]string, err error) {
	runs = map[string]string{}
	for _, line := range lines {
		fields := strings.Fields(line)
		switch {
		case len(fields) == 1:
		case len(fields) == 3 && fields[1] == "-run":
			runs[fields[0]] = fields[2]
		default:
			return nil, nil, fmt.Errorf("package list line %q: want PACKAGE or PACKAGE -run REGEXP", line)
		}
		patterns = append(patterns, fields[0])
	}
	return patterns, runs, nil
}

// runArg is the test binary's flag for a package line's -run, if any.
func runArg(run string) []string {
	if run == "" {
		return nil
	}
	return []string{"-test.run=" + run}
}

// findCorpus returns the corpus directory the host tests use, or "".
func findCorpus(moduleDir string) string {
	dir := os.Getenv(CorpusEnv)
	if dir == "" {
		dir = filepath.Join(moduleDir, "..", "shared", "corpus", "tetragon-examples")
	}
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		if abs, err := filepath.Abs(dir); err == nil {
			return abs
		}
	}
	return ""
}

// WriteInitramfs packs the build into a gzip cpio archive at dst.
func (b *GuestBuild) WriteInitramfs(dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("write initramfs: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write initramfs: %w", cerr)
		}
	}()
	a := NewInitramfs(f)
	// The kernel opens /dev/console for /init's stdin, stdout and stderr
	// before anything mounts devtmpfs.
	if err := a.CharDev("/dev/console", 5, 1); err != nil {
		return err
	}
	if err := a.CopyFile("/init", b.Init); err != nil {
		return err
	}
	var m Manifest
	for _, bin := range b.Binaries {
		if err := a.CopyFile(bin.Path, bin.HostPath); err != nil {
			return err
		}
		if bin.Testdata != "" {
			if err := a.CopyTree(path.Join(bin.Dir, "testdata"), bin.Testdata); err != nil {
				return err
			}
		}
		m.Binaries = append(m.Binaries, bin.Binary)
	}
	if b.Corpus != "" {
		if err := a.CopyTree(CorpusGuestDir, b.Corpus); err != nil {
			return err
		}
		m.Env = append(m.Env, CorpusEnv+"="+CorpusGuestDir)
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := a.File(ManifestPath, 0o644, strings.NewReader(string(raw)), int64(len(raw))); err != nil {
		return err
	}
	return a.Close()
}

type goPackage struct {
	ImportPath, Name, Dir     string
	TestGoFiles, XTestGoFiles []string
	run                       string // the -run of its package list line
}

// listPackages resolves package patterns with go list.
func listPackages(moduleDir string, patterns []string) ([]goPackage, error) {
	cmd := command("go", append([]string{"list", "-json=ImportPath,Name,Dir,TestGoFiles,XTestGoFiles"}, patterns...)...)
	cmd.Dir = moduleDir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %w", strings.Join(patterns, " "), exitDetail(err))
	}
	var pkgs []goPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: %w", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// goCommand runs the go tool for a static linux binary of arch.
func goCommand(moduleDir, arch string, log io.Writer, args ...string) error {
	cmd := command("go", args...)
	cmd.Dir = moduleDir
	cmd.Env = append(cmd.Env, "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	cmd.Stdout, cmd.Stderr = log, log
	return cmd.Run()
}

// checkStatic makes sure a binary needs no dynamic loader: the guest has none.
func checkStatic(file string) error {
	f, err := elf.Open(file)
	if err != nil {
		return fmt.Errorf("check %s: %w", file, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s is dynamically linked; the guest has no loader", file)
		}
	}
	return nil
}
