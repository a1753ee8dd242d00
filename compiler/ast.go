package compiler

import (
	"reflect"

	"gopkg.in/yaml.v3"
)

// The AST is the checked, typed form of a TracingPolicy document. Every
// struct remembers the YAML node it was decoded from (At), so that any
// diagnostic, and every IR node lowered from it, can point back at the source.
//
// Values that users write either as strings or as numbers (matchArgs values,
// PIDs) are kept as the source text; the checker parses them per argument
// type. Optional integers whose absence matters are pointers.

// At is the YAML node a struct was decoded from.
type At struct {
	Node *yaml.Node `yaml:"-"`
}

// Field returns the value node of key in this struct's mapping, or nil.
func (a At) Field(key string) *yaml.Node {
	v, _ := child(a.Node, key)
	return v
}

// capture records the node and decodes into the plain (method-less) form of
// the struct, so that UnmarshalYAML does not recurse.
func capture[T any](n *yaml.Node, at *At, plain *T) error {
	at.Node = n
	return n.Decode(plain)
}

// kindNamespaced is the kind of a policy that applies to one namespace's
// pods.
const kindNamespaced = "TracingPolicyNamespaced"

// Policy is one TracingPolicy or TracingPolicyNamespaced document.
type Policy struct {
	At         `yaml:"-"`
	Doc        *Document `yaml:"-"`
	APIVersion string    `yaml:"apiVersion"`
	Kind       string    `yaml:"kind"`
	Metadata   Metadata  `yaml:"metadata"`
	Spec       Spec      `yaml:"spec"`
}

type Metadata struct {
	At          `yaml:"-"`
	Name        string            `yaml:"name"`
	Namespace   string            `yaml:"namespace"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type Spec struct {
	At                `yaml:"-"`
	KProbes           []*KProbe      `yaml:"kprobes"`
	Fentries          []*KProbe      `yaml:"fentries"`
	Tracepoints       []*Tracepoint  `yaml:"tracepoints"`
	UProbes           []*UProbe      `yaml:"uprobes"`
	LSMHooks          []*LSMHook     `yaml:"lsmhooks"`
	USDTs             []*USDT        `yaml:"usdts"`
	Lists             []*List        `yaml:"lists"`
	Enforcers         []*Enforcer    `yaml:"enforcers"`
	Options           []*Option      `yaml:"options"`
	PodSelector       *LabelSelector `yaml:"podSelector"`
	ContainerSelector *LabelSelector `yaml:"containerSelector"`
	HostSelector      *LabelSelector `yaml:"hostSelector"`
	NodeSelector      *LabelSelector `yaml:"nodeSelector"`
	Loader            bool           `yaml:"loader"`
}

// Hook is what every hook kind has in common.
type Hook struct {
	Args      []*Arg      `yaml:"args"`
	Selectors []*Selector `yaml:"selectors"`
	Message   string      `yaml:"message"`
	Tags      []string    `yaml:"tags"`
}

type KProbe struct {
	At              `yaml:"-"`
	Hook            `yaml:",inline"`
	Call            string  `yaml:"call"`
	Syscall         bool    `yaml:"syscall"`
	Return          bool    `yaml:"return"`
	ReturnArg       *Arg    `yaml:"returnArg"`
	ReturnArgAction string  `yaml:"returnArgAction"`
	Ignore          *Ignore `yaml:"ignore"`
	Data            []*Arg  `yaml:"data"`
	// Fentry: the hook is an entry of spec.fentries, which has the shape of
	// a kprobe and attaches with fentry (fexit for return) programs.
	Fentry bool `yaml:"-"`
}

type Ignore struct {
	CallNotFound bool `yaml:"callNotFound"`
}

// UprobeIgnore is a uprobe's ignore: digestVerificationFailure skips the
// uprobe when the binary matches none of its binaryDigests.
type UprobeIgnore struct {
	DigestVerificationFailure bool `yaml:"digestVerificationFailure"`
}

type Tracepoint struct {
	At        `yaml:"-"`
	Hook      `yaml:",inline"`
	Subsystem string `yaml:"subsystem"`
	Event     string `yaml:"event"`
	Raw       bool   `yaml:"raw"`
}

type UProbe struct {
	At            `yaml:"-"`
	Hook          `yaml:",inline"`
	Path          string   `yaml:"path"`
	Symbol        string   `yaml:"symbol"` // older single-symbol form, as in the spec
	Symbols       []string `yaml:"symbols"`
	Offsets       []uint64 `yaml:"offsets"`
	Addrs         []uint64 `yaml:"addrs"` // virtual addresses: polrun maps them to file offsets
	RefCtrOffsets []uint64 `yaml:"refCtrOffsets"`
	BTFPath       string   `yaml:"btfPath"`
	// BinaryDigests: polrun attaches only to a binary with one of these
	// digests (ALGO:HEX); Ignore says whether a mismatch skips the uprobe
	// instead of failing the load.
	BinaryDigests []string      `yaml:"binaryDigests"`
	Ignore        *UprobeIgnore `yaml:"ignore"`
	// ResolvePathInContainer: Path is in each selected container's root
	// filesystem (check_container_path.go).
	ResolvePathInContainer bool   `yaml:"resolvePathInContainer"`
	Data                   []*Arg `yaml:"data"`
	Return                 bool   `yaml:"return"`
	ReturnArg              *Arg   `yaml:"returnArg"`
}

type LSMHook struct {
	At   `yaml:"-"`
	Hook `yaml:",inline"`
	Name string `yaml:"hook"`
	Data []*Arg `yaml:"data"`
}

type USDT struct {
	At       `yaml:"-"`
	Hook     `yaml:",inline"`
	Path     string `yaml:"path"`
	Provider string `yaml:"provider"`
	Name     string `yaml:"name"`
}

// Arg declares one argument (or the return value) of a hook.
type Arg struct {
	At            `yaml:"-"`
	Index         int    `yaml:"index"`
	Type          string `yaml:"type"`
	Label         string `yaml:"label"`
	SizeArgIndex  int    `yaml:"sizeArgIndex"` // 1-based; 0 means none
	Size          int    `yaml:"size"`         // int32_arr: how many int32 to read
	ReturnCopy    bool   `yaml:"returnCopy"`
	MaxData       bool   `yaml:"maxData"`
	Resolve       string `yaml:"resolve"`
	BTFType       string `yaml:"btfType"`
	BTFTypeModule string `yaml:"btfTypeModule"` // refused by the checks: not implemented
	// Source is where a data entry is read from (current_task, pt_regs);
	// the checks refuse it on arguments, as Tetragon does.
	Source string `yaml:"source"`
}

// Selector is one alternative: its filters are ANDed; selectors are ORed.
type Selector struct {
	At                     `yaml:"-"`
	MatchArgs              []*ArgFilter       `yaml:"matchArgs"`
	MatchData              []*ArgFilter       `yaml:"matchData"`
	MatchReturnArgs        []*ArgFilter       `yaml:"matchReturnArgs"`
	MatchPIDs              []*PIDFilter       `yaml:"matchPIDs"`
	MatchBinaries          []*BinaryFilter    `yaml:"matchBinaries"`
	MatchParentBinaries    []*BinaryFilter    `yaml:"matchParentBinaries"`
	MatchCmdArgs           []*CmdArgFilter    `yaml:"matchCmdArgs"`
	MatchNamespaces        []*NamespaceFilter `yaml:"matchNamespaces"`
	MatchCapabilities      []*CapFilter       `yaml:"matchCapabilities"`
	MatchNamespaceChanges  []*NSChangeFilter  `yaml:"matchNamespaceChanges"`
	MatchCapabilityChanges []*CapFilter       `yaml:"matchCapabilityChanges"`
	MatchActions           []*Action          `yaml:"matchActions"`
	MatchReturnActions     []*Action          `yaml:"matchReturnActions"`
	MatchWorkloads         []any              `yaml:"matchWorkloads"` // refused by the checks: needs pod metadata
}

type ArgFilter struct {
	At       `yaml:"-"`
	Index    *int     `yaml:"index"`
	Operator string   `yaml:"operator"`
	Values   []string `yaml:"values"`
	Args     []int    `yaml:"args"` // CapabilitiesGained: the new and old capability arguments
}

type PIDFilter struct {
	At             `yaml:"-"`
	Operator       string   `yaml:"operator"`
	Values         []string `yaml:"values"`
	IsNamespacePID bool     `yaml:"isNamespacePID"`
	FollowForks    bool     `yaml:"followForks"`
}

type BinaryFilter struct {
	At             `yaml:"-"`
	Operator       string   `yaml:"operator"`
	Values         []string `yaml:"values"`
	FollowChildren bool     `yaml:"followChildren"`
}

// CmdArgFilter is one entry of matchCmdArgs: the process's command-line
// argument at Index (0 is the first after argv[0]) compared with Values.
type CmdArgFilter struct {
	At       `yaml:"-"`
	Index    *int     `yaml:"index"`
	Operator string   `yaml:"operator"`
	Values   []string `yaml:"values"`
}

type NamespaceFilter struct {
	At        `yaml:"-"`
	Namespace string   `yaml:"namespace"`
	Operator  string   `yaml:"operator"`
	Values    []string `yaml:"values"`
}

type CapFilter struct {
	At                    `yaml:"-"`
	Type                  string   `yaml:"type"` // default Effective
	Operator              string   `yaml:"operator"`
	IsNamespaceCapability bool     `yaml:"isNamespaceCapability"`
	Values                []string `yaml:"values"`
}

type NSChangeFilter struct {
	At       `yaml:"-"`
	Operator string   `yaml:"operator"`
	Values   []string `yaml:"values"`
}

// Action is one entry of matchActions. Optional fields whose absence matters
// are pointers, so that the checker can say "argFd is required".
type Action struct {
	At               `yaml:"-"`
	Action           string `yaml:"action"`
	ArgFd            *int   `yaml:"argFd"`
	ArgName          *int   `yaml:"argName"`
	ArgURL           string `yaml:"argUrl"`
	ArgFqdn          string `yaml:"argFqdn"`
	ArgError         *int64 `yaml:"argError"`
	ArgSig           *int64 `yaml:"argSig"`
	ArgSock          *int   `yaml:"argSock"`
	ArgIndex         *int   `yaml:"argIndex"`
	ArgValue         *int64 `yaml:"argValue"`
	RateLimit        string `yaml:"rateLimit"`
	RateLimitScope   string `yaml:"rateLimitScope"`
	KernelStackTrace bool   `yaml:"kernelStackTrace"`
	UserStackTrace   bool   `yaml:"userStackTrace"`
	ImaHash          bool   `yaml:"imaHash"`
	// Override on uprobes: the registers to write, or where in the
	// binary the call goes instead (one of the three).
	ArgRegs      []string `yaml:"argRegs"`
	ArgNewSymbol string   `yaml:"argNewSymbol"`
	ArgNewOffset *uint64  `yaml:"argNewOffset"`
	ArgNewAddr   *uint64  `yaml:"argNewAddr"`
	SoPath       string   `yaml:"sopath"` // refused: see checkUprobeOverride
}

type List struct {
	At        `yaml:"-"`
	Name      string   `yaml:"name"`
	Type      string   `yaml:"type"`
	Values    []string `yaml:"values"`
	Pattern   *string  `yaml:"pattern"`
	Validated bool     `yaml:"validated"`
}

type Enforcer struct {
	At    `yaml:"-"`
	Calls []string `yaml:"calls"`
}

type Option struct {
	At    `yaml:"-"`
	Name  string `yaml:"name"`
	Value string `yaml:"value"`
}

type LabelSelector struct {
	At               `yaml:"-"`
	MatchLabels      map[string]string `yaml:"matchLabels"`
	MatchExpressions []*LabelExpr      `yaml:"matchExpressions"`
}

type LabelExpr struct {
	At       `yaml:"-"`
	Key      string   `yaml:"key"`
	Operator string   `yaml:"operator"`
	Values   []string `yaml:"values"`
}

func (x *Policy) UnmarshalYAML(n *yaml.Node) error { type p Policy; return capture(n, &x.At, (*p)(x)) }
func (x *Metadata) UnmarshalYAML(n *yaml.Node) error {
	type p Metadata
	return capture(n, &x.At, (*p)(x))
}
func (x *Spec) UnmarshalYAML(n *yaml.Node) error {
	type p Spec
	err := capture(n, &x.At, (*p)(x))
	for _, f := range x.Fentries {
		if f != nil {
			f.Fentry = true
		}
	}
	return err
}
func (x *KProbe) UnmarshalYAML(n *yaml.Node) error { type p KProbe; return capture(n, &x.At, (*p)(x)) }
func (x *Tracepoint) UnmarshalYAML(n *yaml.Node) error {
	type p Tracepoint
	return capture(n, &x.At, (*p)(x))
}
func (x *UProbe) UnmarshalYAML(n *yaml.Node) error { type p UProbe; return capture(n, &x.At, (*p)(x)) }
func (x *LSMHook) UnmarshalYAML(n *yaml.Node) error {
	type p LSMHook
	return capture(n, &x.At, (*p)(x))
}
func (x *USDT) UnmarshalYAML(n *yaml.Node) error { type p USDT; return capture(n, &x.At, (*p)(x)) }
func (x *Arg) UnmarshalYAML(n *yaml.Node) error  { type p Arg; return capture(n, &x.At, (*p)(x)) }
func (x *Selector) UnmarshalYAML(n *yaml.Node) error {
	type p Selector
	return capture(n, &x.At, (*p)(x))
}
func (x *ArgFilter) UnmarshalYAML(n *yaml.Node) error {
	type p ArgFilter
	return capture(n, &x.At, (*p)(x))
}
func (x *PIDFilter) UnmarshalYAML(n *yaml.Node) error {
	type p PIDFilter
	return capture(n, &x.At, (*p)(x))
}
func (x *BinaryFilter) UnmarshalYAML(n *yaml.Node) error {
	type p BinaryFilter
	return capture(n, &x.At, (*p)(x))
}
func (x *CmdArgFilter) UnmarshalYAML(n *yaml.Node) error {
	type p CmdArgFilter
	return capture(n, &x.At, (*p)(x))
}
func (x *NamespaceFilter) UnmarshalYAML(n *yaml.Node) error {
	type p NamespaceFilter
	return capture(n, &x.At, (*p)(x))
}
func (x *CapFilter) UnmarshalYAML(n *yaml.Node) error {
	type p CapFilter
	return capture(n, &x.At, (*p)(x))
}
func (x *NSChangeFilter) UnmarshalYAML(n *yaml.Node) error {
	type p NSChangeFilter
	return capture(n, &x.At, (*p)(x))
}
func (x *Action) UnmarshalYAML(n *yaml.Node) error { type p Action; return capture(n, &x.At, (*p)(x)) }
func (x *List) UnmarshalYAML(n *yaml.Node) error   { type p List; return capture(n, &x.At, (*p)(x)) }
func (x *Enforcer) UnmarshalYAML(n *yaml.Node) error {
	type p Enforcer
	return capture(n, &x.At, (*p)(x))
}
func (x *Option) UnmarshalYAML(n *yaml.Node) error { type p Option; return capture(n, &x.At, (*p)(x)) }
func (x *LabelSelector) UnmarshalYAML(n *yaml.Node) error {
	type p LabelSelector
	return capture(n, &x.At, (*p)(x))
}
func (x *LabelExpr) UnmarshalYAML(n *yaml.Node) error {
	type p LabelExpr
	return capture(n, &x.At, (*p)(x))
}

var astPkg = reflect.TypeFor[Policy]().PkgPath()

// pruneNils removes nil elements from every slice of pointers in the AST, so
// that the checks never meet one: a "- " with nothing after it decodes to
// nil, and the schema already reports it.
func pruneNils(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			pruneNils(v.Elem())
		}
	case reflect.Struct:
		// Only AST structs: yaml.Node trees (in At) may be cyclic through
		// aliases, and the Document is not part of the AST.
		if v.Type().PkgPath() != astPkg || v.Type() == reflect.TypeFor[Document]() {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				pruneNils(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Pointer {
			return
		}
		kept := 0
		for i := range v.Len() {
			if e := v.Index(i); !e.IsNil() {
				v.Index(kept).Set(e)
				kept++
				pruneNils(e)
			}
		}
		v.SetLen(kept)
	}
}
