package traffic

import (
	"cmp"
	"maps"
	"slices"
	"time"
)

// Recount computes from a site's raw events, in the order they were
// stored, what the rollups and states hold: it is the definition Append
// must keep up to (and what a rollup rebuild would use).
type Recount struct {
	Days      []Day  // days with events, in day order (APIHits are not events: 0)
	Sales     []Sale // by day, then currency
	Orders    map[string]OrderState
	Responses map[string]Event // latest form response per id
	Stock     map[string]Event // latest stock level per product
	Forms     []string
	Users     []string
}

// RecountEvents replays evs.
func RecountEvents(evs []Event) Recount {
	r := Recount{Days: DayTotals(evs), Orders: map[string]OrderState{}, Responses: map[string]Event{}, Stock: map[string]Event{}}
	states, sales := ApplyOrders(nil, evs)
	for _, s := range states {
		r.Orders[s.ID] = s
	}
	r.Sales = sales
	for _, e := range Latest(evs, FormResponse) {
		r.Responses[e.Ref] = e
	}
	for _, e := range Latest(evs, Stock) {
		r.Stock[e.Ref] = e
	}
	r.Forms = Distinct(evs, FormIDs)
	r.Users = Distinct(evs, UserIDs)
	return r
}

// Snapshot is the snapshot the recount gives, with the visits and sales
// of the days since a time's day.
func (r Recount) Snapshot(since time.Time) Snapshot {
	var s Snapshot
	pending, paid := map[string]*Money{}, map[string]*Money{}
	add := func(m map[string]*Money, cur string, amount int64) {
		if m[cur] == nil {
			m[cur] = &Money{Currency: cur}
		}
		m[cur].Orders++
		m[cur].Amount += amount
	}
	for _, o := range r.Orders {
		if o.Pending() {
			add(pending, o.Currency, o.Amount)
		}
	}
	for _, sale := range r.Sales {
		if !sale.Date.Before(DayOf(since)) {
			if paid[sale.Currency] == nil {
				paid[sale.Currency] = &Money{Currency: sale.Currency}
			}
			paid[sale.Currency].Orders += sale.Orders
			paid[sale.Currency].Amount += sale.Amount
		}
	}
	s.Pending = sortedMoney(pending)
	s.Paid = sortedMoney(paid)
	for _, d := range r.Days {
		if !d.Date.Before(DayOf(since)) {
			s.Visits += d.Visits
		}
	}
	for _, e := range r.Responses {
		if e.Status == FormUnread {
			s.UnreadResponses++
		}
	}
	for _, e := range r.Stock {
		if e.Quantity <= 0 {
			s.StockShortage++
		}
		if e.Quantity <= e.Threshold {
			s.Refillable++
		}
	}
	return s
}

func sortedMoney(m map[string]*Money) []Money {
	out := make([]Money, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, *m[k])
	}
	return out
}

// SortMoney orders amounts by currency.
func SortMoney(ms []Money) {
	slices.SortFunc(ms, func(a, b Money) int { return cmp.Compare(a.Currency, b.Currency) })
}
