package loader

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/internal/testenv"
)

// TestSockaddrUnConnect: a kprobe on security_socket_connect reads its
// struct sockaddr_un argument as Tetragon does (TestKprobeSocketAndSockaddrUn):
// the Equal and Prefix filters compare the path, an abstract name without
// its leading NUL, and the event prints the path, an abstract name with a
// leading @. A connect to an address neither selector names posts nothing.
//
// The abstract name is matched by Prefix: Go connects to it with an
// address length that holds no NUL after the name, and the kernel's copy
// of the address (an uninitialised sockaddr_storage) may go on after it
// (seen on 5.10: two bytes of stack); Tetragon, like polc, reads up to the
// first NUL, whatever the length.
func TestSockaddrUnConnect(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Kprobes)
	dir := t.TempDir()
	fsPath := filepath.Join(dir, "tg.sock")
	abstract := fmt.Sprintf("polc-sockaddr-un-%d", os.Getpid())
	other := fmt.Sprintf("polc-other-%d", os.Getpid())
	yaml := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "connect-unix"
spec:
  kprobes:
  - call: "security_socket_connect"
    syscall: false
    args:
    - index: 0
      type: "socket"
    - index: 1
      type: "sockaddr_un"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Family"
        values: ["AF_UNIX"]
      - index: 1
        operator: "Equal"
        values: [%q]
    - matchArgs:
      - index: 1
        operator: "Family"
        values: ["AF_UNIX"]
      - index: 1
        operator: "Prefix"
        values: [%q]
`, fsPath, abstract)
	b := compilePolicy(t, "connect-unix.yaml", yaml)
	var listeners []*net.UnixListener
	for _, name := range []string{fsPath, "@" + abstract, "@" + other} {
		ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: name, Net: "unix"})
		if err != nil {
			t.Fatalf("listen %s: %v", name, err)
		}
		listeners = append(listeners, ln)
	}
	defer func() {
		for _, ln := range listeners {
			ln.Close()
		}
	}()
	res, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %+v", res[0])
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range []string{fsPath, "@" + abstract, "@" + other} {
		c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: name, Net: "unix"})
		if err != nil {
			t.Fatalf("dial %s: %v", name, err)
		}
		c.Close()
	}
	var got []string
	for _, ev := range collect(t, s, "connect-unix", 2*time.Second) {
		if *ev.Process.PID != uint32(os.Getpid()) {
			continue
		}
		line, err := ev.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s", line)
		if len(ev.Args) != 2 {
			t.Fatalf("%d arguments: %s", len(ev.Args), line)
		}
		if ev.Args[0].Key != "sock_arg" {
			t.Errorf("argument 0 is %s, want sock_arg: %s", ev.Args[0].Key, line)
		}
		un, ok := ev.Args[1].Value.(SockaddrUnArg)
		if !ok || ev.Args[1].Key != "sockaddrun_arg" || un.Family != "AF_UNIX" {
			t.Errorf("argument 1 %+v: %s", ev.Args[1], line)
			continue
		}
		if !strings.Contains(string(line), `{"sockaddrun_arg":{"family":"AF_UNIX","path":"`) {
			t.Errorf("JSON shape: %s", line)
		}
		got = append(got, un.Path)
	}
	if len(got) != 2 || got[0] != fsPath || !strings.HasPrefix(got[1], "@"+abstract) {
		t.Errorf("connect events of paths %q, want %q and one starting %q", got, fsPath, "@"+abstract)
	}
}
