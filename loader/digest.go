package loader

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"

	"github.com/polc-dev/polc/bpf"
)

// DigestMismatchError says that a uprobe's binary matches none of the
// digests its policy lists (binaryDigests): polrun does not attach to it.
type DigestMismatchError struct {
	Path string
	// Have is the binary's digest in each algorithm the policy names
	// ("build-id:" when the file has no build ID).
	Have []string
	Want []string
}

func (e *DigestMismatchError) Error() string {
	return fmt.Sprintf("%s matches none of binaryDigests: it is %s, the policy lists %s",
		e.Path, strings.Join(e.Have, ", "), strings.Join(e.Want, ", "))
}

// openVerified opens the binary of uprobe hook h and checks it against the
// hook's binaryDigests. The file stays open for attaching through it
// (fdPath), so that the file probed is the file hashed even if its path is
// replaced in between. A binary that matches none is a
// *DigestMismatchError.
func openVerified(h bpf.Hook) (*os.File, error) {
	f, err := os.Open(h.Target)
	if err != nil {
		return nil, err
	}
	ok, have, err := matchDigests(f, h.BinaryDigests)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("hash %s: %w", h.Target, err)
	}
	if !ok {
		f.Close()
		return nil, &DigestMismatchError{Path: h.Target, Have: have, Want: h.BinaryDigests}
	}
	return f, nil
}

// matchDigests reports whether the file f has one of the digests want
// (ALGO:HEX, bpf.ParseDigest), and its digest in each algorithm named.
func matchDigests(f *os.File, want []string) (bool, []string, error) {
	sums := map[string][]byte{}
	var order []string
	for _, w := range want {
		algo, _, err := bpf.ParseDigest(w)
		if err != nil {
			return false, nil, err
		}
		if _, done := sums[algo]; !done {
			order = append(order, algo)
			sums[algo] = nil
		}
	}
	for _, algo := range order {
		sum, err := fileDigest(f, algo)
		if err != nil {
			return false, nil, err
		}
		sums[algo] = sum
	}
	matched := false
	for _, w := range want {
		algo, sum, _ := bpf.ParseDigest(w)
		if have := sums[algo]; have != nil && bytes.Equal(have, sum) {
			matched = true
		}
	}
	have := make([]string, len(order))
	for i, algo := range order {
		have[i] = algo + ":" + hex.EncodeToString(sums[algo])
	}
	return matched, have, nil
}

// fileDigest is the digest of the whole file in algo, or its GNU build ID
// (nil when it has none).
func fileDigest(f *os.File, algo string) ([]byte, error) {
	if algo == bpf.DigestBuildID {
		return buildIDFrom(f), nil
	}
	var h hash.Hash
	switch algo {
	case bpf.DigestSHA1:
		h = sha1.New()
	case bpf.DigestSHA256:
		h = sha256.New()
	case bpf.DigestSHA384:
		h = sha512.New384()
	case bpf.DigestSHA512:
		h = sha512.New()
	default:
		return nil, fmt.Errorf("digest algorithm %q", algo)
	}
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, 1<<62)); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// fdPath names the file f as the kernel resolves it for this process.
func fdPath(f *os.File) string {
	return fmt.Sprintf("/proc/self/fd/%d", f.Fd())
}
