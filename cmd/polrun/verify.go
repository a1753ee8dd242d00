package main

import (
	"flag"
	"fmt"

	"github.com/polc-dev/polc/bundle"
	"github.com/polc-dev/polc/loader"
)

// verifyFlag adds --verify PUBKEY to the commands that load.
func verifyFlag(fs *flag.FlagSet) *string {
	return fs.String("verify", "", "load only bundles signed by a key in this public key file (PEM; polc build --sign writes NAME.bpf.o.sig): refuse unsigned, modified, expired ones, those signed for another policy, and those older than the loaded version")
}

// allowDowngradeFlag adds --allow-downgrade to the commands that verify.
func allowDowngradeFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("allow-downgrade", false, "with --verify, let a bundle of a lower signed version replace the loaded one (a deliberate rollback)")
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
// verifies the bundle's signature and its envelope (policy name, expiry),
// and then reads exactly the bytes it verified.
func openBundle(path string, trusted []bundle.PublicKey) (*loader.Bundle, error) {
	if trusted == nil {
		return loader.OpenBundle(path)
	}
	v, err := bundle.ReadSigned(path, &bundle.VerifyOptions{Trusted: trusted})
	if err != nil {
		return nil, err
	}
	b, err := loader.ReadBundle(v.Data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.Path = path
	// The loader records it and refuses to go back below it.
	b.SignedVersion = v.Version
	return b, nil
}

// signedVersionText is what polrun list adds to a policy loaded with
// --verify.
func signedVersionText(v uint64) string {
	if v == 0 {
		return ""
	}
	return fmt.Sprintf(" (signed version %d)", v)
}
