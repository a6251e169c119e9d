package money

import (
	"errors"
	"testing"
)

func TestLookup(t *testing.T) {
	for code, want := range map[string]int{"USD": 2, "EUR": 2, "JPY": 0, "KWD": 3} {
		c, ok := Lookup(code)
		if !ok || c.Digits != want || c.Code != code {
			t.Errorf("Lookup(%s) = %+v %v", code, c, ok)
		}
	}
	for _, code := range []string{"", "usd", "XXX", "EURO", "BTC"} {
		if _, ok := Lookup(code); ok {
			t.Errorf("Lookup(%q) found a currency", code)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in     string
		digits int
		want   int64
		err    error
	}{
		{"29.99", 2, 2999, nil},
		{"29", 2, 2900, nil},
		{"29.9", 2, 2990, nil},
		{"29.990", 2, 2999, nil},
		{".5", 2, 50, nil},
		{"0", 2, 0, nil},
		{"-5.01", 2, -501, nil},
		{"+1", 2, 100, nil},
		{" 7 ", 0, 7, nil},
		{"1200", 0, 1200, nil},
		{"1.5", 0, 0, ErrPrecision},
		{"29.999", 2, 0, ErrPrecision},
		{"1.0005", 3, 0, ErrPrecision},
		{"1.005", 3, 1005, nil},
		{"", 2, 0, ErrSyntax},
		{".", 2, 0, ErrSyntax},
		{"1.", 2, 0, ErrSyntax},
		{"-", 2, 0, ErrSyntax},
		{"1e2", 2, 0, ErrSyntax},
		{"1,5", 2, 0, ErrSyntax},
		{"NaN", 2, 0, ErrSyntax},
		{"0x10", 2, 0, ErrSyntax},
		{"--1", 2, 0, ErrSyntax},
		{"99999999999999999", 2, 0, ErrRange},
		{"9999999999999999", 2, 999999999999999900, nil},
		{"0000000000000000000000001", 2, 100, nil},
	} {
		got, err := Parse(tt.in, tt.digits)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("Parse(%q, %d) = %d, %v; want %d, %v", tt.in, tt.digits, got, err, tt.want, tt.err)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		minor  int64
		digits int
		want   string
	}{
		{2999, 2, "29.99"}, {2900, 2, "29.00"}, {5, 2, "0.05"}, {-5, 2, "-0.05"}, {0, 2, "0.00"},
		{1200, 0, "1200"}, {1005, 3, "1.005"}, {-9223372036854775808, 2, "-92233720368547758.08"},
	} {
		if got := Format(tt.minor, tt.digits); got != tt.want {
			t.Errorf("Format(%d, %d) = %q, want %q", tt.minor, tt.digits, got, tt.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, n := range []int64{0, 1, 99, 100, 2999, -2999, 123456789} {
		for d := 0; d <= 3; d++ {
			got, err := Parse(Format(n, d), d)
			if err != nil || got != n {
				t.Errorf("round trip %d/%d: %d %v", n, d, got, err)
			}
		}
	}
	if Scale(0) != 1 || Scale(2) != 100 || Scale(3) != 1000 {
		t.Fatal("Scale")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"29.99", "-1", ".5", "1e5", "", "99999999999999999999"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, digits int) {
		if digits < 0 || digits > 4 {
			return
		}
		n, err := Parse(s, digits)
		if err != nil {
			return
		}
		if back, err := Parse(Format(n, digits), digits); err != nil || back != n {
			t.Fatalf("%q → %d → %q → %d %v", s, n, Format(n, digits), back, err)
		}
	})
}
