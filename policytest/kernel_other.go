//go:build !linux

package policytest

import (
	"errors"

	"github.com/polc-dev/polc/ir"
)

// Kernel runs cases through the generated programs; only on Linux.
type Kernel struct{}

// KernelOutcome is what running a case in the kernel found.
type KernelOutcome struct {
	Skipped  string `json:"skipped,omitempty"`
	Posted   bool   `json:"posted"`
	Selector string `json:"selector,omitempty"`
	Action   string `json:"action,omitempty"`
	Mismatch string `json:"mismatch,omitempty"`
}

// NewKernel fails: BPF programs run only on Linux.
func NewKernel() (*Kernel, error) {
	return nil, errors.New("polc test --kernel runs BPF programs: Linux only")
}

// Close does nothing.
func (k *Kernel) Close() error { return nil }

// Run is never reached: NewKernel fails.
func (k *Kernel) Run(pol *ir.Policy, b *Bound) KernelOutcome { return KernelOutcome{} }
