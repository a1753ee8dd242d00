package bench

import (
	"fmt"
	"math"
	"slices"
)

// Summary describes repeated measurements of one figure: their median and
// spread. Ratios and costs are reported as the median, with the range of
// the middle half (Q1–Q3) and the extremes.
type Summary struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	Q1     float64 `json:"q1"`
	Q3     float64 `json:"q3"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Summarize computes the summary of xs (NaNs are left out).
func Summarize(xs []float64) Summary {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return Summary{}
	}
	slices.Sort(v)
	return Summary{N: len(v), Median: quantile(v, 0.5), Q1: quantile(v, 0.25), Q3: quantile(v, 0.75),
		Min: v[0], Max: v[len(v)-1]}
}

// quantile of sorted v, linearly interpolated.
func quantile(v []float64, q float64) float64 {
	pos := q * float64(len(v)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return v[lo] + (v[hi]-v[lo])*(pos-float64(lo))
}

// median of xs, NaN for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return Summarize(xs).Median
}

// Format prints the median and the interquartile range with a format for
// each number, e.g. "1.21 (1.18–1.25)".
func (s Summary) Format(verb string) string {
	if s.N == 0 {
		return "–"
	}
	if s.N < 4 {
		return fmt.Sprintf(verb+" (%d runs: "+verb+"–"+verb+")", s.Median, s.N, s.Min, s.Max)
	}
	return fmt.Sprintf(verb+" ("+verb+"–"+verb+")", s.Median, s.Q1, s.Q3)
}
