package loader

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"hash"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// Post with imaHash on bprm_check_security: the event of each exec of
// the test files carries the file's hash as IMA computes it, the hash of
// its contents; the Override of the second selector, which the hook's
// program defers to the sleepable one, denies the exec. BPF LSM: runs in
// the guests.
func TestImaHash(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, x86_64, testenv.KernelBTF, testenv.LSM)
	dir := t.TempDir()
	allowed, denied := filepath.Join(dir, "polc-ima-allowed"), filepath.Join(dir, "polc-ima-denied")
	if err := writeTestELF(allowed, []byte("allowed")); err != nil {
		t.Fatal(err)
	}
	if err := writeTestELF(denied, []byte("denied")); err != nil {
		t.Fatal(err)
	}
	b := compilePolicy(t, "ima.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "ima"
spec:
  lsmhooks:
  - hook: "bprm_check_security"
    args:
    - index: 0
      type: "linux_binprm"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["`+allowed+`"]
      matchActions:
      - action: Post
        imaHash: true
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["`+denied+`"]
      matchActions:
      - action: Override
        argError: -1
      - action: Post
        imaHash: true
`)
	h := b.Manifest.Hooks[0]
	if !h.ImaHash || len(h.Programs) != 2 || !strings.HasPrefix(h.Programs[0].Section, "lsm.s/") {
		t.Fatalf("hook %+v: want ImaHash, the sleepable program first", h)
	}
	if checkFeature(bpf.FeatureImaFileHash) != nil {
		// Before 5.18: Load refuses it naming the feature, nothing left.
		_, err := Load([]*Bundle{b}, o)
		if !errors.Is(err, ErrMissingFeature) || !strings.Contains(err.Error(), bpf.FeatureImaFileHash) {
			t.Fatalf("Load: %v, want a refusal naming %s", err, bpf.FeatureImaFileHash)
		}
		if left := pinsUnder(t, o.PinRoot); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
		return
	}
	s := loadAndStream(t, o, b)
	if err := exec.Command(allowed).Run(); err != nil {
		t.Fatalf("%s: %v", allowed, err)
	}
	if err := exec.Command(denied).Run(); !isErrno(err, syscall.EPERM) {
		t.Fatalf("%s: %v, want EPERM", denied, err)
	}
	got := map[string]*Event{}
	for _, ev := range collect(t, s, "ima", 3*time.Second) {
		line, _ := ev.MarshalJSON()
		t.Logf("%s", line)
		if len(ev.Args) == 1 {
			if a, ok := ev.Args[0].Value.(BinprmArg); ok && (a.Path == allowed || a.Path == denied) {
				p := a.Path
				if got[p] != nil {
					t.Errorf("two events of %s", p)
				}
				got[p] = ev
			}
		}
	}
	for _, p := range []string{allowed, denied} {
		ev := got[p]
		if ev == nil {
			t.Errorf("no event of %s", p)
			continue
		}
		want := fileHash(t, p, ev.ImaHash)
		if ev.ImaHash != want {
			t.Errorf("%s: ima_hash %q, want %q", p, ev.ImaHash, want)
		}
		line, _ := ev.MarshalJSON()
		if !strings.Contains(string(line), `"ima_hash":"`+want+`"`) {
			t.Errorf("event %s: no ima_hash %s", line, want)
		}
	}
	if ev := got[denied]; ev != nil && ev.Action != bpf.ActionOverride {
		t.Errorf("event of %s: action %s, want override", denied, ev.Action)
	}
}

// fileHash is ALGO:HEX of the file's contents, with the algorithm of
// reported (ALGO:...), sha256 if it names none.
func fileHash(t *testing.T, path, reported string) string {
	algo, _, _ := strings.Cut(reported, ":")
	hashes := map[string]func() hash.Hash{"md5": md5.New, "sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New}
	mk := hashes[algo]
	if mk == nil {
		algo, mk = "sha256", sha256.New
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := mk()
	h.Write(data)
	return algo + ":" + hex.EncodeToString(h.Sum(nil))
}

// isErrno says whether err is exec's error for errno e.
func isErrno(err error, e syscall.Errno) bool {
	return err != nil && strings.Contains(err.Error(), e.Error())
}
