package loader

// builtinBase returns the base object this build of polrun loads when no
// base is loaded and Options.Base is nil. It comes from package bpf, where
// codegen commits the generated base programs; until that object exists in
// bpf, a build has none and Load fails with ErrBaseMissing unless the
// caller supplies one.
func builtinBase() []byte { return nil }
