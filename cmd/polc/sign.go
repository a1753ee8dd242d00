package main

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"io/fs"
	"os"

	"github.com/polc-dev/polc/bundle"
)

// addSignFlag adds polc build's --sign KEY.
func addSignFlag(fs *flag.FlagSet) *string {
	return fs.String("sign", "", "sign each bundle with this ed25519 private key (PEM, PKCS#8; polc keygen makes one), writing NAME.bpf.o.sig next to it")
}

// signingKey reads the --sign key; nil without --sign.
func signingKey(path string) (ed25519.PrivateKey, error) {
	if path == "" {
		return nil, nil
	}
	return bundle.ReadPrivateKey(path)
}

// signBundle writes the signature of data, the bundle just written to
// path, next to it. Without a key it removes the signature a signed build
// left there: it would sign other bytes, and inspect or a reader of the
// directory would take the new bundle for a signed one.
func signBundle(key ed25519.PrivateKey, path string, data []byte) error {
	if key == nil {
		if err := os.Remove(bundle.SignatureFile(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return os.WriteFile(bundle.SignatureFile(path), bundle.Sign(key, data).Marshal(), 0o644)
}
