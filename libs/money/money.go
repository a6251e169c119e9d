// Package money handles amounts as integer minor units of an ISO 4217
// currency: it knows every active currency's number of decimals, reads
// decimal text ("29.99") into minor units without floating point, refusing
// more decimals than the currency has, and writes minor units back as
// decimal text.
package money

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Currency is an ISO 4217 currency.
type Currency struct {
	Code   string // "EUR"
	Digits int    // decimals of its minor unit (2 for EUR, 0 for JPY)
}

// Lookup returns the currency of code (upper case, as ISO 4217 writes it).
func Lookup(code string) (Currency, bool) {
	d, ok := digits[code]
	if !ok {
		return Currency{}, false
	}
	return Currency{Code: code, Digits: d}, true
}

// Errors of Parse.
var (
	ErrSyntax    = errors.New("money: not a decimal number")
	ErrPrecision = errors.New("money: more decimals than the currency has")
	ErrRange     = errors.New("money: amount out of range")
)

// Parse reads decimal text ("29.99", "-5", "1e2" is refused) as minor units
// of a currency with digits decimals. A leading sign is allowed; trailing
// zeros beyond the currency's decimals are allowed ("29.990" is 2999 for
// two digits), other extra decimals are ErrPrecision.
func Parse(s string, digits int) (int64, error) {
	s = strings.TrimSpace(s)
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && frac == "" || hasDot && frac == "" && whole == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, ErrSyntax
	}
	if hasDot && frac == "" {
		return 0, ErrSyntax
	}
	if whole == "" {
		whole = "0"
	}
	trimmed := strings.TrimRight(frac, "0")
	if len(trimmed) > digits {
		return 0, ErrPrecision
	}
	frac = trimmed + strings.Repeat("0", digits-len(trimmed))
	whole = strings.TrimLeft(whole, "0")
	if len(whole)+len(frac) > 18 {
		return 0, ErrRange
	}
	n, err := strconv.ParseInt("0"+whole+frac, 10, 64)
	if err != nil {
		return 0, ErrRange
	}
	if neg {
		n = -n
	}
	return n, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Format writes minor units of a currency with digits decimals as decimal
// text with exactly that many decimals ("29.90", "-0.05", "1200" for 0).
func Format(minor int64, digits int) string {
	if minor == math.MinInt64 {
		return "-" + format(uint64(math.MaxInt64)+1, digits)
	}
	if minor < 0 {
		return "-" + format(uint64(-minor), digits)
	}
	return format(uint64(minor), digits)
}

func format(u uint64, digits int) string {
	s := strconv.FormatUint(u, 10)
	if digits <= 0 {
		return s
	}
	if len(s) <= digits {
		s = strings.Repeat("0", digits-len(s)+1) + s
	}
	return s[:len(s)-digits] + "." + s[len(s)-digits:]
}

// Scale is 10^digits: the minor units in one major unit.
func Scale(digits int) int64 {
	n := int64(1)
	for range digits {
		n *= 10
	}
	return n
}
