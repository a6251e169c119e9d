package transport

import (
	"encoding/json"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/services/billing/amounts"
)

// decimal renders minor units of currency as a JSON number with the
// currency's decimals (29.90): exact, never a float.
func decimal(minor int64, currency string) json.Number {
	return json.Number(amounts.Format(minor, currency))
}

// amountText is a money field of a request: a JSON number or a string,
// kept as the text it was sent as. The service reads it in the currency
// and names the field when it is not a decimal amount.
type amountText string

// UnmarshalJSON keeps a number's literal, a string's content, and any
// other value's JSON text (which the service then refuses).
func (a *amountText) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*a = amountText(s)
		return nil
	}
	*a = amountText(b)
	return nil
}

// text reads an amount field as decimal text.
func text(n *amountText) *string {
	if n == nil {
		return nil
	}
	s := string(*n)
	return &s
}

// wuDate renders an optional date as wu does: null when absent.
func wuDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := wu.FormatDate(*t)
	return &s
}
