package traffic

import (
	"cmp"
	"slices"
	"time"
)

// MaxReportDays bounds a report's range.
const MaxReportDays = 366

// Report is a site's traffic and sales between two days, one entry per day
// of the range (days without traffic included, with zeros).
type Report struct {
	Start, End time.Time
	Days       []Day
	Totals     Day
	// Currency is the report's currency: the one that sold most over the
	// range (else the default); Sales and DaySales are in it, other
	// currencies' totals are in OtherSales.
	Currency   string
	Sales      int64
	DaySales   []int64
	OtherSales []Money
}

// buildReport lays a site's stored days and sales over the whole range.
func buildReport(start, end time.Time, days []Day, sales []Sale, defaultCurrency string) Report {
	n := int(end.Sub(start).Hours()/24) + 1
	r := Report{Start: start, End: end, Days: make([]Day, n), DaySales: make([]int64, n)}
	for i := range r.Days {
		r.Days[i].Date = start.AddDate(0, 0, i)
	}
	index := func(d time.Time) int { return int(d.Sub(start).Hours() / 24) }
	for _, d := range days {
		i := index(d.Date)
		if i < 0 || i >= n {
			continue
		}
		r.Days[i] = d
		r.Totals.Visits += d.Visits
		r.Totals.Pageviews += d.Pageviews
		r.Totals.APIHits += d.APIHits
		r.Totals.Carts += d.Carts
		r.Totals.Bytes += d.Bytes
	}
	byCurrency := map[string]*Money{}
	for _, s := range sales {
		m := byCurrency[s.Currency]
		if m == nil {
			m = &Money{Currency: s.Currency}
			byCurrency[s.Currency] = m
		}
		m.Amount += s.Amount
		m.Orders += s.Orders
	}
	r.Currency = mainCurrency(byCurrency, defaultCurrency)
	for _, s := range sales {
		if i := index(s.Date); s.Currency == r.Currency && i >= 0 && i < n {
			r.DaySales[i] += s.Amount
		}
	}
	for c, m := range byCurrency {
		if c == r.Currency {
			r.Sales = m.Amount
		} else {
			r.OtherSales = append(r.OtherSales, *m)
		}
	}
	slices.SortFunc(r.OtherSales, func(a, b Money) int { return cmp.Compare(a.Currency, b.Currency) })
	return r
}

// mainCurrency is the currency with the most orders (then the largest
// amount, then the first by name), or def when there is none.
func mainCurrency(m map[string]*Money, def string) string {
	best := ""
	for c, v := range m {
		if best == "" {
			best = c
			continue
		}
		b := m[best]
		switch {
		case v.Orders != b.Orders:
			if v.Orders > b.Orders {
				best = c
			}
		case v.Amount != b.Amount:
			if v.Amount > b.Amount {
				best = c
			}
		case c < best:
			best = c
		}
	}
	if best == "" {
		return def
	}
	return best
}

// SiteStats are a site's dashboard figures (sb stats.json).
type SiteStats struct {
	Currency        string // of the amounts: the one with the most orders
	PendingOrders   int64
	PendingAmount   int64 // minor units
	AverageCart     int64 // of the orders paid in the last 30 days, minor units
	PaidOrders      int64 // in the last 30 days
	Visits          int64 // in the last 30 days
	Transformation  int64 // paid orders per 100 visits over 30 days, in hundredths of a percent
	UnreadResponses int64
	StockShortage   int64
	Refillable      int64
}

// StatsWindow is the period of the average cart and the transformation rate.
const StatsWindow = 30 * 24 * time.Hour

func buildStats(s Snapshot, defaultCurrency string) SiteStats {
	all := map[string]*Money{}
	add := func(ms []Money) {
		for _, m := range ms {
			a := all[m.Currency]
			if a == nil {
				a = &Money{Currency: m.Currency}
				all[m.Currency] = a
			}
			a.Orders += m.Orders
			a.Amount += m.Amount
		}
	}
	add(s.Pending)
	add(s.Paid)
	out := SiteStats{Currency: mainCurrency(all, defaultCurrency), Visits: s.Visits,
		UnreadResponses: s.UnreadResponses, StockShortage: s.StockShortage, Refillable: s.Refillable}
	for _, m := range s.Pending {
		if m.Currency == out.Currency {
			out.PendingOrders, out.PendingAmount = m.Orders, m.Amount
		}
	}
	var paidAll int64
	for _, m := range s.Paid {
		paidAll += m.Orders
		if m.Currency == out.Currency && m.Orders > 0 {
			out.AverageCart = m.Amount / m.Orders
		}
	}
	out.PaidOrders = paidAll
	if s.Visits > 0 {
		out.Transformation = paidAll * 10000 / s.Visits
	}
	return out
}
