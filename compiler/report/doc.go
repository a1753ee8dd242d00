// Package report writes the diagnostics of a compiler.Result for people and
// for tools, in one of four formats:
//
//   - text: each diagnostic with its source line and a caret under the
//     offending span, its hint and its YAML path, then a one-line summary;
//   - json: one document with every diagnostic and a summary, for scripts;
//   - sarif: a SARIF 2.1.0 log that GitHub code scanning accepts;
//   - github: GitHub Actions workflow commands (::error, ::warning,
//     ::notice) that annotate the pull request.
//
// Diagnostics are written sorted by file and position. Line 0 means the
// whole file; column 0 means the column is unknown. Columns are 1-based and
// count characters (Unicode code points), as gopkg.in/yaml.v3 reports them;
// End is exclusive. Every format is deterministic: the same Result gives the
// same bytes.
//
// Write returns only the errors of the io.Writer (and of an unknown Format):
// no diagnostic content, however odd, makes it fail.
package report
