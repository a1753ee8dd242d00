//go:build faultinject

package loader

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
)

// A polrun built with -tags faultinject kills itself with SIGKILL right
// after the step numbered POLRUN_FAULT_KILL_AT (1 is the first faultPoint
// it passes), and appends "N step" lines for every step it passes to the
// file POLRUN_FAULT_LOG, so that a test can first list the steps of an
// operation and then kill it after each in turn. The production binary has
// none of this (faultpoint.go).
var fault struct {
	sync.Mutex
	n      int
	killAt int
	log    string
}

func init() {
	fault.killAt, _ = strconv.Atoi(os.Getenv("POLRUN_FAULT_KILL_AT"))
	fault.log = os.Getenv("POLRUN_FAULT_LOG")
}

func faultPoint(step string) {
	fault.Lock()
	defer fault.Unlock()
	fault.n++
	if fault.log != "" {
		if f, err := os.OpenFile(fault.log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err == nil {
			fmt.Fprintf(f, "%d %s\n", fault.n, step)
			f.Close()
		}
	}
	if fault.n == fault.killAt {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
}
