package bench

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// syscallLoop runs getppid loops on one OS thread pinned to one CPU, so
// that what a sample measures is the syscall path on that CPU and nothing
// of the Go scheduler. Each sample is timed with the monotonic clock and,
// where the CPU has a performance monitoring unit, its instructions
// (user and kernel) are counted with perf_event_open.
type syscallLoop struct {
	req  chan loopRequest
	resp chan loopSample
	// Counting says whether instructions are counted; CountErr why not.
	Counting bool
	CountErr error
}

// loopRequest asks for n syscalls, gap apart (a spin in user space, no
// syscall: 0 for back to back).
type loopRequest struct {
	n    int
	gap  time.Duration
	each func() // called before each syscall, when not nil
}

type loopSample struct {
	elapsed time.Duration
	insns   uint64
	err     error
}

// newSyscallLoop starts the loop's thread on cpu.
func newSyscallLoop(cpu int) (*syscallLoop, error) {
	l := &syscallLoop{req: make(chan loopRequest), resp: make(chan loopSample)}
	started := make(chan error)
	go func() {
		// The thread stays locked and is never given back: it ends with
		// the goroutine when req is closed.
		runtime.LockOSThread()
		var set unix.CPUSet
		set.Set(cpu)
		if err := unix.SchedSetaffinity(0, &set); err != nil {
			started <- fmt.Errorf("pin to CPU %d: %w", cpu, err)
			return
		}
		counter, err := openInstructionCounter()
		l.Counting, l.CountErr = err == nil, err
		if err == nil {
			defer unix.Close(counter)
		}
		started <- nil
		for req := range l.req {
			var s loopSample
			before, err := readCounter(counter, l.Counting)
			start := time.Now()
			for range req.n {
				if req.each != nil {
					req.each()
				}
				unix.RawSyscallNoError(unix.SYS_GETPPID, 0, 0, 0)
				if req.gap > 0 {
					for t := time.Now(); time.Since(t) < req.gap; {
					}
				}
			}
			s.elapsed = time.Since(start)
			after, err2 := readCounter(counter, l.Counting)
			s.insns, s.err = after-before, errors.Join(err, err2)
			l.resp <- s
		}
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return l, nil
}

// run makes n getppid syscalls and returns their time and instructions.
func (l *syscallLoop) run(n int) (loopSample, error) { return l.runWith(n, 0, nil) }

// runWith makes n getppid syscalls, gap apart, calling each (if not nil)
// before each one.
func (l *syscallLoop) runWith(n int, gap time.Duration, each func()) (loopSample, error) {
	l.req <- loopRequest{n, gap, each}
	s := <-l.resp
	return s, s.err
}

func (l *syscallLoop) close() { close(l.req) }

// openInstructionCounter counts the calling thread's retired instructions,
// in user and kernel mode. It fails on machines without a PMU (most
// virtual machines).
func openInstructionCounter() (int, error) {
	attr := unix.PerfEventAttr{
		Type:   unix.PERF_TYPE_HARDWARE,
		Config: unix.PERF_COUNT_HW_INSTRUCTIONS,
		Size:   uint32(binary.Size(unix.PerfEventAttr{})),
		Bits:   unix.PerfBitExcludeHv,
	}
	fd, err := unix.PerfEventOpen(&attr, 0, -1, -1, unix.PERF_FLAG_FD_CLOEXEC)
	if err != nil {
		return -1, fmt.Errorf("perf_event_open(instructions): %w", err)
	}
	return fd, nil
}

func readCounter(fd int, on bool) (uint64, error) {
	if !on {
		return 0, nil
	}
	var buf [8]byte
	if _, err := unix.Read(fd, buf[:]); err != nil {
		return 0, fmt.Errorf("read instruction counter: %w", err)
	}
	return binary.LittleEndian.Uint64(buf[:]), nil
}

// pinThread locks the calling goroutine to its thread and the thread to
// cpu; the returned function undoes both.
func pinThread(cpu int) (func(), error) {
	runtime.LockOSThread()
	var old unix.CPUSet
	if err := unix.SchedGetaffinity(0, &old); err != nil {
		runtime.UnlockOSThread()
		return nil, fmt.Errorf("affinity: %w", err)
	}
	var set unix.CPUSet
	set.Set(cpu)
	if err := unix.SchedSetaffinity(0, &set); err != nil {
		runtime.UnlockOSThread()
		return nil, fmt.Errorf("pin to CPU %d: %w", cpu, err)
	}
	return func() {
		unix.SchedSetaffinity(0, &old)
		runtime.UnlockOSThread()
	}, nil
}

// onlineCPUs is the number of CPUs this process may run on.
func onlineCPUs() int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return runtime.NumCPU()
	}
	return set.Count()
}
