package main

import (
	"fmt"
	"strings"
)

// A line-based unified diff (Myers' algorithm), for polc diff: the
// standard library has none, and the dumps compared are small (a policy's
// IR, a bundle's disassembly: thousands of lines at most, and differences
// of a few).

// editOp is one line of an edit script: ' ' kept, '-' only in a, '+' only
// in b.
type editOp struct {
	kind byte
	text string
}

// editScript returns a shortest edit script from a to b.
func editScript(a, b []string) []editOp {
	n, m := len(a), len(b)
	maxD := n + m
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	// trace[d] holds v[-d..d] as it was when step d began.
	var trace [][]int
	var found bool
	for d := 0; d <= maxD && !found; d++ {
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: a line of b inserted
			} else {
				x = v[off+k-1] + 1 // right: a line of a deleted
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = true
				break
			}
		}
	}
	// Walk back from (n, m), collecting the script in reverse.
	var rev []editOp
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		tv := trace[d]
		at := func(k int) int { return tv[k+d] }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			rev = append(rev, editOp{' ', a[x]})
		}
		if x == prevX {
			y--
			rev = append(rev, editOp{'+', b[y]})
		} else {
			x--
			rev = append(rev, editOp{'-', a[x]})
		}
	}
	for x > 0 && y > 0 { // the common start
		x, y = x-1, y-1
		rev = append(rev, editOp{' ', a[x]})
	}
	ops := make([]editOp, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return ops
}

// unifiedDiff returns the differences between a and b (texts of lines) in
// the unified format of diff -u, with context lines around each change;
// "" when they are equal.
func unifiedDiff(nameA, nameB, a, b string, context int) string {
	if a == b {
		return ""
	}
	ops := editScript(splitLines(a), splitLines(b))
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", nameA, nameB)
	// lineA[i], lineB[i]: the 1-based line numbers in a and b before op i.
	lineA, lineB := make([]int, len(ops)+1), make([]int, len(ops)+1)
	lineA[0], lineB[0] = 1, 1
	for i, op := range ops {
		lineA[i+1], lineB[i+1] = lineA[i], lineB[i]
		if op.kind != '+' {
			lineA[i+1]++
		}
		if op.kind != '-' {
			lineB[i+1]++
		}
	}
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from context lines before this change to context lines
		// after the last change closer than 2*context to the previous.
		start := max(0, i-context)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j + 1
			} else if j-end >= 2*context {
				break
			}
		}
		stop := min(len(ops), end+context)
		countA, countB := 0, 0
		for _, op := range ops[start:stop] {
			if op.kind != '+' {
				countA++
			}
			if op.kind != '-' {
				countB++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(lineA[start], countA), hunkRange(lineB[start], countB))
		for _, op := range ops[start:stop] {
			out.WriteByte(op.kind)
			out.WriteString(op.text)
			out.WriteByte('\n')
		}
		i = stop
	}
	return out.String()
}

// hunkRange writes a hunk's range as diff -u does: an empty range names
// the line before it.
func hunkRange(line, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", line-1)
	case 1:
		return fmt.Sprint(line)
	}
	return fmt.Sprintf("%d,%d", line, count)
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
