package testenv

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// Tool: the named program is on PATH. CI installs every tool a test needs
// (.ci/run), so a missing tool fails there. The vmtest guest carries only
// test binaries, by design, so there a tool test is a skip.
func Tool(name string) Requirement {
	return Requirement{Name: "the " + name + " program", OnCIHost: true, Check: func() error {
		if InVM() {
			return notSupportedHere{"the vmtest guest has no " + name + "; this test runs on the host"}
		}
		if _, err := exec.LookPath(name); err != nil {
			return fmt.Errorf("%s is not installed (Debian package installs it; see .ci/run)", name)
		}
		return nil
	}}
}

// SDTHeader: C programs with USDT probes can be built here: gcc finds
// sys/sdt.h (Debian's systemtap-sdt-dev, which .ci/run installs). In the
// vmtest guest, like every tool, it is a skip.
var SDTHeader = Requirement{Name: "sys/sdt.h (systemtap-sdt-dev)", OnCIHost: true, Check: func() error {
	if InVM() {
		return notSupportedHere{"the vmtest guest has no gcc; this test runs on the host"}
	}
	cmd := exec.Command("gcc", "-fsyntax-only", "-x", "c", "-")
	cmd.Stdin = strings.NewReader("#include <sys/sdt.h>\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		return errors.New(strings.TrimSpace(string(out)))
	}
	return nil
}}
