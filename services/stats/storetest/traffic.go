// Package storetest holds the contracts every stats store adapter must
// pass: memory and postgres run Traffic, Activity and Projection, memory
// and redisstore run Live.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

// Traffic runs the traffic.Store contract. newStore returns an empty store.
func Traffic(t *testing.T, newStore func(t *testing.T) traffic.Store) {
	ctx := context.Background()
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	day := traffic.DayOf(base)

	t.Run("append stores events, rollups and states", func(t *testing.T) {
		s := newStore(t)
		evs := []traffic.Event{
			{Type: traffic.Pageview, At: base, Visitor: "a", Path: "/", Bytes: 100},
			{Type: traffic.Pageview, At: base.Add(time.Minute), Visitor: "b", Bytes: 50},
			{Type: traffic.Visit, At: base, Visitor: "a"},
			{Type: traffic.Cart, At: base, Ref: "c1", Amount: 1000, Currency: "EUR"},
			{Type: traffic.Order, At: base, Ref: "o1", Status: traffic.OrderPending, Amount: 2990, Currency: "EUR", UserID: "u1"},
			{Type: traffic.Order, At: base, Ref: "o2", Status: traffic.OrderPaid, Amount: 1500, Currency: "EUR"},
			{Type: traffic.FormResponse, At: base, Ref: "r1", FormID: "contact", Status: traffic.FormUnread, UserID: "u2"},
			{Type: traffic.Stock, At: base, Ref: "p1", Quantity: 0, Threshold: 3},
			{Type: traffic.Stock, At: base, Ref: "p2", Quantity: 2, Threshold: 3},
			{Type: traffic.Stock, At: base, Ref: "p3", Quantity: 9, Threshold: 3},
		}
		res, err := s.Append(ctx, Batch(1, evs))
		if err != nil || res.Accepted != len(evs) || res.Replayed {
			t.Fatalf("append: %+v %v", res, err)
		}
		days, sales, err := s.Days(ctx, 1, day.AddDate(0, 0, -1), day.AddDate(0, 0, 1))
		want := []traffic.Day{{Date: day, Visits: 1, Pageviews: 2, Carts: 1, Bytes: 150}}
		if err != nil || !reflect.DeepEqual(days, want) {
			t.Fatalf("days %+v %v, want %+v", days, err, want)
		}
		if len(sales) != 1 || !sales[0].Date.Equal(day) || sales[0].Amount != 1500 || sales[0].Orders != 1 || sales[0].Currency != "EUR" {
			t.Fatalf("sales %+v", sales)
		}
		snap, err := s.Snapshot(ctx, 1, day)
		if err != nil {
			t.Fatal(err)
		}
		wantSnap := traffic.Snapshot{
			Pending: []traffic.Money{{Currency: "EUR", Orders: 1, Amount: 2990}},
			Paid:    []traffic.Money{{Currency: "EUR", Orders: 1, Amount: 1500}},
			Visits:  1, UnreadResponses: 1, StockShortage: 1, Refillable: 2,
		}
		if !reflect.DeepEqual(snap, wantSnap) {
			t.Fatalf("snapshot %+v, want %+v", snap, wantSnap)
		}
		c, err := s.Counters(ctx, 1, day)
		if err != nil || c != (traffic.Counters{Bytes: 150, Forms: 1, Products: 3, Users: 2}) {
			t.Fatalf("counters %+v %v", c, err)
		}
		got, err := s.Events(ctx, 1)
		if err != nil || !reflect.DeepEqual(got, evs) {
			t.Fatalf("events back:\n%+v\nwant\n%+v (%v)", got, evs, err)
		}
		// Another site sees none of it.
		if days, _, _ := s.Days(ctx, 2, day, day); len(days) != 0 {
			t.Fatalf("site 2 sees %+v", days)
		}
	})

	t.Run("states keep the latest event and sales count an order once", func(t *testing.T) {
		s := newStore(t)
		must := func(evs ...traffic.Event) {
			t.Helper()
			if _, err := s.Append(ctx, Batch(1, evs)); err != nil {
				t.Fatal(err)
			}
		}
		must(traffic.Event{Type: traffic.Order, At: base, Ref: "o1", Status: traffic.OrderPaid, Amount: 100, Currency: "EUR"})
		// Paid again, later: no second sale. Cancelled before: an older event, ignored.
		must(traffic.Event{Type: traffic.Order, At: base.Add(time.Hour), Ref: "o1", Status: traffic.OrderPaid, Amount: 100, Currency: "EUR"},
			traffic.Event{Type: traffic.Order, At: base.Add(-time.Hour), Ref: "o1", Status: traffic.OrderCancelled, Amount: 100, Currency: "EUR"})
		// A response read then an older unread: stays read. Stock: the older level is ignored.
		must(traffic.Event{Type: traffic.FormResponse, At: base, Ref: "r1", Status: traffic.FormRead},
			traffic.Event{Type: traffic.Stock, At: base, Ref: "p1", Quantity: 5, Threshold: 1})
		must(traffic.Event{Type: traffic.FormResponse, At: base.Add(-time.Minute), Ref: "r1", Status: traffic.FormUnread},
			traffic.Event{Type: traffic.Stock, At: base.Add(-time.Minute), Ref: "p1", Quantity: 0, Threshold: 1})
		_, sales, _ := s.Days(ctx, 1, day, day)
		if len(sales) != 1 || sales[0].Orders != 1 || sales[0].Amount != 100 {
			t.Fatalf("sales %+v", sales)
		}
		snap, _ := s.Snapshot(ctx, 1, day)
		if snap.UnreadResponses != 0 || snap.StockShortage != 0 || len(snap.Pending) != 0 {
			t.Fatalf("snapshot %+v", snap)
		}
	})

	t.Run("an idempotency key stores a batch once", func(t *testing.T) {
		s := newStore(t)
		b := Batch(1, []traffic.Event{{Type: traffic.Pageview, At: base}, {Type: traffic.Pageview, At: base}})
		b.Key = &traffic.IdempotencyKey{Key: "k1", Fingerprint: []byte("body-1"), At: base}
		if res, err := s.Append(ctx, b); err != nil || res.Accepted != 2 || res.Replayed {
			t.Fatalf("first: %+v %v", res, err)
		}
		again := Batch(1, []traffic.Event{{Type: traffic.Pageview, At: base}, {Type: traffic.Pageview, At: base}})
		again.Key = &traffic.IdempotencyKey{Key: "k1", Fingerprint: []byte("body-1"), At: base}
		if res, err := s.Append(ctx, again); err != nil || res.Accepted != 2 || !res.Replayed {
			t.Fatalf("replay: %+v %v", res, err)
		}
		other := Batch(1, []traffic.Event{{Type: traffic.Pageview, At: base}})
		other.Key = &traffic.IdempotencyKey{Key: "k1", Fingerprint: []byte("body-2"), At: base}
		if _, err := s.Append(ctx, other); !errors.Is(err, errs.Conflict) {
			t.Fatalf("reused key with another body: %v, want conflict", err)
		}
		// The same key on another site is another key.
		elsewhere := Batch(2, []traffic.Event{{Type: traffic.Pageview, At: base}})
		elsewhere.Key = &traffic.IdempotencyKey{Key: "k1", Fingerprint: []byte("body-3"), At: base}
		if res, err := s.Append(ctx, elsewhere); err != nil || res.Replayed {
			t.Fatalf("other site: %+v %v", res, err)
		}
		days, _, _ := s.Days(ctx, 1, day, day)
		if len(days) != 1 || days[0].Pageviews != 2 {
			t.Fatalf("days %+v: the replay was stored", days)
		}
	})

	t.Run("hits add up per site and day; customers apart", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Append(ctx, Batch(1, []traffic.Event{{Type: traffic.Pageview, At: base}})); err != nil {
			t.Fatal(err)
		}
		hits := []traffic.Hits{{SiteID: 1, Day: day, Count: 3}, {SiteID: 1, Day: day, Count: 4},
			{SiteID: 1, Day: day.AddDate(0, 0, 1), Count: 1}, {CustomerID: 9, Day: day, Count: 5}}
		if err := s.AddHits(ctx, hits); err != nil {
			t.Fatal(err)
		}
		if err := s.AddHits(ctx, hits[:1]); err != nil {
			t.Fatal(err)
		}
		days, _, _ := s.Days(ctx, 1, day, day.AddDate(0, 0, 1))
		if len(days) != 2 || days[0].APIHits != 10 || days[0].Pageviews != 1 || days[1].APIHits != 1 {
			t.Fatalf("days %+v", days)
		}
		c, _ := s.Counters(ctx, 1, day.AddDate(0, 0, 1))
		if c.APIHits != 1 {
			t.Fatalf("counters since the next day: %+v", c)
		}
	})

	t.Run("days across month and year boundaries", func(t *testing.T) {
		s := newStore(t)
		var evs []traffic.Event
		start := time.Date(2025, 12, 30, 23, 59, 59, 0, time.UTC)
		for i := range 5 {
			evs = append(evs, traffic.Event{Type: traffic.Visit, At: start.Add(time.Duration(i) * 24 * time.Hour), Visitor: "x"})
		}
		evs = append(evs, traffic.Event{Type: traffic.Visit, At: time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC), Visitor: "y"},
			traffic.Event{Type: traffic.Visit, At: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Visitor: "y"})
		if _, err := s.Append(ctx, Batch(1, evs)); err != nil {
			t.Fatal(err)
		}
		days, _, _ := s.Days(ctx, 1, time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
		if len(days) != 3 || days[0].Date.Day() != 31 || days[2].Date != time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) {
			t.Fatalf("new year: %+v", days)
		}
		days, _, _ = s.Days(ctx, 1, time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
		if len(days) != 2 || days[0].Visits != 1 || days[1].Visits != 1 {
			t.Fatalf("end of February: %+v", days)
		}
	})

	t.Run("property: rollups equal a recount from the raw events", func(t *testing.T) {
		s := newStore(t) // each seed has a site of its own
		for seed := range uint64(12) {
			t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
				site := 100 + int64(seed)
				r := rand.New(rand.NewPCG(seed, 42))
				evs := RandomEvents(r, 50+r.IntN(250), base)
				for i := 0; i < len(evs); {
					n := 1 + r.IntN(40)
					n = min(n, len(evs)-i)
					if _, err := s.Append(ctx, Batch(site, evs[i:i+n])); err != nil {
						t.Fatal(err)
					}
					i += n
				}
				checkRecount(t, s, site, base)
			})
		}
	})

	t.Run("concurrent batches lose nothing and still recount", func(t *testing.T) {
		s := newStore(t)
		const writers, batches = 6, 8
		var wg sync.WaitGroup
		errc := make(chan error, writers*batches)
		total := 0
		all := make([][]traffic.Event, writers*batches)
		for i := range all {
			all[i] = RandomEvents(rand.New(rand.NewPCG(uint64(i), 7)), 40, base)
			total += len(all[i])
		}
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := range batches {
					if _, err := s.Append(ctx, Batch(3, all[w*batches+b])); err != nil {
						errc <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		stored, _ := s.Events(ctx, 3)
		if len(stored) != total {
			t.Fatalf("%d events stored, want %d", len(stored), total)
		}
		checkRecount(t, s, 3, base)
	})
}

// checkRecount compares what the store reads for site with a recount of
// its raw events.
func checkRecount(t *testing.T, s traffic.Store, site int64, base time.Time) {
	t.Helper()
	ctx := context.Background()
	evs, err := s.Events(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	want := traffic.RecountEvents(evs)
	from, to := traffic.DayOf(base.AddDate(0, 0, -3)), traffic.DayOf(base.AddDate(0, 0, 3))
	days, sales, err := s.Days(ctx, site, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Days) == 0 {
		want.Days = []traffic.Day{}
	}
	if !reflect.DeepEqual(days, want.Days) {
		t.Errorf("days\n%+v\nrecount\n%+v", days, want.Days)
	}
	if len(want.Sales) == 0 {
		want.Sales = []traffic.Sale{}
	}
	if !reflect.DeepEqual(sales, want.Sales) {
		t.Errorf("sales\n%+v\nrecount\n%+v", sales, want.Sales)
	}
	for _, since := range []time.Time{from, base} {
		snap, err := s.Snapshot(ctx, site, since)
		if err != nil {
			t.Fatal(err)
		}
		if w := want.Snapshot(since); !reflect.DeepEqual(snap, w) {
			t.Errorf("snapshot since %s\n%+v\nrecount\n%+v", since, snap, w)
		}
	}
	c, err := s.Counters(ctx, site, from)
	if err != nil {
		t.Fatal(err)
	}
	var bytes int64
	for _, d := range want.Days {
		bytes += d.Bytes
	}
	wc := traffic.Counters{Bytes: bytes, Forms: int64(len(want.Forms)), Products: int64(len(want.Stock)), Users: int64(len(want.Users))}
	if c != wc {
		t.Errorf("counters %+v, recount %+v", c, wc)
	}
}
