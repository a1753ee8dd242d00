package loader

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
)

// userHZ is the unit of /proc/PID/stat times: USER_HZ, 100 on every
// architecture polc targets.
const userHZ = 100

// nsKinds are the namespace kinds of bpf.Proc.Ns, in its order, as
// /proc/PID/ns names them (and as VarHostNSPrefix variables end).
var nsKinds = [bpf.NumNamespaces]string{
	"uts", "ipc", "mnt", "pid", "pid_for_children", "net", "time", "time_for_children", "cgroup", "user",
}

// procInfo is what /proc says about one process.
type procInfo struct {
	Tgid       uint32
	Ppid       uint32
	StartKtime uint64 // boot-time ns, 10 ms resolution
	UID        uint32 // real uid
	AUID       uint32 // loginuid; 4294967295 when unset
	HasAUID    bool
	Caps       [3]uint64
	Ns         [bpf.NumNamespaces]uint32
	Binary     string
	Args       string // arguments after argv[0], space-separated, as Tetragon prints them
	Cmdline    []byte // the argument area as /proc/PID/cmdline reads (nil when unreadable)
	Cwd        string
	Kthread    bool
}

// readProc reads /proc/PID (procfs is the mount point, normally "/proc").
// Binary, Args and Cwd are best effort: they may be unreadable for kernel
// threads and for processes that exit while being read.
func readProc(procfs string, pid uint32) (*procInfo, error) {
	dir := filepath.Join(procfs, strconv.FormatUint(uint64(pid), 10))
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return nil, err
	}
	p := &procInfo{Tgid: pid}
	// The command name (field 2) is in parentheses and may contain
	// anything, so fields are counted after its last ')'.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return nil, fmt.Errorf("parse %s/stat: no command name", dir)
	}
	fields := strings.Fields(string(stat[i+1:]))
	// fields[0] is field 3 (state): ppid is field 4, flags 9, starttime 22.
	if len(fields) < 20 {
		return nil, fmt.Errorf("parse %s/stat: %d fields", dir, len(fields)+2)
	}
	ppid, err1 := strconv.ParseUint(fields[1], 10, 32)
	flags, err2 := strconv.ParseUint(fields[6], 10, 32)
	start, err3 := strconv.ParseUint(fields[19], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, fmt.Errorf("parse %s/stat: bad number", dir)
	}
	const pfKthread = 0x00200000
	p.Ppid = uint32(ppid)
	p.Kthread = flags&pfKthread != 0
	p.StartKtime = start * (1e9 / userHZ)

	if status, err := os.ReadFile(filepath.Join(dir, "status")); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			key, val, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			val = strings.TrimSpace(val)
			switch key {
			case "Uid":
				if f := strings.Fields(val); len(f) > 0 {
					if u, err := strconv.ParseUint(f[0], 10, 32); err == nil {
						p.UID = uint32(u)
					}
				}
			case "CapPrm":
				p.Caps[bpf.CapPermitted], _ = strconv.ParseUint(val, 16, 64)
			case "CapEff":
				p.Caps[bpf.CapEffective], _ = strconv.ParseUint(val, 16, 64)
			case "CapInh":
				p.Caps[bpf.CapInheritable], _ = strconv.ParseUint(val, 16, 64)
			}
		}
	}
	if raw, err := os.ReadFile(filepath.Join(dir, "loginuid")); err == nil {
		if u, err := strconv.ParseUint(strings.TrimSpace(string(raw)), 10, 32); err == nil {
			p.AUID, p.HasAUID = uint32(u), true
		}
	}
	for k, kind := range nsKinds {
		p.Ns[k], _ = nsInode(filepath.Join(dir, "ns", kind))
	}
	if !p.Kthread {
		p.Binary, _ = os.Readlink(filepath.Join(dir, "exe"))
		p.Cwd, _ = os.Readlink(filepath.Join(dir, "cwd"))
		if raw, err := os.ReadFile(filepath.Join(dir, "cmdline")); err == nil {
			p.Args = formatArgs(raw)
			p.Cmdline = raw
		}
	}
	return p, nil
}

// formatArgs turns a NUL-separated argv into Tetragon's "arguments": the
// arguments after argv[0], separated by spaces.
func formatArgs(argv []byte) string {
	argv = bytes.TrimRight(argv, "\x00")
	parts := strings.Split(string(argv), "\x00")
	if len(parts) <= 1 {
		return ""
	}
	return strings.Join(parts[1:], " ")
}

// nsInode returns the inode of a namespace file (/proc/PID/ns/KIND).
func nsInode(path string) (uint32, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return 0, err
	}
	return uint32(st.Ino), nil
}

// listPids returns the thread-group ids in /proc.
func listPids(procfs string) ([]uint32, error) {
	ents, err := os.ReadDir(procfs)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", procfs, err)
	}
	var pids []uint32
	for _, e := range ents {
		if n, err := strconv.ParseUint(e.Name(), 10, 32); err == nil && n > 0 {
			pids = append(pids, uint32(n))
		}
	}
	return pids, nil
}

// toProc is the process-table entry polrun seeds for p.
func (p *procInfo) toProc() bpf.Proc {
	e := bpf.Proc{
		Tgid: p.Tgid, Ppid: p.Ppid, StartKtime: p.StartKtime, Flags: bpf.ProcFromProcfs,
		UID: p.UID, Ns: p.Ns, Caps: p.Caps,
	}
	bin := p.Binary
	if len(bin) > bpf.BinaryMax-1 {
		bin = bin[:bpf.BinaryMax-1]
		e.Flags |= bpf.ProcTruncated
	}
	copy(e.Binary[:], bin)
	e.BinaryLen = uint32(len(bin))
	return e
}
