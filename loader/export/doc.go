// Package export writes polrun's event lines to where log pipelines read
// them: a file rotated by size, its old files gzipped and only the newest
// few kept (File), after the export filters Tetragon's agent has
// (Exporter):
//
//   - allow and deny lists of event filters (ParseFilters), in the JSON
//     form of Tetragon's --export-allowlist and --export-denylist: one
//     object per line, the fields of an object all match (AND), the values
//     of a field any (OR), an event passes the allow list when any object
//     matches and is dropped when any object of the deny list matches.
//     polrun knows event_set, binary_regex, namespace and policy_names;
//     any other field of Tetragon's filter is refused by name, never
//     ignored.
//   - field filters (ParseFieldFilters), Tetragon's --field-filters:
//     include or exclude dotted field paths of the event, for some event
//     types or all.
//   - a rate limit (events per minute, Tetragon's --export-rate-limit),
//     which counts what it drops and reports the count in the stream as a
//     rate_limit_info event, as Tetragon does.
//
// The lines come from the loader's encoder (loader.Event.AppendJSON, or
// the reader's socket): this package filters and writes bytes, it does not
// encode events. A line is written whole to one file: a file is rotated
// before a line that would take it past its size, never within one.
package export
