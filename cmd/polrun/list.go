package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/cliflags"
	"github.com/polc-dev/polc/internal/termtext"
	"github.com/polc-dev/polc/loader"
)

func runList(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("list", "", stderr)
	root := pinRootFlag(fs)
	format := cliflags.OutputFlag(fs, "text", "output format: text (a table), json or yaml")
	verbose := fs.Bool("verbose", false, "also describe each policy's programs (hook, ids, verified instructions, run counts) and maps")
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if msg := formatProblem(rest, *format); msg != "" {
		return usageError(fs, msg)
	}
	st, err := loader.List(&loader.Options{PinRoot: *root})
	if err != nil {
		return fail(stderr, err)
	}
	if *format != "text" {
		return writeJSON(stdout, stderr, *format, listJSON(st))
	}
	printList(stdout, st, *verbose)
	return exitOK
}

// baseName is the base's row in the table: no policy can be named so.
const baseName = "(base)"

// listRow is a row of the table, and the summary of the JSON.
type listRow struct {
	name, mode, state string
	hooks, programs   int
	// counters are the policy's counts (NPOST, NENFORCE, NLOST), or the
	// base's (its exec, fork and exit records); nil for a bundle or base
	// built before them.
	counters *bpf.Counters
	// members: a policy set's members, shown as rows SET/MEMBER under it.
	members []memberRow
	memory  uint64
	err     string
}

// stateOf is Tetragon's STATE of a policy: enabled, or error when its
// pins or a program's link cannot be read.
func stateOf(err error, progs []loader.ProgramStatus) (string, string) {
	if err != nil {
		return "error", err.Error()
	}
	for _, p := range progs {
		if p.Err != nil {
			return "error", fmt.Sprintf("program %s: %v", p.Name, p.Err)
		}
	}
	return "enabled", ""
}

func rows(st *loader.Status) []listRow {
	var out []listRow
	if b := st.Base; b != nil {
		r := listRow{name: baseName, mode: "-", programs: len(b.Programs), counters: b.Counters, memory: loader.MapMemory(b.Maps)}
		r.state, r.err = stateOf(b.Err, b.Programs)
		hooks := map[string]bool{}
		for _, p := range b.Programs {
			hooks[p.Hook] = true
		}
		r.hooks = len(hooks)
		out = append(out, r)
	}
	for _, p := range st.Policies {
		r := listRow{name: p.Name, mode: p.Mode, programs: len(p.Programs), counters: p.Counters, memory: loader.MapMemory(p.Maps)}
		if r.mode == "" {
			r.mode = "-"
		}
		if p.Manifest != nil {
			r.hooks = len(p.Manifest.Hooks)
		}
		r.state, r.err = stateOf(p.Err, p.Programs)
		for i, mb := range p.Members {
			mr := memberRow{name: p.Name + "/" + mb.Name, mode: r.mode, state: "enabled", counters: mb.Counters}
			if !mb.Enabled {
				mr.state = "disabled"
			}
			if p.Manifest != nil {
				for _, h := range p.Manifest.Hooks {
					if h.Member == i {
						mr.hooks++
					}
				}
			}
			r.members = append(r.members, mr)
		}
		out = append(out, r)
	}
	return out
}

// memberRow is a policy set's member's row: its switch, hooks and counters.
type memberRow struct {
	name, mode, state string
	hooks             int
	counters          *bpf.Counters
}

// humanBytes writes a size as Tetragon's KERNELMEMORY does, in units of
// 1024.
func humanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatUint(n, 10) + " B"
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.2f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// printList prints st as a table, one row per policy (and the base), and
// with verbose each one's programs and maps. Names, hooks and errors come
// from the bundles' manifests: what a terminal would act on in them is
// escaped. No line ends in spaces.
func printList(out io.Writer, st *loader.Status, verbose bool) {
	var buf strings.Builder
	defer func() { io.WriteString(out, trimLines(termtext.Escape(buf.String()))) }()
	w := &buf
	if st.Base == nil && len(st.Policies) == 0 {
		fmt.Fprintln(w, "nothing loaded under", st.PinRoot)
		return
	}
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tMODE\tSTATE\tHOOKS\tPROGRAMS\tNPOST\tNENFORCE\tNLOST\tKERNELMEMORY")
	rs := rows(st)
	for _, r := range rs {
		hooks := strconv.Itoa(r.hooks)
		if r.hooks == 0 && r.name != baseName {
			hooks = "-" // the manifest could not be read
		}
		npost, nenforce, nlost := "-", "-", "-"
		if c := r.counters; c != nil {
			npost, nenforce, nlost = strconv.FormatUint(c.Posted, 10), strconv.FormatUint(c.Enforced, 10), strconv.FormatUint(c.Lost, 10)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", r.name, r.mode, r.state, hooks, r.programs,
			npost, nenforce, nlost, humanBytes(r.memory))
		for _, m := range r.members {
			npost, nenforce, nlost := "-", "-", "-"
			if c := m.counters; c != nil {
				npost, nenforce, nlost = strconv.FormatUint(c.Posted, 10), strconv.FormatUint(c.Enforced, 10), strconv.FormatUint(c.Lost, 10)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t-\t%s\t%s\t%s\t-\n", m.name, m.mode, m.state, m.hooks, npost, nenforce, nlost)
		}
	}
	tw.Flush()
	for _, r := range rs {
		if r.err != "" {
			fmt.Fprintf(w, "%s: error: %s\n", r.name, r.err)
		}
	}
	if st.Base != nil && len(st.Policies) == 0 {
		// polrun removes the base with the last policy: this one was
		// left by other means, and unload --all removes it.
		fmt.Fprintln(w, "no policies loaded: the base alone is attached (polrun unload --all removes it)")
	}
	if !verbose {
		return
	}
	if st.Base != nil {
		fmt.Fprintf(w, "\nbase\n")
		printDetail(w, st.Base.Programs, st.Base.Maps, st.StatsEnabled)
	}
	for _, p := range st.Policies {
		fmt.Fprintf(w, "\npolicy %s: id %d, mode %s, loaded %s, bundle %s%s\n", p.Name, p.PolicyID, p.Mode,
			p.LoadedAt.Local().Format(time.DateTime), p.Bundle, signedVersionText(p.SignedVersion))
		printDetail(w, p.Programs, p.Maps, st.StatsEnabled)
	}
	if !st.StatsEnabled {
		fmt.Fprintln(w, "\n(run counts need kernel.bpf_stats_enabled=1)")
	}
}

// printDetail prints the programs and maps of a policy or the base.
func printDetail(w io.Writer, progs []loader.ProgramStatus, maps []loader.MapStatus, stats bool) {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  PROGRAM\tHOOK\tTYPE\tPROG ID\tLINK ID\tINSNS\tRUNS\tRUN TIME")
	for _, p := range progs {
		if p.Err != nil {
			fmt.Fprintf(tw, "  %s\t%s\terror: %v\n", p.Name, p.Hook, p.Err)
			continue
		}
		runs, runTime := "-", "-"
		if stats {
			runs, runTime = strconv.FormatUint(p.RunCount, 10), p.RunTime.String()
		}
		linkID := strconv.FormatUint(uint64(p.LinkID), 10)
		if p.HeldBy != 0 {
			linkID = fmt.Sprintf("held by pid %d", p.HeldBy) // loader.Holder
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\n", p.Name, p.Hook, p.Type, p.ProgramID, linkID, p.VerifiedInsns, runs, runTime)
	}
	tw.Flush()
	if len(maps) == 0 {
		return
	}
	tw = tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  MAP\tTYPE\tID\tKEY\tVALUE\tMAX ENTRIES\tMEMORY")
	for _, m := range maps {
		mem := humanBytes(m.Memory)
		if m.MemoryEstimated {
			mem += " (estimated)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\t%d\t%s\n", m.Name, m.Type, m.ID, m.KeySize, m.ValueSize, m.MaxEntries, mem)
	}
	tw.Flush()
}

// trimLines removes the spaces tabwriter leaves at the end of a line
// whose last cells are empty.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// listJSON is the stable JSON (and YAML) shape of `polrun list -o json`.
func listJSON(st *loader.Status) any {
	type prog struct {
		Name      string `json:"name"`
		Hook      string `json:"hook"`
		ProgramID uint32 `json:"program_id"`
		LinkID    uint32 `json:"link_id"`
		// HeldByPID: the process holding an attachment the kernel
		// cannot pin (perf events before 5.15); link_id is then 0.
		HeldByPID     int    `json:"held_by_pid,omitempty"`
		Type          string `json:"type"`
		VerifiedInsns uint32 `json:"verified_insns"`
		RunCnt        uint64 `json:"run_cnt"`
		RunTimeNs     int64  `json:"run_time_ns"`
		Error         string `json:"error,omitempty"`
	}
	type mp struct {
		Name       string `json:"name"`
		ID         uint32 `json:"id"`
		Type       string `json:"type"`
		KeySize    uint32 `json:"key_size"`
		ValueSize  uint32 `json:"value_size"`
		MaxEntries uint32 `json:"max_entries"`
		// Memory: bytes of kernel memory, estimated when the kernel
		// does not say.
		Memory          uint64 `json:"memory"`
		MemoryEstimated bool   `json:"memory_estimated,omitempty"`
	}
	// memoryParts are a part's maps and programs; the ring buffer and
	// process table are the base's, counted in its maps.
	type memoryParts struct {
		Total        uint64 `json:"total"`
		Maps         uint64 `json:"maps"`
		Programs     uint64 `json:"programs"`
		RingBuffer   uint64 `json:"ring_buffer,omitempty"`
		ProcessTable uint64 `json:"process_table,omitempty"`
	}
	type member struct {
		Name     string  `json:"name"`
		State    string  `json:"state"`
		Hooks    int     `json:"hooks"`
		NPost    *uint64 `json:"npost,omitempty"`
		NEnforce *uint64 `json:"nenforce,omitempty"`
		NLost    *uint64 `json:"nlost,omitempty"`
	}
	type part struct {
		Name     string `json:"name,omitempty"`
		PolicyID uint32 `json:"policy_id,omitempty"`
		Mode     string `json:"mode,omitempty"`
		State    string `json:"state"`
		Hooks    int    `json:"hooks"`
		// NPost, NEnforce and NLost: the policy's counters (records
		// posted, enforcement actions carried out, records lost); for
		// the base NPost and NLost (its exec, fork and exit records);
		// absent for bundles and bases built before them.
		NPost        *uint64   `json:"npost,omitempty"`
		NEnforce     *uint64   `json:"nenforce,omitempty"`
		NLost        *uint64   `json:"nlost,omitempty"`
		KernelMemory uint64    `json:"kernel_memory"`
		Bundle       string    `json:"bundle,omitempty"`
		BundleSHA256 string    `json:"bundle_sha256,omitempty"`
		LoadedAt     time.Time `json:"loaded_at,omitzero"`
		Programs     []prog    `json:"programs"`
		Maps         []mp      `json:"maps"`
		Error        string    `json:"error,omitempty"`
		// SignedVersion: loaded with --verify, the signature's version.
		SignedVersion uint64 `json:"signed_version,omitempty"`
		// KernelMemoryParts: loader.KernelMemory, in bytes (the maps'
		// figure is kernel_memory's).
		KernelMemoryParts *memoryParts `json:"kernel_memory_parts,omitempty"`
		// Members: a policy set's members.
		Members []member `json:"members,omitempty"`
	}
	parts := func(k loader.KernelMemory) *memoryParts {
		return &memoryParts{Total: k.Total(), Maps: k.Maps, Programs: k.Programs, RingBuffer: k.RingBuffer, ProcessTable: k.ProcessTable}
	}
	progs := func(ps []loader.ProgramStatus) []prog {
		out := []prog{}
		for _, p := range ps {
			q := prog{Name: p.Name, Hook: p.Hook, ProgramID: p.ProgramID, LinkID: p.LinkID, HeldByPID: p.HeldBy, Type: p.Type,
				VerifiedInsns: p.VerifiedInsns, RunCnt: p.RunCount, RunTimeNs: p.RunTime.Nanoseconds()}
			if p.Err != nil {
				q.Error = p.Err.Error()
			}
			out = append(out, q)
		}
		return out
	}
	maps := func(ms []loader.MapStatus) []mp {
		out := []mp{}
		for _, m := range ms {
			out = append(out, mp{m.Name, m.ID, m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Memory, m.MemoryEstimated})
		}
		return out
	}
	out := struct {
		PinRoot      string `json:"pin_root"`
		StatsEnabled bool   `json:"bpf_stats_enabled"`
		Base         *part  `json:"base"`
		Policies     []part `json:"policies"`
	}{PinRoot: st.PinRoot, StatsEnabled: st.StatsEnabled, Policies: []part{}}
	rs := rows(st)
	if st.Base != nil {
		r := rs[0]
		rs = rs[1:]
		out.Base = &part{State: r.state, Hooks: r.hooks, KernelMemory: r.memory, Programs: progs(st.Base.Programs), Maps: maps(st.Base.Maps),
			KernelMemoryParts: parts(st.Base.Memory)}
		if c := st.Base.Counters; c != nil {
			out.Base.NPost, out.Base.NLost = &c.Posted, &c.Lost
		}
		if st.Base.Err != nil {
			out.Base.Error = st.Base.Err.Error()
		}
	}
	for i, p := range st.Policies {
		r := rs[i]
		q := part{Name: p.Name, PolicyID: p.PolicyID, Mode: p.Mode, State: r.state, Hooks: r.hooks, KernelMemory: r.memory,
			Bundle: p.Bundle, BundleSHA256: p.BundleSHA256, LoadedAt: p.LoadedAt,
			Programs: progs(p.Programs), Maps: maps(p.Maps), SignedVersion: p.SignedVersion, KernelMemoryParts: parts(p.Memory)}
		if c := p.Counters; c != nil {
			q.NPost, q.NEnforce, q.NLost = &c.Posted, &c.Enforced, &c.Lost
		}
		for j, m := range r.members {
			mj := member{Name: p.Members[j].Name, State: m.state, Hooks: m.hooks}
			if c := m.counters; c != nil {
				mj.NPost, mj.NEnforce, mj.NLost = &c.Posted, &c.Enforced, &c.Lost
			}
			q.Members = append(q.Members, mj)
		}
		if p.Err != nil {
			q.Error = p.Err.Error()
		}
		out.Policies = append(out.Policies, q)
	}
	return out
}
