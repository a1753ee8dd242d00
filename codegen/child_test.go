package codegen

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/internal/testenv"
)

// childEnv makes the test binary act as a small child program instead of
// running tests, so that tests can exec a known binary on any machine (the
// vmtest guest has no /bin): "sleep:DURATION", "open:PATH" (open a file
// and exit), "read:PATH" (read a file, open a TCP socket),
// "write:PATH:TEXT", "exit:CODE".
const childEnv = "POLC_CODEGEN_CHILD"

// childVerbs are more things a child can do, registered by the tests
// that need them.
var childVerbs = map[string]func(arg string) int{}

func TestMain(m *testing.M) {
	if what := os.Getenv(childEnv); what != "" {
		os.Exit(runChild(what))
	}
	os.Exit(m.Run())
}

func runChild(what string) int {
	verb, arg, _ := strings.Cut(what, ":")
	switch verb {
	case "sleep":
		d, err := time.ParseDuration(arg)
		if err != nil {
			return 2
		}
		time.Sleep(d)
	case "open":
		fd, err := unix.Open(arg, unix.O_RDONLY, 0)
		if err == nil {
			unix.Close(fd)
		}
	case "read":
		// Read a file, and open a TCP socket.
		fd, err := unix.Open(arg, unix.O_RDONLY, 0)
		if err == nil {
			buf := make([]byte, 4096)
			unix.Read(fd, buf)
			unix.Close(fd)
		}
		if s, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0); err == nil {
			unix.Close(s)
		}
	case "write":
		// write:PATH:TEXT
		path, text, _ := strings.Cut(arg, ":")
		fd, err := unix.Open(path, unix.O_WRONLY|unix.O_NOCTTY, 0)
		if err != nil {
			return 3
		}
		unix.Write(fd, []byte(text))
		unix.Close(fd)
	case "writev":
		// writev:PATH:PART|PART|...: one writev of the parts.
		path, text, _ := strings.Cut(arg, ":")
		fd, err := unix.Open(path, unix.O_WRONLY|unix.O_NOCTTY, 0)
		if err != nil {
			return 3
		}
		var parts [][]byte
		for _, p := range strings.Split(text, "|") {
			parts = append(parts, []byte(p))
		}
		unix.Writev(fd, parts)
		unix.Close(fd)
	case "exit":
		var code int
		fmt.Sscan(arg, &code)
		return code
	default:
		if f := childVerbs[verb]; f != nil {
			return f(arg)
		}
		return 2
	}
	return 0
}

// childBinary copies the test binary to a fresh directory on a tmpfs
// (/dev/shm, or /tmp in the vmtest guest), so that its path is known and
// walking it crosses a mount, and returns the copy's path.
func childBinary(t testing.TB, name string) string {
	t.Helper()
	root := "/dev/shm"
	if testenv.InVM() {
		root = "/tmp"
	}
	dir, err := os.MkdirTemp(root, "polc-codegen-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	path := filepath.Join(dir, name)
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// child returns a command running the binary at path as a child doing
// what.
func child(path, what string) *exec.Cmd {
	cmd := exec.Command(path)
	cmd.Env = append(os.Environ(), childEnv+"="+what)
	return cmd
}
