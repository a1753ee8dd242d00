package vmtest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ManifestPath is where the guest's /init finds its Manifest.
const ManifestPath = "/vmtest/manifest.json"

// Manifest tells the guest's /init what to run, in order.
type Manifest struct {
	Binaries []Binary `json:"binaries"`
	// Env is added to every binary's environment (NAME=value).
	Env []string `json:"env,omitempty"`
}

// Corpus: Tetragon's example policies live beside the repository, not in
// it. When they are there (CorpusEnv or ../shared/corpus/tetragon-examples
// from the module), the guest gets a copy at CorpusGuestDir and tests find
// it through CorpusEnv, as on the host.
const (
	CorpusEnv      = "POLC_CORPUS"
	CorpusGuestDir = "/vmtest/corpus"
)

// Binary is one test binary in the guest.
type Binary struct {
	// Package is the Go import path the binary tests; results are named by it.
	Package string `json:"package"`
	// Path is the binary's absolute path in the guest.
	Path string `json:"path"`
	// Dir is the working directory, holding the package's testdata/.
	Dir string `json:"dir"`
	// Args are the arguments, -test.v and -test.timeout included.
	Args []string `json:"args"`
	// Timeout is how long /init lets the binary run before killing it.
	Timeout time.Duration `json:"timeout"`
}

// MarkerPrefix starts every line /init writes about the run itself (as
// opposed to test output), on the results port.
const MarkerPrefix = "@@vmtest "

// Marker kinds, each followed by space-separated key=value fields.
const (
	MarkBoot  = "boot"  // uptime=<seconds at /init start> release=<uname -r>
	MarkStart = "start" // package=<import path>
	MarkEnd   = "end"   // package=<import path> status=<Status> elapsed=<seconds>
	MarkError = "error" // msg=<quoted message>: /init itself failed
	MarkDone  = "done"  // all binaries ran; poweroff follows
	// MarkArtifacts follows the binaries when they left files in
	// ArtifactsDir: files=<count> bytes=<tar size> sha256=<of the tar>.
	MarkArtifacts = "artifacts"
)

// Artifacts: files a test binary leaves in ArtifactsDir (named to it by the
// ArtifactsEnv environment variable) go back to the host. Once every
// binary ran, /init writes them as a tar archive to the third serial port
// (ttyS2), which qemu saves as ArtifactsFile in the kernel's log
// directory. Tests write there what only a guest kernel can produce, such
// as its target profile (`make profiles`).
const (
	ArtifactsDir  = "/vmtest/artifacts"
	ArtifactsEnv  = "VMTEST_ARTIFACTS"
	ArtifactsFile = "artifacts.tar"
)

// Binary end statuses other than "exit:<code>".
const (
	StatusTimeout = "timeout"
	StatusNoStart = "nostart" // the binary could not be started
)

// Marker is one parsed marker line.
type Marker struct {
	Kind   string
	Fields map[string]string
}

// FormatMarker renders a marker line (without the newline). Values are
// quoted when they contain spaces, quotes or are empty.
func FormatMarker(kind string, kv ...string) string {
	var b strings.Builder
	b.WriteString(MarkerPrefix)
	b.WriteString(kind)
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1]
		if v == "" || strings.ContainsAny(v, " \t\"=") {
			v = strconv.Quote(v)
		}
		fmt.Fprintf(&b, " %s=%s", kv[i], v)
	}
	return b.String()
}

// ParseMarker parses a line written by FormatMarker; ok is false for any
// other line.
func ParseMarker(line string) (m Marker, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), MarkerPrefix)
	if !ok {
		return Marker{}, false
	}
	kind, rest, _ := strings.Cut(rest, " ")
	m = Marker{Kind: kind, Fields: map[string]string{}}
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimSpace(rest) {
		key, after, found := strings.Cut(rest, "=")
		if !found || key == "" || strings.Contains(key, " ") {
			return Marker{}, false
		}
		var value string
		if strings.HasPrefix(after, `"`) {
			quoted, err := strconv.QuotedPrefix(after)
			if err != nil {
				return Marker{}, false
			}
			value, _ = strconv.Unquote(quoted)
			rest = after[len(quoted):]
		} else {
			value, rest, _ = strings.Cut(after, " ")
		}
		m.Fields[key] = value
	}
	return m, true
}
