package compiler_test

import (
	"fmt"

	"github.com/polc-dev/polc/compiler"
)

// Example checks a policy and lowers it into IR: one kprobe, one selector
// testing its first argument.
func Example() {
	src := compiler.NewSource("example.yaml", []byte(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: example
spec:
  kprobes:
  - call: sys_setuid
    syscall: true
    args:
    - index: 0
      type: int
    selectors:
    - matchArgs:
      - index: 0
        operator: Equal
        values: ["0"]
`))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{})
	for _, d := range res.Diagnostics {
		fmt.Println(d.Msg)
	}
	p, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{})
	for _, d := range diags {
		fmt.Println(d.Msg)
	}
	fmt.Print(p)
	// Output:
	// policy example arch=x86_64 @example.yaml:1:1
	//   hook 0 kprobe __x64_sys_setuid call=sys_setuid syscall abi=x64 @example.yaml:7:5
	//     arg 0 index=0 int @example.yaml:10:7
	//     selector 0 @example.yaml:13:7
	//       arg slot=0 int Equal 0 @example.yaml:14:9
	//       action Post @example.yaml:13:7
}
