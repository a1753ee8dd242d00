package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/loader/testbundle"
)

// faultBin is polrun built with -tags faultinject: POLRUN_FAULT_KILL_AT=N
// makes it SIGKILL itself right after its N-th step, POLRUN_FAULT_LOG
// lists its steps (loader/faultinject.go).
var faultBin struct {
	once sync.Once
	path string
	err  error
}

func buildFaultBin(t *testing.T) string {
	t.Helper()
	faultBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "polrun-fault")
		if err != nil {
			faultBin.err = err
			return
		}
		faultBin.path = filepath.Join(dir, "polrun")
		if out, err := exec.Command("go", "build", "-tags", "faultinject", "-o", faultBin.path, ".").CombinedOutput(); err != nil {
			faultBin.err = fmt.Errorf("build polrun -tags faultinject: %v\n%s", err, out)
		}
	})
	if faultBin.err != nil {
		t.Fatal(faultBin.err)
	}
	return faultBin.path
}

// Programs of the journal tests: the base's and the policies'; the kernel
// names them so (15 characters at most). The suffix is this test process's,
// so that the same tests running at the same time in another checkout on
// the machine do not count among this one's programs.
var (
	jrnBaseProg   = fmt.Sprintf("jrn_b%05x", os.Getpid()&0xfffff)
	jrnPolicyProg = fmt.Sprintf("jrn_e%05x", os.Getpid()&0xfffff)
)

// jrnList is what the tests read of polrun list -o json.
type jrnList struct {
	Base *struct {
		Programs []struct {
			ProgramID uint32 `json:"program_id"`
		} `json:"programs"`
		Error string `json:"error"`
	} `json:"base"`
	Policies []struct {
		Name     string `json:"name"`
		PolicyID uint32 `json:"policy_id"`
		Programs []struct {
			ProgramID uint32 `json:"program_id"`
		} `json:"programs"`
		Error string `json:"error"`
	} `json:"policies"`
}

// state is the list in a comparable form: "base" if a base is loaded, and
// "NAME:ID" for each policy; programs are the program ids list shows.
func (l *jrnList) state() (state []string, programs []uint32) {
	if l.Base != nil {
		state = append(state, "base")
		for _, p := range l.Base.Programs {
			programs = append(programs, p.ProgramID)
		}
	}
	for _, p := range l.Policies {
		state = append(state, fmt.Sprintf("%s:%d", p.Name, p.PolicyID))
		for _, pr := range p.Programs {
			programs = append(programs, pr.ProgramID)
		}
	}
	slices.Sort(programs)
	return state, programs
}

func (e *env) list(t *testing.T) *jrnList {
	t.Helper()
	out, errOut, code := e.polrun("list", "-o", "json")
	if code != exitOK {
		t.Fatalf("list: exit %d\n%s", code, errOut)
	}
	var l jrnList
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("list: %v\n%s", err, out)
	}
	for _, p := range l.Policies {
		if p.Error != "" {
			t.Errorf("list: policy %s: %s", p.Name, p.Error)
		}
	}
	return &l
}

// jrnPrograms is the kernel's ids of the journal tests' programs.
func jrnPrograms(t *testing.T) []uint32 {
	var ids []uint32
	for id, name := range kernelPrograms(t) {
		if name == jrnBaseProg || name == jrnPolicyProg {
			ids = append(ids, uint32(id))
		}
	}
	slices.Sort(ids)
	return ids
}

// waitAttachedAsListed waits until the kernel's programs of these tests are
// exactly those list shows: the kernel frees the programs of removed pins
// asynchronously.
func waitAttachedAsListed(t *testing.T, listed []uint32) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := jrnPrograms(t)
		if slices.Equal(got, listed) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("programs loaded %v, list shows %v", got, listed)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// journalScenario is one operation killed at each of its steps in turn.
type journalScenario struct {
	name string
	// setup loads what the operation starts from (with the plain polrun).
	setup func(t *testing.T, e *env)
	// op is the operation's arguments.
	op []string
	// oldOrNew says whether a state (jrnList.state) is the one before the
	// operation or the one after it; before is the state after setup.
	oldOrNew func(before, after []string) bool
}

// TestKillAtEveryStep kills polrun load, load --replace and unload by
// SIGKILL right after each of their steps in turn (fault injection, not
// timing), then runs another polrun: the state must be the one before the
// operation or the one after it, with exactly the programs attached that
// list shows, and unload --all must leave nothing.
func TestKillAtEveryStep(t *testing.T) {
	e := newEnv(t)
	bin := buildFaultBin(t)
	if _, err := os.Stat(bin); err != nil {
		t.Fatal(err)
	}
	base, err := testbundle.Base(jrnBaseProg, true)
	if err != nil {
		t.Fatal(err)
	}
	basePath := e.write("base.bpf.o", base)
	bundle := func(name string) string {
		data, err := testbundle.Syscalls(name, jrnPolicyProg, 1).Write()
		if err != nil {
			t.Fatal(err)
		}
		return e.write(name+".bpf.o", data)
	}
	a, b := bundle("jrn-a"), bundle("jrn-b")
	load := func(t *testing.T, args ...string) {
		t.Helper()
		if out, errOut, code := e.polrun(append([]string{"load", "--base", basePath}, args...)...); code != exitOK {
			t.Fatalf("load %v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	names := func(state []string) []string {
		var out []string
		for _, s := range state {
			n, _, _ := strings.Cut(s, ":")
			out = append(out, n)
		}
		return out
	}
	scenarios := []journalScenario{{
		name:  "load",
		setup: func(*testing.T, *env) {},
		op:    []string{"load", "--base", basePath, a, b},
		oldOrNew: func(before, after []string) bool {
			return len(after) == 0 || slices.Equal(names(after), []string{"base", "jrn-a", "jrn-b"})
		},
	}, {
		name:  "load-second",
		setup: func(t *testing.T, e *env) { load(t, a) },
		op:    []string{"load", "--base", basePath, b},
		oldOrNew: func(before, after []string) bool {
			return slices.Equal(after, before) || len(after) == 3 && slices.Equal(after[:2], before) && strings.HasPrefix(after[2], "jrn-b:")
		},
	}, {
		name:  "replace",
		setup: func(t *testing.T, e *env) { load(t, a, b) },
		op:    []string{"load", "--replace", "--base", basePath, a},
		oldOrNew: func(before, after []string) bool {
			// jrn-a with a new id, jrn-b as it was.
			return slices.Equal(after, before) || len(after) == 3 && after[0] == "base" && after[2] == before[2] &&
				strings.HasPrefix(after[1], "jrn-a:") && after[1] != before[1]
		},
	}, {
		name:  "unload",
		setup: func(t *testing.T, e *env) { load(t, a, b) },
		op:    []string{"unload", "jrn-a", "jrn-b"},
		oldOrNew: func(before, after []string) bool {
			return slices.Equal(after, before) || len(after) == 0
		},
	}, {
		name:  "unload-one",
		setup: func(t *testing.T, e *env) { load(t, a, b) },
		op:    []string{"unload", "jrn-a"},
		oldOrNew: func(before, after []string) bool {
			return slices.Equal(after, before) || slices.Equal(after, []string{"base", before[2]})
		},
	}, {
		name:  "unload-all",
		setup: func(t *testing.T, e *env) { load(t, a, b) },
		op:    []string{"unload", "--all"},
		oldOrNew: func(before, after []string) bool {
			return slices.Equal(after, before) || len(after) == 0
		},
	}}
	// faulty runs the operation with the fault-injecting polrun.
	faulty := func(t *testing.T, env []string, args []string) (killed bool, out string) {
		cmd := exec.Command(bin, e.args(args)...)
		cmd.Env = append(os.Environ(), env...)
		o, err := cmd.CombinedOutput()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true, string(o)
		}
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, o)
		}
		return false, string(o)
	}
	clean := func(t *testing.T) {
		t.Helper()
		if out, errOut, code := e.polrun("unload", "--all"); code != exitOK {
			t.Fatalf("unload --all: exit %d\n%s%s", code, out, errOut)
		}
		if _, err := os.Lstat(e.root); !os.IsNotExist(err) {
			t.Fatalf("pin root left after unload --all: %q", e.pins())
		}
		waitAttachedAsListed(t, nil)
	}
	total := 0
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			// The operation's steps, from a run that is not killed.
			sc.setup(t, e)
			log := filepath.Join(t.TempDir(), "steps")
			if killed, out := faulty(t, []string{"POLRUN_FAULT_LOG=" + log}, sc.op); killed {
				t.Fatalf("killed without asking\n%s", out)
			}
			raw, err := os.ReadFile(log)
			if err != nil {
				t.Fatal(err)
			}
			// Steps of the setup's own polrun are not in the log: it ran
			// with the plain binary.
			steps := strings.Split(strings.TrimSpace(string(raw)), "\n")
			t.Logf("%d steps: %q", len(steps), steps)
			clean(t)
			for i, step := range steps {
				n, _, _ := strings.Cut(step, " ")
				if want := strconv.Itoa(i + 1); n != want {
					t.Fatalf("step %q numbered %s, want %s", step, n, want)
				}
				sc.setup(t, e)
				beforeList := e.list(t)
				before, _ := beforeList.state()
				if killed, out := faulty(t, []string{"POLRUN_FAULT_KILL_AT=" + n}, sc.op); !killed {
					t.Fatalf("after step %q: not killed\n%s", step, out)
				}
				// Any command finishes or rolls back what the killed
				// one left: list; events (then list, which finds nothing
				// left to do); or a list itself killed while finishing,
				// after its first, second or third step (then list).
				switch i % 3 {
				case 1:
					ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
					exec.CommandContext(ctx, polrunBin, e.args([]string{"events"})...).Run()
					cancel()
				case 2:
					faulty(t, []string{"POLRUN_FAULT_KILL_AT=" + strconv.Itoa(i/3%3+1)}, []string{"list"})
				}
				after, listed := e.list(t).state()
				if !sc.oldOrNew(before, after) {
					t.Errorf("killed after step %q: state %q, before %q", step, after, before)
				}
				waitAttachedAsListed(t, listed)
				if ents := rootEntries(t, e.root); len(ents) > 0 && !slices.Equal(ents, []string{"base", "policies"}) {
					t.Errorf("killed after step %q: pin root holds %q", step, ents)
				}
				// polrun works on what is left: a load and an unload.
				load(t, "--replace", a)
				clean(t)
				total++
			}
		})
	}
	t.Logf("%d kills", total)
}

// rootEntries lists the names in the pin root, sorted; none if it is gone.
func rootEntries(t *testing.T, root string) []string {
	ents, err := os.ReadDir(root)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// polrun never leaves a base without policies (the last unload removes
// it), but list shows one that is there, and says so.
func TestListBaseAlone(t *testing.T) {
	e := newEnv(t)
	b := e.syscallBundle("clitest-alone", 1)
	if out, errOut, code := e.polrun("load", b); code != exitOK {
		t.Fatalf("load: exit %d\n%s%s", code, out, errOut)
	}
	if err := os.RemoveAll(filepath.Join(e.root, "policies", "clitest-alone")); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := e.polrun("list", "--verbose")
	if code != exitOK || !strings.Contains(out, "(base)") || !strings.Contains(out, "no policies loaded: the base alone is attached (polrun unload --all removes it)") ||
		!strings.Contains(out, "  PROGRAM ") {
		t.Errorf("list: exit %d\n%s%s", code, out, errOut)
	}
	t.Log(out)
	l := e.list(t)
	if l.Base == nil || len(l.Base.Programs) == 0 || len(l.Policies) != 0 {
		t.Errorf("list -o json: %+v", l)
	}
	if out, errOut, code := e.polrun("unload", "--all"); code != exitOK {
		t.Fatalf("unload --all: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Lstat(e.root); !os.IsNotExist(err) {
		t.Errorf("pin root left: %q", e.pins())
	}
}
