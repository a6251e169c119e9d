package traffic

import (
	"cmp"
	"slices"
	"time"
)

// Day is one UTC day of a site's daily rollup.
type Day struct {
	Date      time.Time // midnight UTC
	Visits    int64
	Pageviews int64
	APIHits   int64
	Carts     int64
	Bytes     int64 // pageview bytes (bandwidth)
}

// IsZero reports whether the day counts nothing.
func (d Day) IsZero() bool {
	return d.Visits == 0 && d.Pageviews == 0 && d.APIHits == 0 && d.Carts == 0 && d.Bytes == 0
}

// Sale is what a site's paid orders brought on one day in one currency.
type Sale struct {
	Date     time.Time
	Currency string
	Amount   int64 // minor units
	Orders   int64
}

// DayTotals counts a batch's visits, pageviews, carts and pageview bytes by
// UTC day, in day order (the order stores lock rollup rows in).
func DayTotals(evs []Event) []Day {
	byDay := map[time.Time]*Day{}
	for _, e := range evs {
		if e.Type != Pageview && e.Type != Visit && e.Type != Cart {
			continue
		}
		day := DayOf(e.At)
		d := byDay[day]
		if d == nil {
			d = &Day{Date: day}
			byDay[day] = d
		}
		switch e.Type {
		case Pageview:
			d.Pageviews++
			d.Bytes += e.Bytes
		case Visit:
			d.Visits++
		case Cart:
			d.Carts++
		}
	}
	out := make([]Day, 0, len(byDay))
	for _, d := range byDay {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b Day) int { return a.Date.Compare(b.Date) })
	return out
}

// OrderState is what is known of one order: the latest event's status,
// amount and currency, and when it was first seen paid.
type OrderState struct {
	ID       string
	Status   uint8
	Amount   int64
	Currency string
	At       time.Time  // time of the event the state comes from (zero: never seen)
	PaidAt   *time.Time // the first paid event's time
}

// Pending reports whether the order waits to be handled: its latest status
// is pending and it was never paid.
func (o OrderState) Pending() bool { return o.Status == OrderPending && o.PaidAt == nil }

// ApplyOrders folds a batch's order events, in the batch's order, into the
// previous states of their orders (missing: never seen). An event replaces
// the state when it is at least as recent (a later arrival wins a tie). A
// sale is made once per order, by the first paid event that reaches it,
// on that event's day, for that event's amount. It returns the new states
// of the orders the batch names, by id, and the sales, by day and currency.
func ApplyOrders(prev map[string]OrderState, evs []Event) ([]OrderState, []Sale) {
	next := map[string]OrderState{}
	sales := map[saleKey]*Sale{}
	for _, e := range evs {
		if e.Type != Order {
			continue
		}
		s, ok := next[e.Ref]
		if !ok {
			s = prev[e.Ref]
			s.ID = e.Ref
		}
		if e.Status == OrderPaid && s.PaidAt == nil {
			at := e.At
			s.PaidAt = &at
			k := saleKey{DayOf(e.At), e.Currency}
			sale := sales[k]
			if sale == nil {
				sale = &Sale{Date: k.day, Currency: k.currency}
				sales[k] = sale
			}
			sale.Amount += e.Amount
			sale.Orders++
		}
		if s.At.IsZero() || !e.At.Before(s.At) {
			s.Status, s.Amount, s.Currency, s.At = e.Status, e.Amount, e.Currency, e.At
		}
		next[e.Ref] = s
	}
	states := make([]OrderState, 0, len(next))
	for _, s := range next {
		states = append(states, s)
	}
	slices.SortFunc(states, func(a, b OrderState) int { return cmp.Compare(a.ID, b.ID) })
	return states, SortSales(sales)
}

type saleKey struct {
	day      time.Time
	currency string
}

// SortSales lists sales by day, then currency.
func SortSales(m map[saleKey]*Sale) []Sale {
	out := make([]Sale, 0, len(m))
	for _, s := range m {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Sale) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.Currency, b.Currency)
	})
	return out
}

// Latest keeps, of a batch's events of type typ, the most recent one per
// Ref (a later arrival wins a tie), in Ref order: the form responses or
// stock levels a batch leaves.
func Latest(evs []Event, typ Type) []Event {
	last := map[string]Event{}
	for _, e := range evs {
		if e.Type != typ {
			continue
		}
		if old, ok := last[e.Ref]; ok && e.At.Before(old.At) {
			continue
		}
		last[e.Ref] = e
	}
	out := make([]Event, 0, len(last))
	for _, e := range last {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Event) int { return cmp.Compare(a.Ref, b.Ref) })
	return out
}

// Distinct lists the distinct non-empty values pick gives for a batch's
// events, sorted.
func Distinct(evs []Event, pick func(Event) string) []string {
	var out []string
	for _, e := range evs {
		if v := pick(e); v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// FormIDs picks the form of a form response.
func FormIDs(e Event) string {
	if e.Type == FormResponse {
		return e.FormID
	}
	return ""
}

// UserIDs picks the user of an event.
func UserIDs(e Event) string { return e.UserID }
