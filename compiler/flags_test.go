package compiler

import "flag"

// update regenerates golden files and generated docs.
var update = flag.Bool("update", false, "rewrite golden files and generated documentation")
