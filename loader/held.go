package loader

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// Attachments the kernel cannot pin (a perf event's link before 5.15) are
// held by the polrun process that loaded them (Holder). So that List, in
// any process, still shows them and whether they are attached, the load
// pins each one's program where its link would be; List then finds the
// process holding a perf event with that program attached, as bpftool perf
// does: BPF_TASK_FD_QUERY on every perf event file descriptor under /proc.

// pinHeldProgram pins the program name of coll at path, in the place of
// its link, which a Holder keeps.
func pinHeldProgram(coll *ebpf.Collection, name, path string) error {
	prog := coll.Programs[name]
	if prog == nil {
		return fmt.Errorf("pin program %s: not in the collection", name)
	}
	// A clone, so that the pin's path is not the collection's program's.
	clone, err := prog.Clone()
	if err != nil {
		return fmt.Errorf("pin program %s: %w", name, err)
	}
	defer clone.Close()
	if err := clone.Pin(path); err != nil {
		return fmt.Errorf("pin program %s (its attachment is held): %w", name, err)
	}
	return nil
}

// describeHeld fills ps for a program pinned in its held link's place:
// the process holding it attached, or an error saying it is not.
func describeHeld(prog *ebpf.Program, ps *ProgramStatus, holders *perfHolders) error {
	pi, err := describeProgram(prog, ps)
	if err != nil {
		return err
	}
	id, ok := pi.ID()
	if !ok {
		return fmt.Errorf("program info: no ID")
	}
	ps.ProgramID = uint32(id)
	h, ok := holders.find(ps.ProgramID)
	if !ok {
		return fmt.Errorf("not attached: the polrun process that held its attachment has exited (this kernel cannot pin a perf event's link; 5.15 can); unload the policy and load it again")
	}
	ps.HeldBy, ps.Attached = h.pid, h.attached
	if ps.Hook == "" {
		ps.Hook = h.attached
	}
	return nil
}

// perfHolder is a process holding a perf event with a program attached.
type perfHolder struct {
	pid      int
	attached string // what the perf event is: "tracepoint sys_enter"
}

// perfHolders indexes the perf events of every process by program ID,
// scanning /proc on first use.
type perfHolders struct {
	byProg map[uint32]perfHolder
}

func (p *perfHolders) find(progID uint32) (perfHolder, bool) {
	if p.byProg == nil {
		p.byProg = scanPerfEvents("/proc")
	}
	h, ok := p.byProg[progID]
	return h, ok
}

// scanPerfEvents queries every perf event file descriptor of every process
// under proc for its program.
func scanPerfEvents(proc string) map[uint32]perfHolder {
	out := map[uint32]perfHolder{}
	procs, _ := os.ReadDir(proc)
	for _, pe := range procs {
		pid, err := strconv.Atoi(pe.Name())
		if err != nil {
			continue
		}
		fdDir := filepath.Join(proc, pe.Name(), "fd")
		fds, _ := os.ReadDir(fdDir)
		for _, fe := range fds {
			if target, err := os.Readlink(filepath.Join(fdDir, fe.Name())); err != nil || target != "anon_inode:[perf_event]" {
				continue
			}
			fd, err := strconv.Atoi(fe.Name())
			if err != nil {
				continue
			}
			if id, attached, ok := taskFDQuery(pid, fd); ok {
				out[id] = perfHolder{pid: pid, attached: attached}
			}
		}
	}
	return out
}

// taskFDQuery asks the kernel (BPF_TASK_FD_QUERY, 4.18) what BPF program
// the perf event fd of process pid runs, and what it is attached to.
func taskFDQuery(pid, fd int) (progID uint32, attached string, ok bool) {
	const cmdTaskFDQuery = 20 // BPF_TASK_FD_QUERY
	buf := make([]byte, 256)
	attr := struct {
		pid, fd, flags, bufLen uint32
		buf                    uint64
		progID, fdType         uint32
		probeOffset, probeAddr uint64
	}{pid: uint32(pid), fd: uint32(fd), bufLen: uint32(len(buf)), buf: uint64(uintptr(unsafe.Pointer(&buf[0])))}
	_, _, errno := unix.Syscall(unix.SYS_BPF, cmdTaskFDQuery, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr))
	runtime.KeepAlive(buf)
	if errno != 0 || attr.progID == 0 {
		return 0, "", false
	}
	name := unix.ByteSliceToString(buf)
	// The kernel's bpf_task_fd_type.
	kinds := []string{"raw_tracepoint", "tracepoint", "kprobe", "kretprobe", "uprobe", "uretprobe"}
	kind := fmt.Sprintf("perf event type %d", attr.fdType)
	if int(attr.fdType) < len(kinds) {
		kind = kinds[attr.fdType]
	}
	if name == "" {
		return attr.progID, kind, true
	}
	return attr.progID, kind + " " + name, true
}
