package main

import (
	"flag"
	"fmt"

	"github.com/polc-dev/polc/bundle"
	"github.com/polc-dev/polc/loader"
)

// verifyFlag adds --verify PUBKEY to the commands that load.
func verifyFlag(fs *flag.FlagSet) *string {
	return fs.String("verify", "", "load only bundles signed by a key in this public key file (PEM; polc build --sign writes NAME.bpf.o.sig): refuse unsigned or modified ones")
}

// trustedKeys reads the --verify key file; nil without --verify.
func trustedKeys(path string) ([]bundle.PublicKey, error) {
	if path == "" {
		return nil, nil
	}
	keys, err := bundle.ReadPublicKeys(path)
	if err != nil {
		return nil, fmt.Errorf("--verify: %w", err)
	}
	return keys, nil
}

// openBundle reads and checks a bundle. With trusted keys, it first
// verifies the bundle's signature, and then reads exactly the bytes it
// verified.
func openBundle(path string, trusted []bundle.PublicKey) (*loader.Bundle, error) {
	if trusted == nil {
		return loader.OpenBundle(path)
	}
	data, _, err := bundle.ReadSigned(path, trusted)
	if err != nil {
		return nil, err
	}
	b, err := loader.ReadBundle(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.Path = path
	return b, nil
}
