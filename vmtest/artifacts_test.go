package vmtest

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func tarOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, content := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(content))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestArtifacts: an archive the guest announced is kept when it arrived
// whole and unpacks into a directory; a damaged one is a problem.
func TestArtifacts(t *testing.T) {
	dir := t.TempDir()
	data := tarOf(t, map[string]string{"profile.tar.gz": "profile bytes", "sub/x.txt": "x"})
	sum := sha256.Sum256(data)
	marker := FormatMarker(MarkArtifacts, "files", "2", "bytes", strconv.Itoa(len(data)), "sha256", hex.EncodeToString(sum[:]))

	path := filepath.Join(dir, ArtifactsFile)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Result{}
	r.Feed(marker)
	r.checkArtifacts(path)
	if r.Artifacts != path || len(r.Problems) > 0 {
		t.Fatalf("Artifacts %q, problems %v", r.Artifacts, r.Problems)
	}
	out := filepath.Join(dir, "out")
	files, err := ExtractArtifacts(r.Artifacts, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Errorf("extracted %v", files)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "profile.tar.gz")); string(got) != "profile bytes" {
		t.Errorf("extracted profile.tar.gz holds %q", got)
	}

	// Cut short on the way.
	if err := os.WriteFile(path, data[:len(data)-512], 0o644); err != nil {
		t.Fatal(err)
	}
	r = &Result{}
	r.Feed(marker)
	r.checkArtifacts(path)
	if r.Artifacts != "" || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "artifacts") {
		t.Errorf("damaged archive: Artifacts %q, problems %v", r.Artifacts, r.Problems)
	}

	// Nothing announced: qemu's empty file is removed.
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r = &Result{}
	r.checkArtifacts(path)
	if _, err := os.Stat(path); !os.IsNotExist(err) || r.Artifacts != "" || len(r.Problems) > 0 {
		t.Errorf("no artifacts: stat %v, Artifacts %q, problems %v", err, r.Artifacts, r.Problems)
	}
}

func TestExtractArtifactsRefusesEscapes(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"../escape", "/abs"} {
		path := filepath.Join(dir, "a.tar")
		if err := os.WriteFile(path, tarOf(t, map[string]string{name: "x"}), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ExtractArtifacts(path, filepath.Join(dir, "out")); err == nil {
			t.Errorf("entry %q was extracted", name)
		}
	}
}
