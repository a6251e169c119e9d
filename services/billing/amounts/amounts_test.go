package amounts

import (
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		text   string
		digits int
		want   int64
		bad    bool
	}{
		{"29.99", 2, 2999, false}, {"29", 0, 29, false}, {"0", 2, 0, false},
		{"-1", 2, 0, true}, {"1.999", 2, 0, true}, {"abc", 2, 0, true}, {"1.5", 0, 0, true},
		{"100000000000.01", 2, 0, true}, {"100000000000", 2, Max, false},
	} {
		var c errs.Collector
		got := Parse(&c, "amount", tt.text, tt.digits)
		if bad := c.Err() != nil; bad != tt.bad || got != tt.want {
			t.Errorf("Parse(%q, %d) = %d, %v", tt.text, tt.digits, got, c.Err())
		}
		if tt.bad && !c.Has("amount") {
			t.Errorf("%q: the problem does not name the field", tt.text)
		}
	}
}

func TestCurrency(t *testing.T) {
	var c errs.Collector
	if code, d := Currency(&c, "currency", " eur "); code != "EUR" || d != 2 || c.Err() != nil {
		t.Fatal(code, d, c.Err())
	}
	if _, d := Currency(&c, "currency", "JPY"); d != 0 {
		t.Fatal(d)
	}
	Currency(&c, "currency", "EURO")
	if !c.Has("currency") {
		t.Fatal("EURO accepted")
	}
}

func TestRescaleAndFormat(t *testing.T) {
	if n, ok := Rescale(2900, "USD", "JPY"); !ok || n != 29 {
		t.Fatal(n, ok)
	}
	if _, ok := Rescale(2999, "USD", "JPY"); ok {
		t.Fatal("29.99 fits JPY")
	}
	if n, ok := Rescale(29, "JPY", "KWD"); !ok || n != 29000 {
		t.Fatal(n, ok)
	}
	if Format(2999, "USD") != "29.99" || Format(29, "JPY") != "29" {
		t.Fatal(Format(2999, "USD"), Format(29, "JPY"))
	}
}
