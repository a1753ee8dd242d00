package usdt

import (
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// probesC has probes with register, constant, stack and %rip-relative
// arguments, one written twice, and one with a semaphore.
const probesC = `#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
#include <stdlib.h>

unsigned short polc_args_semaphore __attribute__((unused, section(".probes")));
unsigned short polc_consts_semaphore __attribute__((unused, section(".probes")));
unsigned short polc_twice_semaphore __attribute__((unused, section(".probes")));
static volatile long counter = 7;

int main(int argc, char **argv)
{
	volatile int ret = 0;
	int a = argc > 1 ? atoi(argv[1]) : 1;
	long b = argc > 2 ? atol(argv[2]) : -2;
	DTRACE_PROBE3(polc, args, a, b, counter);
	DTRACE_PROBE2(polc, consts, 5, -9);
	DTRACE_PROBE1(polc, twice, ret);
	if (a > 3)
		DTRACE_PROBE1(polc, twice, b);
	return ret;
}
`

func buildC(t *testing.T, src string, flags ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.c"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "p")
	out, err := exec.Command("gcc", append(flags, "-o", bin, filepath.Join(dir, "p.c"))...).CombinedOutput()
	if err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	return bin
}

func TestReadFile(t *testing.T) {
	testenv.Require(t, testenv.Tool("gcc"), testenv.SDTHeader)
	for _, flags := range [][]string{{"-O2"}, {"-O0", "-no-pie"}} {
		bin := buildC(t, probesC, flags...)
		probes, err := ReadFile(bin, arch.Host())
		if err != nil {
			t.Fatal(err)
		}
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		text := f.Section(".text")
		syms := symbols(f)
		f.Close()
		names := map[string]int{}
		for _, p := range probes {
			names[p.Provider+":"+p.Name]++
			if p.Err != nil {
				t.Errorf("%v: %v", flags, p.Err)
				continue
			}
			if p.Location < text.Offset || p.Location >= text.Offset+text.Size {
				t.Errorf("%v: %s is not in .text (%#x+%#x)", flags, &p, text.Offset, text.Size)
			}
			if p.Semaphore == 0 || p.SemaphoreAddress != syms["polc_"+p.Name+"_semaphore"] {
				t.Errorf("%v: %s: semaphore at %#x (file %#x), want polc_%s_semaphore at %#x", flags, &p, p.SemaphoreAddress, p.Semaphore, p.Name, syms["polc_"+p.Name+"_semaphore"])
			}
			switch p.Name {
			case "args":
				if len(p.Args) != 3 || p.Args[0].Size != 4 || !p.Args[0].Signed || p.Args[1].Size != 8 {
					t.Errorf("%v: %s: args %+v", flags, &p, p.Args)
				}
				// counter: memory, %rip-relative at -O2, wherever the
				// compiler put it at -O0.
				if c := p.Args[2]; c.Reg == "ip" && (c.Kind != bpf.USDTArgRegDeref || c.Value != int64(syms["counter"]-p.Address)) {
					t.Errorf("%v: %s: counter %+v, want %%rip%+d", flags, &p, c, int64(syms["counter"]-p.Address))
				}
			case "consts":
				if len(p.Args) != 2 || p.Args[0].Kind != bpf.USDTArgConst || p.Args[0].Value != 5 || p.Args[1].Value != -9 {
					t.Errorf("%v: %s: args %+v", flags, &p, p.Args)
				}
				if _, err := p.Spec(); err != nil {
					t.Error(err)
				}
			}
		}
		if names["polc:args"] != 1 || names["polc:consts"] != 1 || names["polc:twice"] != 2 {
			t.Errorf("%v: probes %v", flags, names)
		}
	}
	if _, err := ReadFile("/proc/self/exe", arch.Host()); !errors.Is(err, ErrNoNotes) {
		t.Errorf("a Go test binary: %v, want ErrNoNotes", err)
	}
}
