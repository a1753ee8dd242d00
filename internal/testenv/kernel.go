package testenv

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// KernelAtLeast is a version bound: the test needs kernel major.minor or
// newer. On an older kernel the test is skipped everywhere, also in CI and in
// the vmtest guest, because that kernel is not expected to support it.
func KernelAtLeast(major, minor int) Requirement {
	return Requirement{
		Name:     fmt.Sprintf("kernel >= %d.%d", major, minor),
		OnCIHost: true,
		Check: func() error {
			release, maj, min, err := kernelVersion()
			if err != nil {
				return err
			}
			if maj < major || (maj == major && min < minor) {
				return notSupportedHere{fmt.Sprintf("kernel is %s", release)}
			}
			return nil
		},
	}
}

// kernelVersion returns the running kernel's release string and its major
// and minor numbers.
func kernelVersion() (release string, major, minor int, err error) {
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		return "", 0, 0, fmt.Errorf("uname: %w", err)
	}
	release = unix.ByteSliceToString(uts.Release[:])
	major, minor, err = parseRelease(release)
	return release, major, minor, err
}

// parseRelease reads "6.1.0-56-amd64" or "6.12.117+deb12-amd64" as 6.1 or 6.12.
func parseRelease(release string) (major, minor int, err error) {
	parts := strings.SplitN(release, ".", 3)
	if len(parts) < 2 {
		return 0, 0, fmt.Errorf("kernel release %q: no major.minor", release)
	}
	minorDigits := parts[1]
	if i := strings.IndexFunc(minorDigits, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minorDigits = parts[1][:i]
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(minorDigits)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("kernel release %q: no major.minor", release)
	}
	return major, minor, nil
}

var kernelConfig struct {
	once sync.Once
	opts map[string]string // nil when no config is readable
}

// configValue returns the value of a kernel config option ("y", "m", a
// string) and whether the running kernel's config could be read at all.
// An option that is "not set" has the value "".
func configValue(name string) (value string, known bool) {
	kernelConfig.once.Do(func() { kernelConfig.opts = readKernelConfig() })
	if kernelConfig.opts == nil {
		return "", false
	}
	return kernelConfig.opts[name], true
}

// readKernelConfig reads /proc/config.gz or /boot/config-$(uname -r).
func readKernelConfig() map[string]string {
	var r io.Reader
	if f, err := os.Open("/proc/config.gz"); err == nil {
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil
		}
		r = zr
	} else {
		release, _, _, err := kernelVersion()
		if err != nil {
			return nil
		}
		f, err := os.Open("/boot/config-" + release)
		if err != nil {
			return nil
		}
		defer f.Close()
		r = f
	}
	opts := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), "=")
		if ok && strings.HasPrefix(name, "CONFIG_") {
			opts[name] = value
		}
	}
	if sc.Err() != nil {
		return nil
	}
	return opts
}

// lacks explains a missing feature: by the kernel config option that is not
// set when the config is readable, else by what was observed.
func lacks(option, observed string) error {
	release, _, _, _ := kernelVersion()
	if v, known := configValue(option); known && v != "y" && v != "m" {
		return fmt.Errorf("kernel %s lacks %s", release, option)
	}
	return fmt.Errorf("kernel %s: %s", release, observed)
}
