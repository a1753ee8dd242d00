package main

import (
	"fmt"
	"io"
	"os"

	"github.com/polc-dev/polc/bundle"
)

// runKeygen writes a new ed25519 key pair for signing bundles:
// PREFIX.key (PKCS#8, mode 0600) and PREFIX.pub (PKIX). It never
// overwrites a key.
func runKeygen(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("keygen", stderr)
	prefix := fs.String("o", "", "write PREFIX.key (private) and PREFIX.pub (public)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polc keygen -o PREFIX\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *prefix == "" {
		return usageError(fs, "give -o PREFIX: where to write PREFIX.key and PREFIX.pub")
	}
	if fs.NArg() > 0 {
		return usageError(fs, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	priv, pub, id, err := bundle.GenerateKey()
	if err != nil {
		fmt.Fprintf(stderr, "polc keygen: %v\n", err)
		return exitUsage
	}
	privPath, pubPath := *prefix+".key", *prefix+".pub"
	for _, p := range []string{privPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			fmt.Fprintf(stderr, "polc keygen: %s exists; not overwriting a key\n", p)
			return exitUsage
		}
	}
	if err := writeNew(privPath, priv, 0o600); err != nil {
		fmt.Fprintf(stderr, "polc keygen: %v\n", err)
		return exitUsage
	}
	if err := writeNew(pubPath, pub, 0o644); err != nil {
		os.Remove(privPath)
		fmt.Fprintf(stderr, "polc keygen: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %s (keep it secret) and %s\nkey id %s\n", privPath, pubPath, id)
	return exitOK
}

// writeNew creates path, failing if it exists.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
