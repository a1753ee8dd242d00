package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTestArgs(t *testing.T) {
	got := testArgs([]string{"-run", "TestKprobe", "-count=2", "-test.v", "--short", "-mystery", "x"})
	want := []string{"-test.run", "TestKprobe", "-test.count=2", "-test.v", "-test.short", "-mystery", "x"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("testArgs (-want +got):\n%s", diff)
	}
}

func TestSelectSeries(t *testing.T) {
	ss, err := selectSeries("6.12, 6.1")
	if err != nil || len(ss) != 2 || ss[0].Name != "6.12" || ss[1].Name != "6.1" {
		t.Errorf("selectSeries = %v, %v", ss, err)
	}
	if _, err := selectSeries("4.19"); err == nil {
		t.Error("unknown series accepted")
	}
}

func TestDefaultSeriesLeaveOutOptIn(t *testing.T) {
	if got, want := seriesNames(defaultSeries()), "6.1,6.12,5.10,7.x"; got != want {
		t.Errorf("default series %s, want %s", got, want)
	}
}
