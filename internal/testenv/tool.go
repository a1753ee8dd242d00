package testenv

import (
	"fmt"
	"os/exec"
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
