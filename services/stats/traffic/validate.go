package traffic

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/money"
)

// Limits of a batch.
const (
	MaxBatch  = 1000
	MaxID     = 128  // visitor, order, cart, response, form, product and user ids
	MaxPath   = 2048 // a pageview's path
	MaxAmount = 1e13 // minor units (a hundred billion in a two-decimal currency)
	MaxCount  = 1e12 // bytes, quantities, thresholds
	Future    = time.Hour * 24
	// maxProblems bounds how many fields one refusal names.
	maxProblems = 20
)

// RawEvent is an event as a client sends it: every field as text (JSON
// numbers too), empty when absent.
type RawEvent struct {
	Type, Time, VisitorID, Path, Bytes                    string
	OrderID, CartID, ResponseID, FormID, ProductID        string
	Amount, Currency, Status, Quantity, Threshold, UserID string
}

// Validate checks a whole batch and converts it; nothing of a batch with
// one bad event may be stored. now dates events without a time and bounds
// the future; currency is the default of orders and carts. Problems name
// their field as events[i].name (4002), a missing field 4001.
func Validate(raw []RawEvent, now time.Time, currency string) ([]Event, error) {
	if len(raw) == 0 {
		return nil, errs.MissingFields("events")
	}
	if len(raw) > MaxBatch {
		return nil, errs.InvalidField("events", fmt.Sprintf("At most %d events per batch, got %d.", MaxBatch, len(raw)))
	}
	v := validator{now: now.UTC(), currency: currency}
	out := make([]Event, len(raw))
	for i := range raw {
		if v.n >= maxProblems {
			break
		}
		v.index = i
		out[i] = v.event(&raw[i])
	}
	if err := v.c.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

type validator struct {
	c        errs.Collector
	n        int
	index    int // of the event checked
	now      time.Time
	currency string
}

// name is the full name of a field of the event checked: events[i].field
// (built only for a refusal).
func (v *validator) name(field string) string {
	return "events[" + strconv.Itoa(v.index) + "]." + field
}

func (v *validator) invalid(field, msg string) {
	v.c.Invalid(v.name(field), msg)
	v.n++
}

func (v *validator) missing(field string) {
	v.c.Missing(v.name(field))
	v.n++
}

func (v *validator) event(r *RawEvent) Event {
	e := Event{At: v.time(r.Time)}
	t, ok := ParseType(strings.TrimSpace(r.Type))
	switch {
	case r.Type == "":
		v.missing("type")
		return e
	case !ok:
		v.invalid("type", "Unknown event type: must be one of "+strings.Join(TypeNames, ", ")+".")
		return e
	}
	e.Type = t
	switch t {
	case Pageview:
		e.Visitor = v.id("visitor_id", r.VisitorID, false)
		e.Path = v.text("path", r.Path, MaxPath)
		e.Bytes = v.count("bytes", r.Bytes, 0)
	case Visit:
		e.Visitor = v.id("visitor_id", r.VisitorID, true)
	case Order:
		e.Ref = v.id("order_id", r.OrderID, true)
		e.Status = v.status("status", r.Status, OrderStatusNames, "pending, paid, cancelled", 0)
		e.Currency, e.Amount = v.money(r.Currency, r.Amount, true)
		e.UserID = v.id("user_id", r.UserID, false)
	case Cart:
		e.Ref = v.id("cart_id", r.CartID, false)
		e.Visitor = v.id("visitor_id", r.VisitorID, false)
		e.Currency, e.Amount = v.money(r.Currency, r.Amount, false)
		e.UserID = v.id("user_id", r.UserID, false)
	case FormResponse:
		e.Ref = v.id("response_id", r.ResponseID, true)
		e.FormID = v.id("form_id", r.FormID, false)
		e.Status = v.status("status", r.Status, FormStatusNames, "unread, read", FormUnread)
		e.UserID = v.id("user_id", r.UserID, false)
	case Stock:
		e.Ref = v.id("product_id", r.ProductID, true)
		if strings.TrimSpace(r.Quantity) == "" {
			v.missing("quantity")
		} else {
			e.Quantity = v.integer("quantity", r.Quantity, -MaxCount)
		}
		e.Threshold = v.count("threshold", r.Threshold, 0)
	}
	return e
}

// timeLayouts are the written forms of an event's time (UTC unless it
// says otherwise).
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"}

// time reads an event's time: RFC 3339, "YYYY-MM-DD HH:MM:SS" (UTC) or
// Unix seconds; absent, now. Not before 2000, not more than a day ahead.
func (v *validator) time(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return v.now.Truncate(time.Microsecond)
	}
	var t time.Time
	parsed := false
	if n, err := strconv.ParseFloat(s, 64); err == nil && isDecimal(s) {
		if n >= 0 && n < 1e11 {
			sec := int64(n)
			t, parsed = time.Unix(sec, int64((n-float64(sec))*1e9)).UTC(), true
		}
	} else {
		for _, l := range timeLayouts {
			if p, err := time.Parse(l, s); err == nil {
				t, parsed = p.UTC(), true
				break
			}
		}
	}
	switch {
	case !parsed:
		v.invalid("time", "Invalid time: expected RFC 3339, YYYY-MM-DD HH:MM:SS (UTC) or Unix seconds.")
	case t.Year() < 2000:
		v.invalid("time", "Must not be before the year 2000.")
	case t.After(v.now.Add(Future)):
		v.invalid("time", "Must not be more than a day in the future.")
	default:
		return t.Truncate(time.Microsecond)
	}
	return v.now
}

func isDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}

// id reads an identifier: printable text of at most MaxID bytes.
func (v *validator) id(field, s string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.missing(field)
		}
		return ""
	}
	if len(s) > MaxID || !printable(s) {
		v.invalid(field, fmt.Sprintf("Must be 1 to %d printable characters.", MaxID))
		return ""
	}
	return s
}

func (v *validator) text(field, s string, max int) string {
	if len(s) > max || !printable(s) {
		v.invalid(field, fmt.Sprintf("Must be at most %d printable characters.", max))
		return ""
	}
	return s
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// count reads an optional non-negative integer.
func (v *validator) count(field, s string, def int64) int64 {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return v.integer(field, s, 0)
}

func (v *validator) integer(field, s string, min int64) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	switch {
	case err != nil:
		v.invalid(field, "Must be an integer.")
	case n < min && min == 0:
		v.invalid(field, "Must not be negative.")
	case n < min || n > MaxCount:
		v.invalid(field, "Out of range.")
	default:
		return n
	}
	return 0
}

func (v *validator) status(field, s string, names map[string]uint8, list string, def uint8) uint8 {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		if def == 0 {
			v.missing(field)
		}
		return def
	}
	st, ok := names[s]
	if !ok {
		v.invalid(field, "Must be one of: "+list+".")
	}
	return st
}

// money reads a currency (default v.currency) and a non-negative decimal
// amount in it.
func (v *validator) money(code, amount string, required bool) (string, int64) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		code = v.currency
	}
	cur, ok := money.Lookup(code)
	if !ok {
		v.invalid("currency", "Unknown currency: give an ISO 4217 code such as EUR or USD.")
		return code, 0
	}
	amount = strings.TrimSpace(amount)
	if amount == "" {
		if required {
			v.missing("amount")
		}
		return code, 0
	}
	n, err := money.Parse(amount, cur.Digits)
	switch {
	case errors.Is(err, money.ErrPrecision):
		v.invalid("amount", fmt.Sprintf("At most %d decimals in %s.", cur.Digits, code))
	case err != nil:
		v.invalid("amount", "Must be a decimal amount such as 29.99.")
	case n < 0:
		v.invalid("amount", "Must not be negative.")
	case n > MaxAmount:
		v.invalid("amount", "Too large.")
	default:
		return code, n
	}
	return code, 0
}
