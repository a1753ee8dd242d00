package bpf

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Binary digests of a uprobe's target (Hook.BinaryDigests), written
// ALGO:HEX as in Tetragon's uprobe binaryDigests: the algorithms are the
// SHA hashes of the whole file and the file's GNU build ID (its
// NT_GNU_BUILD_ID note).
const (
	DigestSHA1    = "sha1"
	DigestSHA256  = "sha256"
	DigestSHA384  = "sha384"
	DigestSHA512  = "sha512"
	DigestBuildID = "build-id"
)

// digestSizes is each algorithm's size in bytes; 0: any (a build ID's
// length is the linker's choice).
var digestSizes = map[string]int{
	DigestSHA1: 20, DigestSHA256: 32, DigestSHA384: 48, DigestSHA512: 64, DigestBuildID: 0,
}

// ParseDigest splits an ALGO:HEX digest and checks it: a known algorithm,
// hexadecimal of the algorithm's size. It returns the algorithm and the
// digest's bytes.
func ParseDigest(s string) (algo string, sum []byte, err error) {
	algo, h, ok := strings.Cut(s, ":")
	if !ok {
		return "", nil, fmt.Errorf("digest %q is not ALGO:HEX (as sha256:%s)", s, strings.Repeat("0", 8)+"...")
	}
	size, known := digestSizes[algo]
	if !known {
		return "", nil, fmt.Errorf("digest algorithm %q is not one of sha1, sha256, sha384, sha512, build-id", algo)
	}
	sum, err = hex.DecodeString(h)
	switch {
	case err != nil || h == "":
		return "", nil, fmt.Errorf("digest %q: %q is not hexadecimal bytes", s, h)
	case size != 0 && len(sum) != size:
		return "", nil, fmt.Errorf("digest %q: a %s digest has %d hex digits, not %d", s, algo, 2*size, len(h))
	}
	return algo, sum, nil
}

// NormalDigest writes a valid digest in its normal form: hex in lower case.
func NormalDigest(s string) string {
	algo, sum, err := ParseDigest(s)
	if err != nil {
		return s
	}
	return algo + ":" + hex.EncodeToString(sum)
}
