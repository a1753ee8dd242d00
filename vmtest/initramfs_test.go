package vmtest

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cpioEntry is an archive member as readNewc sees it.
type cpioEntry struct {
	Name             string
	Mode             uint32
	RdevMaj, RdevMin uint32
	Data             string
}

// readNewc parses a newc archive following the kernel's buffer-format.rst,
// independently of the writer: fixed 110-byte headers of hex fields, the
// name NUL-terminated and padded to 4 bytes, the data padded to 4 bytes.
func readNewc(t *testing.T, raw []byte) []cpioEntry {
	t.Helper()
	var entries []cpioEntry
	for off := 0; ; {
		if len(raw)-off < 110 {
			t.Fatalf("truncated header at %d", off)
		}
		hdr := string(raw[off : off+110])
		if hdr[:6] != "070701" {
			t.Fatalf("bad magic %q at %d", hdr[:6], off)
		}
		field := func(i int) uint32 {
			v, err := strconv.ParseUint(hdr[6+8*i:14+8*i], 16, 32)
			if err != nil {
				t.Fatalf("field %d at %d: %v", i, off, err)
			}
			return uint32(v)
		}
		mode, size, namesize := field(1), field(6), field(11)
		if field(12) != 0 {
			t.Fatalf("check field set at %d", off)
		}
		name := string(raw[off+110 : off+110+int(namesize)])
		if !strings.HasSuffix(name, "\x00") {
			t.Fatalf("name %q not NUL-terminated", name)
		}
		name = strings.TrimSuffix(name, "\x00")
		off += 110 + int(namesize)
		off += (4 - off%4) % 4
		if name == "TRAILER!!!" {
			return entries
		}
		data := string(raw[off : off+int(size)])
		off += int(size)
		off += (4 - off%4) % 4
		entries = append(entries, cpioEntry{name, mode, field(9), field(10), data})
	}
}

func TestInitramfs(t *testing.T) {
	src := t.TempDir()
	os.MkdirAll(filepath.Join(src, "sub"), 0o755)
	os.WriteFile(filepath.Join(src, "sub", "a.yaml"), []byte("abc"), 0o644)
	os.Symlink("sub/a.yaml", filepath.Join(src, "link"))
	exe := filepath.Join(t.TempDir(), "tool")
	os.WriteFile(exe, []byte("\x7fELF12"), 0o755)

	var buf bytes.Buffer
	a := NewInitramfs(&buf)
	for _, err := range []error{
		a.CharDev("/dev/console", 5, 1),
		a.CopyFile("/init", exe),
		a.File("/vmtest/x/manifest.json", 0o644, strings.NewReader("{}"), 2),
		a.CopyTree("/vmtest/x/testdata", src),
		a.Close(),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw)%4 != 0 {
		t.Errorf("archive is %d bytes, not a multiple of 4", len(raw))
	}
	want := []cpioEntry{
		{Name: "dev", Mode: 0o40755},
		{Name: "dev/console", Mode: 0o20600, RdevMaj: 5, RdevMin: 1},
		{Name: "init", Mode: 0o100755, Data: "\x7fELF12"},
		{Name: "vmtest", Mode: 0o40755},
		{Name: "vmtest/x", Mode: 0o40755},
		{Name: "vmtest/x/manifest.json", Mode: 0o100644, Data: "{}"},
		{Name: "vmtest/x/testdata", Mode: 0o40755},
		{Name: "vmtest/x/testdata/link", Mode: 0o120777, Data: "sub/a.yaml"},
		{Name: "vmtest/x/testdata/sub", Mode: 0o40755},
		{Name: "vmtest/x/testdata/sub/a.yaml", Mode: 0o100644, Data: "abc"},
	}
	if diff := cmp.Diff(want, readNewc(t, raw)); diff != "" {
		t.Errorf("archive entries (-want +got):\n%s", diff)
	}
}
