package codegen

import (
	"testing"

	"github.com/polc-dev/polc/internal/kmem"
)

// Kernel memory for differential tests: programs run by BPF_PROG_TEST_RUN
// read kernel structs (a sock, a dentry, a string) through pointers in
// their arguments, laid out by package kmem. These wrappers fail the test
// on an error.

// arena is kernel memory the test writes.
type arena struct{ a *kmem.Arena }

func newArena(t testing.TB) *arena {
	t.Helper()
	removeMemlock(t)
	a, err := kmem.NewArena(kmem.DefaultSize)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return &arena{a}
}

func (a *arena) reset() { a.a.Reset() }

func (a *arena) alloc(t testing.TB, n int) (uint64, []byte) {
	t.Helper()
	addr, b, err := a.a.Alloc(n)
	if err != nil {
		t.Fatal(err)
	}
	return addr, b
}

func (a *arena) cstring(t testing.TB, s []byte) uint64 {
	t.Helper()
	addr, err := a.a.CString(s)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func (a *arena) flush(t testing.TB) {
	t.Helper()
	if err := a.a.Flush(); err != nil {
		t.Fatal(err)
	}
}

// kstruct is a kernel struct as the running kernel lays it out.
type kstruct struct {
	*kmem.Struct
	size int
}

func kernelStruct(t testing.TB, name string) *kstruct {
	t.Helper()
	k, err := kmem.KernelStruct(name)
	if err != nil {
		t.Fatal(err)
	}
	return &kstruct{k, k.Size}
}

func (k *kstruct) put(t testing.TB, b []byte, path string, v uint64) {
	t.Helper()
	if err := k.Put(b, path, v); err != nil {
		t.Fatal(err)
	}
}

func (k *kstruct) putBytes(t testing.TB, b []byte, path string, data []byte) {
	t.Helper()
	if err := k.PutBytes(b, path, data); err != nil {
		t.Fatal(err)
	}
}
