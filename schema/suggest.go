package schema

import "strings"

// nearest returns the candidate a user most likely meant by s: one equal to it but for
// letter case, else the closest within a small edit distance (1 for words of up to 4
// letters, 3 from 12 letters, 2 in between). Ties go to the earlier candidate.
func nearest(s string, candidates []string) (string, bool) {
	for _, c := range candidates {
		if strings.EqualFold(s, c) {
			return c, true
		}
	}
	ls := strings.ToLower(s)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := 2
	switch n := len([]rune(s)); {
	case n <= 4:
		limit = 1
	case n >= 12:
		limit = 3
	}
	if bestDist < 0 || bestDist > limit || bestDist >= len([]rune(best)) {
		return "", false
	}
	return best, true
}

// editDistance is the Levenshtein distance between a and b, counted in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
