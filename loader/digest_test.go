package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// digestPolicy is a uprobe policy on exe's sym for pid, attached only to a
// binary with one of digests.
func digestPolicy(name, exe, sym string, pid uint32, digests []string, ignore bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: %q
spec:
  uprobes:
  - path: %q
    symbols: [%q]
    binaryDigests:
`, name, exe, sym)
	for _, d := range digests {
		fmt.Fprintf(&b, "    - %q\n", d)
	}
	if ignore {
		b.WriteString("    ignore:\n      digestVerificationFailure: true\n")
	}
	fmt.Fprintf(&b, `    selectors:
    - matchPIDs:
      - operator: "In"
        values: [%d]
`, pid)
	return b.String()
}

func sha256File(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// A uprobe with binaryDigests attaches to a binary whose digest is listed
// (and fires), fails the load naming both digests when none matches
// (nothing left pinned), and with ignore.digestVerificationFailure is
// skipped instead, the rest of the load going on.
func TestBinaryDigests(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Uprobes)
	exe, sym, pid, call := uprobeSubject(t)
	good := sha256File(t, exe)
	other := "sha256:" + strings.Repeat("ab", 32)
	otherID := "build-id:" + strings.Repeat("cd", 20)

	t.Run("match", func(t *testing.T) {
		// Upper case hex is the same digest; a list matches on any entry.
		b := compilePolicy(t, "digest-ok.yaml", digestPolicy("digest-ok", exe, sym, pid, []string{otherID, other, good[:7] + strings.ToUpper(good[7:])}, false))
		if got := b.Manifest.Hooks[0].BinaryDigests; len(got) != 3 || got[2] != good {
			t.Fatalf("manifest digests %q, want the last %q", got, good)
		}
		res, err := Load([]*Bundle{b}, o)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Programs != 1 || len(res[0].Skipped) != 0 {
			t.Fatalf("loaded %+v", res[0])
		}
		s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		call()
		if evs := collect(t, s, "digest-ok", time.Second); len(evs) != 3 {
			t.Fatalf("%d events, want 3", len(evs))
		}
		if err := Unload([]string{"digest-ok"}, o); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("mismatch", func(t *testing.T) {
		b := compilePolicy(t, "digest-bad.yaml", digestPolicy("digest-bad", exe, sym, pid, []string{other, otherID}, false))
		_, err := Load([]*Bundle{b}, o)
		var mismatch *DigestMismatchError
		if !errors.As(err, &mismatch) {
			t.Fatalf("load: %v, want a DigestMismatchError", err)
		}
		t.Logf("%v", err)
		for _, want := range []string{"policy digest-bad", "uprobe " + exe, good, other, "build-id:"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
		if left := pinsUnder(t, filepath.Join(o.PinRoot, bpf.PoliciesDir)); len(left) > 0 {
			t.Errorf("left after the failed load: %v", left)
		}
	})

	t.Run("ignore", func(t *testing.T) {
		tp := compilePolicy(t, "digest-tp.yaml", digestPolicy("digest-skip", exe, sym, pid, []string{other}, true))
		res, err := Load([]*Bundle{tp}, o)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Programs != 0 || len(res[0].Skipped) != 1 || !strings.HasPrefix(res[0].Skipped[0].Reason, SkipDigestMismatch) {
			t.Fatalf("loaded %+v, want the uprobe skipped for its digest", res[0])
		}
		s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		call()
		if evs := collect(t, s, "digest-skip", 500*time.Millisecond); len(evs) != 0 {
			t.Fatalf("%d events from a skipped uprobe", len(evs))
		}
		if err := Unload([]string{"digest-skip"}, o); err != nil {
			t.Fatal(err)
		}
	})
}

// matchDigests computes every algorithm the way sha*sum and readelf do.
func TestMatchDigests(t *testing.T) {
	const path = "/bin/true"
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("needs %s, an ELF binary with a GNU build ID (Debian's coreutils): %v", path, err)
	}
	defer f.Close()
	want := map[string]string{}
	for algo, tool := range map[string]string{"sha1": "sha1sum", "sha256": "sha256sum", "sha384": "sha384sum", "sha512": "sha512sum"} {
		testenv.Require(t, testenv.Tool(tool))
		out, err := exec.Command(tool, path).Output()
		if err != nil {
			t.Fatal(err)
		}
		want[algo] = strings.Fields(string(out))[0]
	}
	testenv.Require(t, testenv.Tool("readelf"))
	out, err := exec.Command("readelf", "-n", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`Build ID: ([0-9a-f]+)`).FindSubmatch(out); m != nil {
		want["build-id"] = string(m[1])
	}
	for algo, sum := range want {
		d := algo + ":" + sum
		ok, have, err := matchDigests(f, []string{d})
		if err != nil || !ok || len(have) != 1 || have[0] != d {
			t.Errorf("%s: ok %v, have %q, err %v", d, ok, have, err)
		}
		// One wrong digit and it does not match.
		flip := "0"
		if sum[0] == '0' {
			flip = "1"
		}
		if ok, _, _ := matchDigests(f, []string{algo + ":" + flip + sum[1:]}); ok {
			t.Errorf("%s with its first digit changed matches", d)
		}
	}
	if len(want) != 5 {
		t.Errorf("digests of %s: %v, want all five algorithms", path, want)
	}
}
