// Package bpf is the contract between codegen, which writes bundles, and
// the loader, which runs them: the layout of event records in the ring
// buffer and of each argument encoding, the process table the base programs
// keep, the names of shared maps and load-time variables, the pin layout
// under bpffs, the maps polrun reads or writes in a loaded policy (its mode,
// ModeMap; its counters of posted records, enforcement actions and lost
// records, CountersMap), and the manifest every bundle carries.
//
// Everything here is plain data. Changing a layout means changing codegen,
// the committed base object and the loader's decoder together, and bumping
// EventVersion or ManifestFormat so that an old polrun refuses a new bundle
// instead of misreading it.
//
// All layouts are little-endian, as on the architectures polc targets.
package bpf
