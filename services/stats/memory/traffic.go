package memory

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

// Append stores a batch.
func (s *Store) Append(_ context.Context, b traffic.Batch) (traffic.Appended, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.site(b.SiteID)
	if b.Key != nil {
		if k, ok := st.keys[b.Key.Key]; ok {
			if !bytes.Equal(k.fingerprint, b.Key.Fingerprint) {
				return traffic.Appended{}, traffic.ErrKeyReused
			}
			return traffic.Appended{Accepted: k.accepted, Replayed: true}, nil
		}
		st.keys[b.Key.Key] = key{fingerprint: slices.Clone(b.Key.Fingerprint), accepted: len(b.Events)}
	}
	st.events = append(st.events, b.Events...)
	for _, d := range b.Days {
		cur := st.days[d.Date]
		if cur == nil {
			cur = &traffic.Day{Date: d.Date}
			st.days[d.Date] = cur
		}
		cur.Visits += d.Visits
		cur.Pageviews += d.Pageviews
		cur.Carts += d.Carts
		cur.Bytes += d.Bytes
	}
	states, sales := traffic.ApplyOrders(st.orders, b.Events)
	for _, o := range states {
		st.orders[o.ID] = o
	}
	for _, sale := range sales {
		k := saleKey{sale.Date, sale.Currency}
		cur := st.sales[k]
		if cur == nil {
			cur = &traffic.Sale{Date: sale.Date, Currency: sale.Currency}
			st.sales[k] = cur
		}
		cur.Amount += sale.Amount
		cur.Orders += sale.Orders
	}
	latest := func(m map[string]traffic.Event, typ traffic.Type) {
		for _, e := range traffic.Latest(b.Events, typ) {
			if old, ok := m[e.Ref]; !ok || !e.At.Before(old.At) {
				m[e.Ref] = e
			}
		}
	}
	latest(st.responses, traffic.FormResponse)
	latest(st.stock, traffic.Stock)
	for _, f := range traffic.Distinct(b.Events, traffic.FormIDs) {
		st.forms[f] = true
	}
	for _, u := range traffic.Distinct(b.Events, traffic.UserIDs) {
		st.users[u] = true
	}
	s.addEntries(b.Activity)
	return traffic.Appended{Accepted: len(b.Events)}, nil
}

// AddHits adds API hits.
func (s *Store) AddHits(_ context.Context, hits []traffic.Hits) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range hits {
		day := traffic.DayOf(h.Day)
		if h.SiteID != 0 {
			st := s.site(h.SiteID)
			d := st.days[day]
			if d == nil {
				d = &traffic.Day{Date: day}
				st.days[day] = d
			}
			d.APIHits += h.Count
			continue
		}
		if s.customerHits[h.CustomerID] == nil {
			s.customerHits[h.CustomerID] = map[time.Time]int64{}
		}
		s.customerHits[h.CustomerID][day] += h.Count
	}
	return nil
}

// Days returns a site's rollup between two days.
func (s *Store) Days(_ context.Context, siteID int64, from, to time.Time) ([]traffic.Day, []traffic.Sale, error) {
	if to.Before(from) {
		return nil, nil, errs.InvalidField("end_date", "Must not be before start_date.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.sites[siteID]
	days, sales := []traffic.Day{}, []traffic.Sale{}
	if st == nil {
		return days, sales, nil
	}
	from, to = traffic.DayOf(from), traffic.DayOf(to)
	in := func(d time.Time) bool { return !d.Before(from) && !d.After(to) }
	for _, d := range slices.SortedFunc(maps.Keys(st.days), time.Time.Compare) {
		if in(d) && !st.days[d].IsZero() {
			days = append(days, *st.days[d])
		}
	}
	for _, sale := range st.sales {
		if in(sale.Date) {
			sales = append(sales, *sale)
		}
	}
	slices.SortFunc(sales, func(a, b traffic.Sale) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return compareStrings(a.Currency, b.Currency)
	})
	return days, sales, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Snapshot returns a site's dashboard figures.
func (s *Store) Snapshot(_ context.Context, siteID int64, since time.Time) (traffic.Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := traffic.Snapshot{Pending: []traffic.Money{}, Paid: []traffic.Money{}}
	st := s.sites[siteID]
	if st == nil {
		return out, nil
	}
	day := traffic.DayOf(since)
	pending, paid := map[string]*traffic.Money{}, map[string]*traffic.Money{}
	add := func(m map[string]*traffic.Money, cur string, orders, amount int64) {
		if m[cur] == nil {
			m[cur] = &traffic.Money{Currency: cur}
		}
		m[cur].Orders += orders
		m[cur].Amount += amount
	}
	for _, o := range st.orders {
		if o.Pending() {
			add(pending, o.Currency, 1, o.Amount)
		}
	}
	for _, sale := range st.sales {
		if !sale.Date.Before(day) {
			add(paid, sale.Currency, sale.Orders, sale.Amount)
		}
	}
	for d, v := range st.days {
		if !d.Before(day) {
			out.Visits += v.Visits
		}
	}
	for _, e := range st.responses {
		if e.Status == traffic.FormUnread {
			out.UnreadResponses++
		}
	}
	for _, e := range st.stock {
		if e.Quantity <= 0 {
			out.StockShortage++
		}
		if e.Quantity <= e.Threshold {
			out.Refillable++
		}
	}
	for _, m := range pending {
		out.Pending = append(out.Pending, *m)
	}
	for _, m := range paid {
		out.Paid = append(out.Paid, *m)
	}
	traffic.SortMoney(out.Pending)
	traffic.SortMoney(out.Paid)
	return out, nil
}

// Counters returns what a site used and holds.
func (s *Store) Counters(_ context.Context, siteID int64, since time.Time) (traffic.Counters, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var c traffic.Counters
	st := s.sites[siteID]
	if st == nil {
		return c, nil
	}
	day := traffic.DayOf(since)
	for d, v := range st.days {
		if !d.Before(day) {
			c.Bytes += v.Bytes
			c.APIHits += v.APIHits
		}
	}
	c.Forms, c.Products, c.Users = int64(len(st.forms)), int64(len(st.stock)), int64(len(st.users))
	return c, nil
}

// Events returns a site's raw events in the order they were stored.
func (s *Store) Events(_ context.Context, siteID int64) ([]traffic.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.sites[siteID]; st != nil {
		return slices.Clone(st.events), nil
	}
	return []traffic.Event{}, nil
}
