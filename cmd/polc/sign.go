package main

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/polc-dev/polc/bundle"
)

// signFlags are polc build's --sign KEY, --version N and --expires WHEN.
type signFlags struct {
	key, version, expires *string
}

func addSignFlags(fs *flag.FlagSet) signFlags {
	return signFlags{
		key: fs.String("sign", "", "sign each bundle with this ed25519 private key (PEM, PKCS#8; polc keygen makes one), writing NAME.bpf.o.sig next to it"),
		version: fs.String("version", "", "with --sign, the release version the signatures carry (1 or more); polrun load --verify refuses to replace a policy with a lower one. "+
			"Default: the signing time in seconds since 1970 (a later signing is newer)"),
		expires: fs.String("expires", "", "with --sign, when the signatures stop verifying: an RFC 3339 time (2027-01-31T00:00:00Z) or a duration from now (720h). Default: never"),
	}
}

// signer signs the bundles of one build: one key, one envelope but the
// policy name.
type signer struct {
	key     ed25519.PrivateKey
	version uint64
	expires time.Time
}

// signer reads the --sign key and the envelope's flags; nil without
// --sign. now is the signing time.
func (f signFlags) signer(now time.Time) (*signer, error) {
	if *f.key == "" {
		if *f.version != "" || *f.expires != "" {
			return nil, errors.New("--version and --expires go with --sign")
		}
		return nil, nil
	}
	key, err := bundle.ReadPrivateKey(*f.key)
	if err != nil {
		return nil, err
	}
	s := &signer{key: key, version: uint64(now.Unix())}
	if *f.version != "" {
		v, err := strconv.ParseUint(*f.version, 10, 64)
		if err != nil || v == 0 {
			return nil, fmt.Errorf("--version %q: a whole number, 1 or more", *f.version)
		}
		s.version = v
	}
	if *f.expires != "" {
		if t, err := time.Parse(time.RFC3339, *f.expires); err == nil {
			s.expires = t
		} else if d, derr := time.ParseDuration(*f.expires); derr == nil && d > 0 {
			s.expires = now.Add(d)
		} else {
			return nil, fmt.Errorf("--expires %q: neither an RFC 3339 time (2027-01-31T00:00:00Z) nor a positive duration (720h)", *f.expires)
		}
		if !s.expires.After(now) {
			return nil, fmt.Errorf("--expires %s: already past", *f.expires)
		}
	}
	return s, nil
}

// signature returns the signature file's contents for data, the bundle of
// policy.
func (s *signer) signature(policy string, data []byte) ([]byte, error) {
	sig, err := bundle.Sign(s.key, data, bundle.Envelope{Policy: policy, Version: s.version, Expires: s.expires})
	if err != nil {
		return nil, err
	}
	return sig.Marshal(), nil
}

// removeSignature removes the signature file of the bundle at path, if
// there is one.
func removeSignature(path string) error {
	if err := os.Remove(bundle.SignatureFile(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
