package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/polc-dev/polc/loader/export"
)

// policyList is --policy: names given comma-separated or repeated.
type policyList []string

func (p *policyList) String() string { return strings.Join(*p, ",") }

func (p *policyList) Set(s string) error {
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			return errors.New("empty policy name")
		}
		*p = append(*p, n)
	}
	return nil
}

// has says whether events of policy are printed: all when no --policy.
func (p policyList) has(policy string) bool {
	if len(p) == 0 {
		return true
	}
	for _, n := range p {
		if n == policy {
			return true
		}
	}
	return false
}

// exportFlags say where events go and which: the file and its rotation,
// and Tetragon's export filters and rate limit (package export).
type exportFlags struct {
	file       *string
	maxSizeMB  *int
	maxBackups *int
	compress   *bool
	allow      *string
	deny       *string
	fields     *string
	rateLimit  *int

	// Parsed by check.
	allowList, denyList export.Filters
	fieldList           []*export.FieldFilter
}

func addExportFlags(fs *flag.FlagSet) *exportFlags {
	return &exportFlags{
		file:       fs.String("export-file", "", "write events to this file instead of stdout, rotated by size (for log pipelines)"),
		maxSizeMB:  fs.Int("export-file-max-size-mb", 10, "rotate the export file when it would grow past this many MiB (a file ends on a whole event)"),
		maxBackups: fs.Int("export-file-max-backups", 5, "rotated export files to keep, the newest (NAME-TIME.EXT[.gz])"),
		compress:   fs.Bool("export-file-compress", true, "gzip rotated export files"),
		allow:      fs.String("export-allowlist", "", "export only events matching one of these filters: JSON objects, one per line, in the form of Tetragon's --export-allowlist (fields event_set, binary_regex, namespace, policy_names)"),
		deny:       fs.String("export-denylist", "", "do not export events matching one of these filters (the form of --export-allowlist)"),
		fields:     fs.String("field-filters", "", `include or exclude fields of exported events: JSON objects, one per line, as Tetragon's --field-filters ({"fields":"process.binary,process.pid","action":"INCLUDE","event_set":["PROCESS_KPROBE"]}); -o json only`),
		rateLimit:  fs.Int("export-rate-limit", -1, "export at most this many events per minute (-1: no limit); what is dropped is counted in a rate_limit_info event"),
	}
}

// check parses the filters; the error is a usage error.
func (f *exportFlags) check(format string) error {
	var err error
	if f.allowList, err = export.ParseFilters("--export-allowlist", *f.allow); err != nil {
		return err
	}
	if f.denyList, err = export.ParseFilters("--export-denylist", *f.deny); err != nil {
		return err
	}
	if f.fieldList, err = export.ParseFieldFilters("--field-filters", *f.fields); err != nil {
		return err
	}
	if format == "compact" {
		// A compact line carries neither the event type nor the process
		// for a client of the reader to filter on.
		if len(f.fieldList) > 0 {
			return errors.New("--field-filters: needs -o json")
		}
		for _, l := range []export.Filters{f.allowList, f.denyList} {
			if l.NeedsKind() || l.NeedsProcess() {
				return errors.New("--export-allowlist/--export-denylist: event_set, binary_regex and namespace need -o json (policy_names works with both)")
			}
		}
	}
	if *f.rateLimit == 0 || *f.rateLimit < -1 {
		return fmt.Errorf("--export-rate-limit %d: give events per minute, or -1 for no limit", *f.rateLimit)
	}
	if *f.file != "" && *f.maxSizeMB <= 0 {
		return fmt.Errorf("--export-file-max-size-mb %d: must be positive", *f.maxSizeMB)
	}
	if *f.file != "" && *f.maxBackups < 0 {
		return fmt.Errorf("--export-file-max-backups %d: must not be negative", *f.maxBackups)
	}
	return nil
}

// needsProcess: the filters look at the event's process.
func (f *exportFlags) needsProcess() bool {
	return f.allowList.NeedsProcess() || f.denyList.NeedsProcess()
}

// open makes the exporter of the events: to the export file, or to
// stdout.
func (f *exportFlags) open(format, nodeName string, stdout, stderr io.Writer) (*export.Exporter, error) {
	if nodeName == "" {
		nodeName, _ = os.Hostname()
	}
	o := export.Options{Allow: f.allowList, Deny: f.denyList, Fields: f.fieldList, Compact: format == "compact", NodeName: nodeName}
	if *f.rateLimit > 0 {
		o.RateLimit = *f.rateLimit
	}
	for _, n := range append(f.allowList.NamedNamespaces(), f.denyList.NamedNamespaces()...) {
		fmt.Fprintf(stderr, "polrun: export filter namespace %s: polrun events carry no Kubernetes pod, so they are all outside namespace %s (only \"\" matches them)\n",
			termMessage(n), termMessage(n))
	}
	if *f.file == "" {
		return export.NewStreamExporter(stdout, o), nil
	}
	file, err := export.OpenFile(export.FileOptions{Path: *f.file, MaxSize: int64(*f.maxSizeMB) << 20,
		MaxBackups: *f.maxBackups, Compress: *f.compress})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "polrun: writing events to %s (rotated at %d MiB, %d backups kept)\n", termMessage(*f.file), *f.maxSizeMB, *f.maxBackups)
	return export.NewFileExporter(file, o), nil
}

// lineMeta is what the export filters look at in an event: from the
// decoded event when this process read it, else from its JSON line.
func lineMeta(ev sourceEvent, line []byte, needProcess bool) export.Meta {
	m := export.Meta{Policy: ev.policy}
	if ev.ev != nil {
		m.Kind = ev.ev.Kind
		if p := ev.ev.Process; p != nil {
			m.HasProcess, m.Binary = true, p.Binary
		}
		return m
	}
	// A client's JSON line: {"process_kprobe":{"process":{...},...},...}.
	if rest, ok := strings.CutPrefix(string(line[:min(len(line), 64)]), `{"`); ok {
		if i := strings.IndexByte(rest, '"'); i > 0 {
			m.Kind = rest[:i]
		}
	}
	if needProcess && m.Kind != "" {
		var body map[string]struct {
			Process *struct {
				Binary string `json:"binary"`
			} `json:"process"`
		}
		if json.Unmarshal(line, &body) == nil {
			if p := body[m.Kind].Process; p != nil {
				m.HasProcess, m.Binary = true, p.Binary
			}
		}
	}
	return m
}
