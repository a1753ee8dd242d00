package main

import (
	"bytes"
	"os"
	"testing"
)

// TestCommittedOutputIsCurrent fails when arch/zsyscalls.go differs from
// what the generator writes now (x/sys upgraded, entries.go edited): run
// `go generate ./arch`.
func TestCommittedOutputIsCurrent(t *testing.T) {
	dir, version, err := xsysModule()
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(dir, version)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../zsyscalls.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("arch/zsyscalls.go is stale: run `go generate ./arch`")
	}
}

func TestApplyEntriesRejectsUnknownNames(t *testing.T) {
	rows := []row{{nr: 1, name: "write"}}
	if err := applyEntries(rows, map[string]string{"wirte": "sys_write"}); err == nil {
		t.Fatal("an entry for an unknown syscall was accepted")
	}
	if err := applyEntries(rows, map[string]string{"write": "sys_write2"}); err != nil {
		t.Fatal(err)
	}
	if rows[0].entry != "sys_write2" {
		t.Fatalf("entry = %q, want sys_write2", rows[0].entry)
	}
}
