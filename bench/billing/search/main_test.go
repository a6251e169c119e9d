package main

import (
	"slices"
	"strings"
	"testing"
)

func TestTerms(t *testing.T) {
	a, b := terms(4, 1), terms(4, 2)
	if len(a) < 300 {
		t.Fatalf("%d terms, want at least 300 for a run", len(a))
	}
	if slices.Equal(a, b) {
		t.Error("two seeds gave the same order")
	}
	seen := map[string]bool{}
	for _, term := range a {
		if len(term) < 4 || seen[term] || strings.Contains("example.com example.org mail.example.net", term) {
			t.Fatalf("term %q: short, repeated or in a domain", term)
		}
		seen[term] = true
	}
	if !seen["smith"] || !seen["john"] {
		t.Error("whole names missing")
	}
}

func TestSummary(t *testing.T) {
	for _, tt := range []struct {
		ms   []float64
		want stats
	}{
		{nil, stats{}},
		{[]float64{3}, stats{Count: 1, P50: 3, P99: 3, Max: 3}},
		{[]float64{5, 1, 4, 2, 3}, stats{Count: 5, P50: 3, P99: 5, Max: 5}},
	} {
		if got := summary(tt.ms); got != tt.want {
			t.Errorf("summary(%v) = %+v, want %+v", tt.ms, got, tt.want)
		}
	}
}
