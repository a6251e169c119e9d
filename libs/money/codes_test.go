package money

import (
	"slices"
	"testing"
)

func TestCodes(t *testing.T) {
	codes := Codes()
	if len(codes) != len(digits) || !slices.IsSorted(codes) {
		t.Fatalf("codes %d of %d, sorted %v", len(codes), len(digits), slices.IsSorted(codes))
	}
	for _, c := range codes {
		if _, ok := Lookup(c); !ok {
			t.Errorf("%s not known to Lookup", c)
		}
	}
	if !slices.Contains(codes, "EUR") || !slices.Contains(codes, "JPY") {
		t.Errorf("EUR or JPY missing")
	}
}
