package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Shared inputs live next to the repository; tests that need them skip when they are absent.
const (
	corpusDir = "../../shared/corpus/tetragon-examples"
	specDir   = "../../shared/spec"
)

func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		tb.Skipf("corpus %s not present: %v", corpusDir, err)
	}
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(corpusDir, pat))
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		tb.Fatalf("no policies in %s", corpusDir)
	}
	return files
}

// TestCorpus: every real Tetragon example policy validates with no error.
func TestCorpus(t *testing.T) {
	docs := 0
	for _, file := range corpusFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := decodeDocs(src)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			for i, d := range ds {
				if d == nil {
					continue
				}
				docs++
				for _, e := range Validate(d) {
					t.Errorf("document %d: %s", i, e)
				}
			}
		})
	}
	t.Logf("%d documents validated", docs)
}

// TestSpecExamples: every YAML block of the spec that is a whole policy validates.
func TestSpecExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(specDir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("spec %s not present", specDir)
	}
	policies := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for bi, block := range yamlBlocks(string(src)) {
			if !strings.Contains(block, "apiVersion:") {
				continue
			}
			ds, err := decodeDocs([]byte(block))
			if err != nil {
				t.Errorf("%s block %d: decode: %v", filepath.Base(file), bi, err)
				continue
			}
			for _, d := range ds {
				policies++
				for _, e := range Validate(d) {
					t.Errorf("%s block %d: %s", filepath.Base(file), bi, e)
				}
			}
		}
	}
	if policies == 0 {
		t.Fatal("no whole policies found in the spec")
	}
	t.Logf("%d spec policies validated", policies)
}

func BenchmarkValidateCorpus(b *testing.B) {
	var docs []any
	for _, file := range corpusFiles(b) {
		src, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		ds, err := decodeDocs(src)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, ds...)
	}
	Validate(docs[0]) // compile outside the timed loop
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			if errs := Validate(d); len(errs) != 0 {
				b.Fatal(errs[0])
			}
		}
	}
}
