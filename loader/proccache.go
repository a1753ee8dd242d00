package loader

import (
	"encoding/base64"
	"fmt"
	"time"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// procCache is polrun's user-space view of the processes on the host,
// seeded from /proc and kept by the base's exec, fork and exit records. It
// gives events their process and parent (and ancestors). The arguments
// and cwd of a process that exec'd come from its exec record, read by the
// kernel at exec; /proc is read only for processes that were running
// before, and for exec records of a base older than bpf.ExecData.
//
// Entries are found by pid (the process's current exec), and each links
// to its parent's entry as it was at fork or exec: the exec ids of an
// event's parent and ancestors stay right when the parent exits, execs
// again or its pid is reused.
type procCache struct {
	node   string
	procfs string
	toWall func(ktime uint64) time.Time
	// table is the base's process table, consulted for a process the cache
	// has not seen (it may be nil).
	table *ebpf.Map
	byPid map[uint32]*procEntry
	// exited holds the pids of exited processes, oldest first: their
	// entries stay for late events until the queue is full.
	exited []uint32
}

// maxExited is how many exited processes the cache remembers.
const maxExited = 4096

type procEntry struct {
	pid, ppid    uint32
	ktime        uint64 // boot-time ns of the exec (or fork, or /proc start)
	uid          uint32
	auid         uint32
	hasAUID      bool
	binary, args string
	cwd          string
	flags        string
	execID       string
	parentExecID string
	// parent is the entry of the parent, when known, as it was when this
	// one was made.
	parent *procEntry
	exited bool
	// exitReported: an exit record came for the process after it had
	// exited (see handle).
	exitReported bool
	// proc and enc are the entry as an event's Process (TID left out)
	// and its JSON, made for its first event. An entry does not change
	// once it is in the cache (a change makes a new entry), so they stay
	// right for its life.
	proc *Process
	enc  *procEncoding
}

func newProcCache(node, procfs string, toWall func(uint64) time.Time, table *ebpf.Map) *procCache {
	return &procCache{node: node, procfs: procfs, toWall: toWall, table: table, byPid: map[uint32]*procEntry{}}
}

// execID is Tetragon's exec_id: base64 of "node:ktime:pid", unique per
// exec across a cluster's nodes and over time.
func (c *procCache) execID(ktime uint64, pid uint32) string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d:%d", c.node, ktime, pid))
}

// seed adds every process in /proc that the cache does not know yet.
func (c *procCache) seed() error {
	pids, err := listPids(c.procfs)
	if err != nil {
		return err
	}
	var added []*procEntry
	for _, pid := range pids {
		if c.byPid[pid] != nil {
			continue
		}
		p, err := readProc(c.procfs, pid)
		if err != nil {
			continue
		}
		e := c.fromProc(p)
		c.byPid[pid] = e
		added = append(added, e)
	}
	for _, e := range added {
		if parent := c.byPid[e.ppid]; parent != nil && parent != e {
			e.parent, e.parentExecID = parent, parent.execID
		}
	}
	return nil
}

func (c *procCache) fromProc(p *procInfo) *procEntry {
	e := &procEntry{
		pid: p.Tgid, ppid: p.Ppid, ktime: p.StartKtime, uid: p.UID, auid: p.AUID, hasAUID: p.HasAUID,
		binary: p.Binary, args: p.Args, cwd: p.Cwd, flags: "procFS",
	}
	e.execID = c.execID(e.ktime, e.pid)
	return e
}

// handle updates the cache from a base record; ed is the exec record's
// ExecData, nil when it has none. It returns the entry of the process the
// record is about (for an exit, as it was before; nil for a fork), and
// whether the record is a second exit of a process already reported
// exited: two threads ending at once may each find the process's last
// thread gone (signal->live is 0) and both post its exit.
func (c *procCache) handle(h bpf.Header, pe *bpf.ProcEvent, ed *execData) (e *procEntry, repeatedExit bool) {
	e = c.apply(h, pe, ed)
	return e, e != nil && h.Kind == bpf.EventExit && e.exitReported
}

func (c *procCache) apply(h bpf.Header, pe *bpf.ProcEvent, ed *execData) *procEntry {
	p := &pe.Proc
	switch h.Kind {
	case bpf.EventExec:
		e := &procEntry{
			pid: p.Tgid, ppid: p.Ppid, ktime: h.Ktime, uid: p.UID,
			binary: cString(p.Binary[:]),
		}
		cloned := false
		old := c.byPid[p.Tgid]
		if old != nil && !old.exited {
			// The login uid is kept over fork and exec.
			e.cwd, e.auid, e.hasAUID = old.cwd, old.auid, old.hasAUID
			cloned = old.flags == "clone"
		} else if parent := c.byPid[p.Ppid]; parent != nil {
			e.auid, e.hasAUID = parent.auid, parent.hasAUID
		}
		if ed != nil {
			e.args, e.cwd = formatArgs(ed.argv), string(ed.cwd)
		} else if info, err := readProc(c.procfs, p.Tgid); err == nil && info.Binary == e.binary {
			// A base without ExecData: /proc has the arguments and cwd
			// while the process runs the binary the record names.
			e.args, e.cwd = info.Args, info.Cwd
			e.auid, e.hasAUID = info.AUID, info.HasAUID
		}
		e.flags = execFlags(p, ed, e.cwd, cloned)
		c.link(e)
		if old != nil && !old.exited && old.parent != nil {
			// The parent is the process that made this one, as in
			// Tetragon: a process reparented (its parent exited) before
			// it exec'd keeps it, rather than the reaper the kernel
			// names now.
			e.ppid, e.parent, e.parentExecID = old.ppid, old.parent, old.parentExecID
		}
		return e
	case bpf.EventFork:
		// Only new processes: the base posts nothing for new threads.
		e := &procEntry{pid: p.Tgid, ppid: p.Ppid, ktime: p.StartKtime, uid: p.UID, binary: cString(p.Binary[:]), flags: "clone"}
		if e.ktime == 0 {
			e.ktime = h.Ktime
		}
		if parent := c.byPid[p.Ppid]; parent != nil {
			e.args, e.cwd, e.auid, e.hasAUID = parent.args, parent.cwd, parent.auid, parent.hasAUID
		}
		c.link(e)
		return nil
	case bpf.EventExit:
		e := c.lookup(p.Tgid)
		if e == nil && p.BinaryLen > 0 {
			// Gone from /proc and the table by now, but the record has
			// the table's entry as it was.
			e = &procEntry{pid: p.Tgid, ppid: p.Ppid, ktime: p.StartKtime, uid: p.UID, binary: cString(p.Binary[:]), flags: "procFS"}
			if p.Flags&bpf.ProcFromProcfs == 0 {
				e.flags = "execve"
			}
			c.link(e)
		}
		if e != nil && e.exited {
			// A process with this tgid exits again with no exec or
			// fork between: the same process, its exit posted twice.
			e.exitReported = true
			return e
		}
		if e != nil && !e.exited {
			e.exited = true
			c.exited = append(c.exited, p.Tgid)
			for len(c.exited) > maxExited {
				old := c.exited[0]
				c.exited = c.exited[1:]
				if o := c.byPid[old]; o != nil && o.exited {
					delete(c.byPid, old)
				}
			}
		}
		return e
	}
	return nil
}

// execFlags are Tetragon's flags of an exec'd process: execve, then what
// was cut or could not be read, rootcwd for a process in /, and clone for
// one that was seen forking before it exec'd.
func execFlags(p *bpf.Proc, ed *execData, cwd string, cloned bool) string {
	f := "execve"
	if p.Flags&bpf.ProcTruncated != 0 {
		f += " truncFilename"
	}
	if ed != nil {
		if ed.argFlags&bpf.BytesTruncated != 0 {
			f += " truncArgs"
		}
		if ed.argFlags&bpf.BytesFault != 0 {
			f += " errorArgs"
		}
	}
	if cwd == "/" {
		f += " rootcwd"
	}
	if ed != nil && ed.cwdFlags != 0 {
		// A path longer than PATH_MAX, or unreadable: as the kernel's
		// d_path fails on it.
		f += " errorCWD"
	}
	if cloned {
		f += " clone"
	}
	return f
}

// link gives e its exec id and parent, and makes it the entry of its pid.
func (c *procCache) link(e *procEntry) {
	e.execID = c.execID(e.ktime, e.pid)
	if parent := c.byPid[e.ppid]; parent != nil && e.ppid != e.pid {
		e.parent, e.parentExecID = parent, parent.execID
	}
	c.byPid[e.pid] = e
}

// lookup returns the entry of tgid: from the cache, else from the base's
// process table and /proc (and remembers it), else nil.
func (c *procCache) lookup(tgid uint32) *procEntry {
	if e := c.byPid[tgid]; e != nil {
		return e
	}
	var e *procEntry
	if info, err := readProc(c.procfs, tgid); err == nil {
		e = c.fromProc(info)
	}
	if c.table != nil {
		var p bpf.Proc
		if err := c.table.Lookup(tgid, &p); err == nil {
			if e == nil {
				e = &procEntry{pid: tgid, flags: "procFS"}
			}
			e.ppid, e.uid, e.binary = p.Ppid, p.UID, cString(p.Binary[:])
			if p.Flags&bpf.ProcFromProcfs == 0 {
				e.flags = "execve"
			}
			if p.StartKtime != 0 {
				e.ktime = p.StartKtime
			}
			e.execID = c.execID(e.ktime, e.pid)
		}
	}
	if e == nil {
		return nil
	}
	if parent := c.byPid[e.ppid]; parent != nil && e.ppid != tgid {
		e.parent, e.parentExecID = parent, parent.execID
	}
	c.byPid[tgid] = e
	return e
}

// parentOf returns e's parent entry: the one linked when e was made, else
// the entry of its parent pid now (and links it).
func (c *procCache) parentOf(e *procEntry) *procEntry {
	if e.parent != nil || e.ppid == 0 || e.ppid == e.pid {
		return e.parent
	}
	pe := c.lookup(e.ppid)
	if pe != nil && pe != e && (e.parentExecID == "" || e.parentExecID == pe.execID) {
		e.parent, e.parentExecID = pe, pe.execID
		e.proc, e.enc = nil, nil // its parent_exec_id changed
	}
	return e.parent
}

// maxAncestors bounds the ancestors an event lists (a process tree is
// much shallower; the bound only guards against a loop).
const maxAncestors = 256

// ancestors appends to dst a copy of the Process of each ancestor of e
// beyond its parent, nearest first, as Tetragon's --enable-ancestors
// lists them.
func (c *procCache) ancestors(e *procEntry, dst []*Process) []*Process {
	p := c.parentOf(e)
	for i := 0; p != nil && i < maxAncestors; i++ {
		p = c.parentOf(p)
		if p == nil {
			break
		}
		if p.proc == nil {
			p.proc = c.toProcess(p)
			p.enc = newProcEncoding(p.proc)
		}
		dst = append(dst, p.proc.clone(nil))
	}
	return dst
}

// process sets the Process and parent Process of ev by tgid and tid, each
// a copy of its entry's (in ev's rooms), and their encodings.
func (c *procCache) process(tgid, tid uint32, ev *Event) {
	e := c.lookup(tgid)
	if e == nil {
		ev.procRoom = processCopy{pid: tgid, tid: tid}
		ev.procRoom.p = Process{PID: &ev.procRoom.pid, TID: &ev.procRoom.tid}
		ev.Process, ev.Parent, ev.procEnc, ev.parentEnc = &ev.procRoom.p, nil, nil, nil
		return
	}
	ev.Parent, ev.parentEnc = nil, nil
	if pe := c.parentOf(e); pe != nil {
		ev.Parent, ev.parentEnc = c.encoded(pe, pe.pid, &ev.parentRoom)
	}
	ev.Process, ev.procEnc = c.encoded(e, tid, &ev.procRoom)
}

// encoded returns a copy of e's Process with TID tid, made in room, for an
// event to own, and its encoding, making both for e's first event.
func (c *procCache) encoded(e *procEntry, tid uint32, room *processCopy) (*Process, *procEncoding) {
	if e.proc == nil {
		e.proc = c.toProcess(e)
		e.enc = newProcEncoding(e.proc)
	}
	return e.proc.cloneInto(room, &tid), e.enc
}

func (c *procCache) toProcess(e *procEntry) *Process {
	p := &Process{
		ExecID: e.execID, PID: u32(e.pid), UID: u32(e.uid), Cwd: e.cwd, Binary: e.binary,
		Arguments: e.args, Flags: e.flags, ParentExecID: e.parentExecID,
	}
	if e.ktime != 0 {
		ts := Timestamp(c.toWall(e.ktime))
		p.StartTime = &ts
	}
	if e.hasAUID {
		p.AUID = u32(e.auid)
	}
	return p
}
