// Package amounts reads and checks the money fields of billing requests:
// decimal text in a currency, never negative, with no more decimals than
// the currency has, in an ISO 4217 currency billing knows. Every problem
// is recorded against the field that carries it.
package amounts

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/money"
)

// Max is the largest amount billing takes: 10^13 minor units (a hundred
// billion in a two-decimal currency), far from int64 overflow when amounts
// are added.
const Max = int64(10_000_000_000_000)

// Currency normalizes code (upper case, trimmed) and records a problem
// under field when it is not an ISO 4217 currency. It returns the code and
// its decimals (2 when unknown, so that callers can go on checking).
func Currency(c *errs.Collector, field, code string) (string, int) {
	code = strings.ToUpper(strings.TrimSpace(code))
	cur, ok := money.Lookup(code)
	if !ok {
		c.Invalid(field, "Unknown currency: give an ISO 4217 code such as USD or EUR.")
		return code, 2
	}
	return code, cur.Digits
}

// Digits are the decimals of a known currency (2 otherwise).
func Digits(code string) int {
	if cur, ok := money.Lookup(code); ok {
		return cur.Digits
	}
	return 2
}

// Parse reads text as a non-negative amount with digits decimals,
// recording a problem under field.
func Parse(c *errs.Collector, field, text string, digits int) int64 {
	n, err := money.Parse(text, digits)
	switch {
	case errors.Is(err, money.ErrPrecision):
		c.Invalid(field, fmt.Sprintf("At most %d decimals in this currency.", digits))
	case err != nil:
		c.Invalid(field, "Must be a decimal amount such as 29.99.")
	case n < 0:
		c.Invalid(field, "Must not be negative.")
	case n > Max:
		c.Invalid(field, "Too large.")
	default:
		return n
	}
	return 0
}

// Format writes minor units of currency as decimal text.
func Format(minor int64, currency string) string { return money.Format(minor, Digits(currency)) }

// Rescale converts minor units of one currency to the same value in
// another; ok is false when the value cannot be written in the other's
// decimals (29.99 in a currency without decimals).
func Rescale(minor int64, from, to string) (int64, bool) {
	df, dt := Digits(from), Digits(to)
	switch {
	case dt >= df:
		return minor * money.Scale(dt-df), true
	case minor%money.Scale(df-dt) != 0:
		return 0, false
	default:
		return minor / money.Scale(df-dt), true
	}
}
