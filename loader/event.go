package loader

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/polc-dev/polc/bpf"
)

// Event is a decoded policy record. It marshals to one line of Tetragon's
// JSON export: {"process_kprobe":{...},"node_name":...,"time":...}, with
// the field names, order and value encodings protojson gives Tetragon's
// GetEventsResponse (UseProtoNames): 64-bit integers as strings, bytes as
// base64, zero-valued plain scalars left out.
type Event struct {
	// Kind is the GetEventsResponse field: process_kprobe,
	// process_tracepoint, process_uprobe or process_lsm.
	Kind     string
	Time     time.Time
	NodeName string
	Policy   string
	PolicyID uint32
	Hook     *bpf.Hook
	Process  *Process
	Parent   *Process
	Args     []Arg
	// Data are the hook's data entries (data:), reported under "data".
	Data   []Arg
	Return *Arg
	Action bpf.Action
	// Header is the record's header as the program wrote it.
	Header bpf.Header
	// KernelStackTrace and UserStackTrace are the stacks a Post with
	// kernelStackTrace or userStackTrace recorded (kprobes).
	KernelStackTrace []StackTraceEntry
	UserStackTrace   []StackTraceEntry
	// LoaderPath and BuildID are the file of a process_loader event
	// (loadersensor.go).
	LoaderPath string
	BuildID    []byte
	// ImaHash is the hash a Post with imaHash asked for, ALGO:HEX, on
	// LSM hooks (Tetragon's ima_hash).
	ImaHash string
	// Ancestors are the process's ancestors beyond its parent, nearest
	// first, in process_exec and process_exit events when asked for
	// (StreamOptions.Ancestors).
	Ancestors []*Process
	// Status and Signal are a process_exit's exit status and the name of
	// the signal that killed the process ("" when it exited).
	Status uint32
	Signal string

	// procEnc and parentEnc are the process cache's encodings of Process
	// and Parent (eventjson.go), used while those still hold the values
	// they were made from.
	procEnc, parentEnc *procEncoding
	// procRoom, parentRoom and retRoom hold what Process, Parent and
	// Return point to in an event a Stream decoded: reused with the
	// event (Stream.Release).
	procRoom, parentRoom processCopy
	retRoom              Arg
}

// Process is Tetragon's Process message, as far as polrun knows it.
type Process struct {
	ExecID       string     `json:"exec_id,omitempty"`
	PID          *uint32    `json:"pid,omitempty"`
	UID          *uint32    `json:"uid,omitempty"`
	Cwd          string     `json:"cwd,omitempty"`
	Binary       string     `json:"binary,omitempty"`
	Arguments    string     `json:"arguments,omitempty"`
	Flags        string     `json:"flags,omitempty"`
	StartTime    *Timestamp `json:"start_time,omitempty"`
	AUID         *uint32    `json:"auid,omitempty"`
	ParentExecID string     `json:"parent_exec_id,omitempty"`
	TID          *uint32    `json:"tid,omitempty"`
}

// Timestamp marshals like protojson's google.protobuf.Timestamp: RFC 3339
// in UTC with 0, 3, 6 or 9 fractional digits.
type Timestamp time.Time

func (t Timestamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + formatTimestamp(time.Time(t)) + `"`), nil
}

func formatTimestamp(t time.Time) string {
	t = t.UTC()
	s := t.Format("2006-01-02T15:04:05")
	switch ns := t.Nanosecond(); {
	case ns == 0:
	case ns%1e6 == 0:
		s += "." + strconv.Itoa(ns/1e6 + 1000)[1:]
	case ns%1e3 == 0:
		s += "." + strconv.Itoa(ns/1e3 + 1e6)[1:]
	default:
		s += "." + strconv.Itoa(ns + 1e9)[1:]
	}
	return s + "Z"
}

func u32(v uint32) *uint32 { return &v }

// Arg is one argument (or the return value) of an event: Tetragon's
// KprobeArgument, a one-of whose set member is Key.
type Arg struct {
	// Type is the policy's type of the argument ("int", "file", ...).
	Type  string
	Label string
	// Key is the KprobeArgument field: int_arg, file_arg, string_arg, ...
	Key string
	// Value is what goes under Key: int32, uint32, int64, uint64, string,
	// []byte, or one of the *Arg structs below.
	Value any
}

func (a Arg) MarshalJSON() ([]byte, error) {
	v := a.Value
	switch x := v.(type) {
	case uint64: // protojson writes 64-bit integers as strings
		v = strconv.FormatUint(x, 10)
	case int64:
		v = strconv.FormatInt(x, 10)
	case []byte:
		if x == nil {
			v = []byte{}
		}
	}
	val, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{`)
	key, _ := json.Marshal(a.Key)
	b.Write(key)
	b.WriteString(`:`)
	b.Write(val)
	if a.Label != "" {
		lbl, _ := json.Marshal(a.Label)
		b.WriteString(`,"label":`)
		b.Write(lbl)
	}
	b.WriteString(`}`)
	return b.Bytes(), nil
}

// Argument value types, named and shaped as Tetragon's messages.
type (
	// FileArg is KprobeFile (file_arg) and KprobePath (path_arg).
	FileArg struct {
		Mount string `json:"mount,omitempty"`
		Path  string `json:"path,omitempty"`
		Flags string `json:"flags,omitempty"`
	}
	// BinprmArg is KprobeLinuxBinprm.
	BinprmArg struct {
		Path string `json:"path,omitempty"`
	}
	// TruncatedBytesArg is KprobeTruncatedBytes.
	TruncatedBytesArg struct {
		BytesArg []byte `json:"bytes_arg,omitempty"`
		OrigSize string `json:"orig_size,omitempty"`
	}
	// SockArg is KprobeSock.
	SockArg struct {
		Family   string `json:"family,omitempty"`
		Type     string `json:"type,omitempty"`
		Protocol string `json:"protocol,omitempty"`
		Mark     uint32 `json:"mark,omitempty"`
		Priority uint32 `json:"priority,omitempty"`
		Saddr    string `json:"saddr,omitempty"`
		Daddr    string `json:"daddr,omitempty"`
		Sport    uint32 `json:"sport,omitempty"`
		Dport    uint32 `json:"dport,omitempty"`
		Cookie   string `json:"cookie,omitempty"`
		State    string `json:"state,omitempty"`
	}
	// SkbArg is KprobeSkb.
	SkbArg struct {
		Hash     uint32 `json:"hash,omitempty"`
		Len      uint32 `json:"len,omitempty"`
		Priority uint32 `json:"priority,omitempty"`
		Mark     uint32 `json:"mark,omitempty"`
		Saddr    string `json:"saddr,omitempty"`
		Daddr    string `json:"daddr,omitempty"`
		Sport    uint32 `json:"sport,omitempty"`
		Dport    uint32 `json:"dport,omitempty"`
		Proto    uint32 `json:"proto,omitempty"`
		Protocol string `json:"protocol,omitempty"`
		Family   string `json:"family,omitempty"`
	}
	// SockaddrArg is KprobeSockaddr.
	SockaddrArg struct {
		Family string `json:"family,omitempty"`
		Addr   string `json:"addr,omitempty"`
		Port   uint32 `json:"port,omitempty"`
	}
	// SockaddrUnArg is KprobeSockaddrUn: an abstract name is written
	// with a leading @, as Tetragon writes it.
	SockaddrUnArg struct {
		Family string `json:"family,omitempty"`
		Path   string `json:"path,omitempty"`
	}
	// DNSArg is KprobeDns: the question of a DNS message a UDP send
	// carries (the field names of Tetragon's KprobeDns: its event checker
	// reads query_name, query_type_str, parsed and response; the type,
	// class, flags and transaction id come with them). Truncated is set
	// when the name was longer than 255 characters: it is then empty.
	DNSArg struct {
		QueryName    string `json:"query_name,omitempty"`
		QueryType    uint32 `json:"query_type,omitempty"`
		QueryTypeStr string `json:"query_type_str,omitempty"`
		QueryClass   uint32 `json:"query_class,omitempty"`
		TxID         uint32 `json:"tx_id,omitempty"`
		Flags        uint32 `json:"flags,omitempty"`
		Response     bool   `json:"response,omitempty"`
		Parsed       bool   `json:"parsed,omitempty"`
		Truncated    bool   `json:"truncated,omitempty"`
	}
	// SyscallIDArg is SyscallId.
	SyscallIDArg struct {
		ID  uint32 `json:"id,omitempty"`
		ABI string `json:"abi,omitempty"`
	}
	// CapabilityArg is KprobeCapability.
	CapabilityArg struct {
		Value *int32 `json:"value,omitempty"`
		Name  string `json:"name,omitempty"`
	}
	// NamespaceArg is Namespace.
	NamespaceArg struct {
		Inum   uint32 `json:"inum,omitempty"`
		IsHost bool   `json:"is_host,omitempty"`
	}
	// UserNSArg is UserNamespace.
	UserNSArg struct {
		Level *int32        `json:"level,omitempty"`
		UID   *uint32       `json:"uid,omitempty"`
		GID   *uint32       `json:"gid,omitempty"`
		NS    *NamespaceArg `json:"ns,omitempty"`
	}
	// CapsArg is Capabilities.
	CapsArg struct {
		Permitted   []string `json:"permitted,omitempty"`
		Effective   []string `json:"effective,omitempty"`
		Inheritable []string `json:"inheritable,omitempty"`
	}
	// CredArg is ProcessCredentials.
	CredArg struct {
		UID        *uint32    `json:"uid,omitempty"`
		GID        *uint32    `json:"gid,omitempty"`
		EUID       *uint32    `json:"euid,omitempty"`
		EGID       *uint32    `json:"egid,omitempty"`
		SUID       *uint32    `json:"suid,omitempty"`
		SGID       *uint32    `json:"sgid,omitempty"`
		FSUID      *uint32    `json:"fsuid,omitempty"`
		FSGID      *uint32    `json:"fsgid,omitempty"`
		Securebits []string   `json:"securebits,omitempty"`
		Caps       *CapsArg   `json:"caps,omitempty"`
		UserNS     *UserNSArg `json:"user_ns,omitempty"`
	}
	// BpfAttrArg is KprobeBpfAttr.
	BpfAttrArg struct {
		ProgType string `json:"ProgType,omitempty"`
		InsnCnt  uint32 `json:"InsnCnt,omitempty"`
		ProgName string `json:"ProgName,omitempty"`
	}
	// BpfMapArg is KprobeBpfMap.
	BpfMapArg struct {
		MapType    string `json:"MapType,omitempty"`
		KeySize    uint32 `json:"KeySize,omitempty"`
		ValueSize  uint32 `json:"ValueSize,omitempty"`
		MaxEntries uint32 `json:"MaxEntries,omitempty"`
		MapName    string `json:"MapName,omitempty"`
	}
	// PerfEventArg is KprobePerfEvent.
	PerfEventArg struct {
		KprobeFunc  string `json:"KprobeFunc,omitempty"`
		Type        string `json:"Type,omitempty"`
		Config      string `json:"Config,omitempty"`
		ProbeOffset string `json:"ProbeOffset,omitempty"`
	}
	// Int32ListArg is KprobeInt32List (int32_arr arguments).
	Int32ListArg struct {
		Values []int32 `json:"values,omitempty"`
	}
	// NameArg is KprobeNetDev and KernelModule: a name.
	NameArg struct {
		Name string `json:"name,omitempty"`
	}
)

// The bodies of the event kinds, fields in Tetragon's field-number order.
type (
	kprobeBody struct {
		Process          *Process          `json:"process,omitempty"`
		Parent           *Process          `json:"parent,omitempty"`
		FunctionName     string            `json:"function_name,omitempty"`
		Args             []Arg             `json:"args,omitempty"`
		Return           *Arg              `json:"return,omitempty"`
		Action           string            `json:"action,omitempty"`
		KernelStackTrace []StackTraceEntry `json:"kernel_stack_trace,omitempty"`
		PolicyName       string            `json:"policy_name,omitempty"`
		Message          string            `json:"message,omitempty"`
		Tags             []string          `json:"tags,omitempty"`
		UserStackTrace   []StackTraceEntry `json:"user_stack_trace,omitempty"`
		Data             []Arg             `json:"data,omitempty"`
	}
	tracepointBody struct {
		Process    *Process `json:"process,omitempty"`
		Parent     *Process `json:"parent,omitempty"`
		Subsys     string   `json:"subsys,omitempty"`
		Event      string   `json:"event,omitempty"`
		Args       []Arg    `json:"args,omitempty"`
		PolicyName string   `json:"policy_name,omitempty"`
		Action     string   `json:"action,omitempty"`
		Message    string   `json:"message,omitempty"`
		Tags       []string `json:"tags,omitempty"`
	}
	usdtBody struct {
		Process    *Process `json:"process,omitempty"`
		Parent     *Process `json:"parent,omitempty"`
		Path       string   `json:"path,omitempty"`
		Provider   string   `json:"provider,omitempty"`
		Name       string   `json:"name,omitempty"`
		PolicyName string   `json:"policy_name,omitempty"`
		Message    string   `json:"message,omitempty"`
		Args       []Arg    `json:"args,omitempty"`
		Tags       []string `json:"tags,omitempty"`
		Action     string   `json:"action,omitempty"`
	}
	// Tetragon's ProcessUprobe has no action field.
	uprobeBody struct {
		Process    *Process `json:"process,omitempty"`
		Parent     *Process `json:"parent,omitempty"`
		Path       string   `json:"path,omitempty"`
		Symbol     string   `json:"symbol,omitempty"`
		PolicyName string   `json:"policy_name,omitempty"`
		Message    string   `json:"message,omitempty"`
		Args       []Arg    `json:"args,omitempty"`
		Tags       []string `json:"tags,omitempty"`
		Data       []Arg    `json:"data,omitempty"`
	}
	execBody struct {
		Process   *Process   `json:"process,omitempty"`
		Parent    *Process   `json:"parent,omitempty"`
		Ancestors []*Process `json:"ancestors,omitempty"`
	}
	exitBody struct {
		Process   *Process   `json:"process,omitempty"`
		Parent    *Process   `json:"parent,omitempty"`
		Signal    string     `json:"signal,omitempty"`
		Status    uint32     `json:"status,omitempty"`
		Time      *Timestamp `json:"time,omitempty"`
		Ancestors []*Process `json:"ancestors,omitempty"`
	}
	lsmBody struct {
		Process      *Process `json:"process,omitempty"`
		Parent       *Process `json:"parent,omitempty"`
		FunctionName string   `json:"function_name,omitempty"`
		PolicyName   string   `json:"policy_name,omitempty"`
		Message      string   `json:"message,omitempty"`
		Args         []Arg    `json:"args,omitempty"`
		Action       string   `json:"action,omitempty"`
		Tags         []string `json:"tags,omitempty"`
		ImaHash      string   `json:"ima_hash,omitempty"`
		Data         []Arg    `json:"data,omitempty"`
	}
)

// Event kinds (GetEventsResponse fields).
const (
	KindKprobe     = "process_kprobe"
	KindTracepoint = "process_tracepoint"
	KindUprobe     = "process_uprobe"
	KindLSM        = "process_lsm"
	KindUSDT       = "process_usdt"
	// The base events: a process exec'd, a process (its last thread)
	// exited. They have no policy and no hook.
	KindExec = "process_exec"
	KindExit = "process_exit"
)

// FunctionName is the function_name of kprobe and LSM events: the kernel
// function the hook attached to (for syscalls, the entry point such as
// __x64_sys_write).
func (e *Event) FunctionName() string { return e.Hook.Target }

func (e *Event) MarshalJSON() ([]byte, error) {
	var h *bpf.Hook = e.Hook
	action := e.Action.String()
	var body any
	switch e.Kind {
	case KindExec:
		body = execBody{e.Process, e.Parent, e.Ancestors}
	case KindExit:
		ts := Timestamp(e.Time)
		body = exitBody{e.Process, e.Parent, e.Signal, e.Status, &ts, e.Ancestors}
	case KindKprobe:
		body = kprobeBody{e.Process, e.Parent, e.FunctionName(), e.Args, e.Return, action, e.KernelStackTrace, e.Policy, h.Message, h.Tags, e.UserStackTrace, e.Data}
	case KindTracepoint:
		subsys, event := splitTracepoint(h.Target)
		body = tracepointBody{e.Process, e.Parent, subsys, event, e.Args, e.Policy, action, h.Message, h.Tags}
	case KindUprobe:
		body = uprobeBody{e.Process, e.Parent, h.Target, h.Symbol, e.Policy, h.Message, e.Args, h.Tags, e.Data}
	case KindLoader:
		body = loaderBody{e.Process, e.LoaderPath, e.BuildID, e.Parent}
	case KindUSDT:
		provider, name, _ := strings.Cut(h.Symbol, ":")
		body = usdtBody{e.Process, e.Parent, h.Target, provider, name, e.Policy, h.Message, e.Args, h.Tags, action}
	default:
		body = lsmBody{e.Process, e.Parent, e.FunctionName(), e.Policy, h.Message, e.Args, action, h.Tags, e.ImaHash, e.Data}
	}
	bodyJSON, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"`)
	b.WriteString(e.Kind)
	b.WriteString(`":`)
	b.Write(bodyJSON)
	if e.NodeName != "" {
		node, _ := json.Marshal(e.NodeName)
		b.WriteString(`,"node_name":`)
		b.Write(node)
	}
	b.WriteString(`,"time":"`)
	b.WriteString(formatTimestamp(e.Time))
	b.WriteString(`"}`)
	return b.Bytes(), nil
}

// splitTracepoint splits SUBSYS/EVENT; a raw tracepoint has no subsystem.
func splitTracepoint(target string) (subsys, event string) {
	for i := 0; i < len(target); i++ {
		if target[i] == '/' {
			return target[:i], target[i+1:]
		}
	}
	return "", target
}
