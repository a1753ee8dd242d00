package loader

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

var (
	// ErrExists: a policy of that name is already loaded.
	ErrExists = errors.New("policy already loaded")
	// ErrNotLoaded: no policy of that name is loaded.
	ErrNotLoaded = errors.New("policy not loaded")
	// ErrMissingFeature: the kernel lacks something a bundle needs.
	ErrMissingFeature = errors.New("kernel feature missing")
	// ErrTracepointFormat: a tracepoint field a program reads is not where
	// the bundle expects it on this kernel.
	ErrTracepointFormat = errors.New("tracepoint format mismatch")
	// ErrBaseMissing: this build has no base object to load.
	ErrBaseMissing = errors.New("no base object built in")
	// ErrBadBundle: the bundle is not one polrun can load (beyond format
	// and integrity, which are bpf.ErrFormat and bpf.ErrIntegrity).
	ErrBadBundle = errors.New("invalid bundle")
)

// FeatureError names a kernel feature a bundle needs and why this kernel
// does not have it. It matches ErrMissingFeature.
type FeatureError struct {
	Feature string
	Reason  string
	// Fallback, when set, says what works on a kernel without the
	// feature (featureFallbacks).
	Fallback string
}

func (e *FeatureError) Error() string {
	msg := fmt.Sprintf("kernel feature %q missing: %s", e.Feature, e.Reason)
	if e.Fallback != "" {
		msg += "; fallback: " + e.Fallback
	}
	return msg
}

// featureFallbacks name, for the features a kernel may lack, what a policy
// can use instead: the hook kinds Tetragon itself falls back to.
var featureFallbacks = map[string]string{
	bpf.FeatureFmodRet: "hook the syscall with a kprobe, whose Override needs bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE), " +
		"or the LSM hook (lsmhooks) where BPF LSM is active",
	bpf.FeatureLSM: `boot with "bpf" in lsm= (and CONFIG_BPF_LSM), or hook the security_ function with a kprobe ` +
		"(Override there through fmod_ret, or Sigkill)",
	bpf.FeatureImaFileHash: "a 5.18 or later kernel, or the policy without imaHash (the hook's other arguments need no sleepable program)",
	bpf.FeatureFentry:      "hook the functions under kprobes (spec.kprobes), which read the same arguments",
	bpf.FeatureBTF:         "give polrun the kernel's BTF with --btf FILE (raw BTF, or a vmlinux with a .BTF section)",
}

func (e *FeatureError) Is(target error) bool { return target == ErrMissingFeature }

// TracepointFieldError names a tracepoint field whose offset, size or
// signedness differs from the bundle's. It matches ErrTracepointFormat.
type TracepointFieldError struct {
	Tracepoint string // SUBSYS/EVENT
	Field      string
	Want       bpf.TracepointField // what the bundle reads
	Got        *bpf.TracepointField
	// Reason, when set, says why the field read through the kernel's
	// struct (Want.Struct) is not the format's.
	Reason string
}

func (e *TracepointFieldError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("tracepoint %s: field %q: %s", e.Tracepoint, e.Field, e.Reason)
	}
	if e.Got == nil {
		return fmt.Sprintf("tracepoint %s: field %q not in its format", e.Tracepoint, e.Field)
	}
	return fmt.Sprintf("tracepoint %s: field %q is offset %d size %d signed %t on this kernel, the bundle reads offset %d size %d signed %t",
		e.Tracepoint, e.Field, e.Got.Offset, e.Got.Size, e.Got.Signed, e.Want.Offset, e.Want.Size, e.Want.Signed)
}

func (e *TracepointFieldError) Is(target error) bool { return target == ErrTracepointFormat }

// ProgramError is a program the kernel refused to load or attach, with the
// hook it belongs to and where the policy declared that hook.
type ProgramError struct {
	Policy  string
	Program string
	Hook    string  // kind and target, e.g. "kprobe fd_install"
	Pos     bpf.Pos // the hook's position in the policy's YAML
	Step    string  // "load" or "attach"
	// LogTail is the end of the verifier log, when the verifier refused it.
	LogTail []string
	// Missing are the struct members the program reads through CO-RE that
	// the kernel lacks ("member pid of struct task_struct"), when the
	// verifier refused it for a bad CO-RE relocation (core.go).
	Missing []string
	Err     error
}

func (e *ProgramError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: policy %s: hook %s", e.Pos, e.Policy, e.Hook)
	if e.Program != "" { // "" for a step before any program, as verifying the binary
		fmt.Fprintf(&b, " (program %s)", e.Program)
	}
	b.WriteString(": ")
	var ve *ebpf.VerifierError
	if errors.As(e.Err, &ve) {
		fmt.Fprintf(&b, "the verifier refused the program: %v", ve.Cause)
		if len(e.Missing) > 0 {
			fmt.Fprintf(&b, ": this kernel's types lack %s, which the bundle reads (a resolve path or btfType, typed when it was built by its --target or polc's reference kernel)",
				strings.Join(e.Missing, ", "))
		}
	} else {
		fmt.Fprintf(&b, "%s: %v", e.Step, e.Err)
	}
	if len(e.LogTail) > 0 {
		fmt.Fprintf(&b, "\nverifier log (last %d lines):", len(e.LogTail))
		for _, l := range e.LogTail {
			b.WriteString("\n  ")
			b.WriteString(l)
		}
	}
	return b.String()
}

func (e *ProgramError) Unwrap() error { return e.Err }
