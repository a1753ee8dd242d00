// Command genbase writes polc's base object (package codegen/base) to a
// file; `go generate ./bpf` runs it to refresh bpf/base.bpf.o.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/polc-dev/polc/codegen/base"
)

func main() {
	out := flag.String("o", "base.bpf.o", "output file")
	flag.Parse()
	data, err := base.Object()
	if err != nil {
		fmt.Fprintf(os.Stderr, "genbase: %v\n", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "genbase: %v\n", err)
		os.Exit(1)
	}
}
