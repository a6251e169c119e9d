package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/projection"
)

// Store is what Projection needs: the records and the logs they add to.
type Store interface {
	projection.Store
	activity.Store
}

// Projection runs the projection.Store contract. newStore returns an empty
// store.
func Projection(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	apply := func(t *testing.T, s Store, id string, c projection.Change) bool {
		t.Helper()
		first, err := s.Apply(ctx, "stats", id, c)
		if err != nil {
			t.Fatal(err)
		}
		return first
	}

	t.Run("an event applies once, with its entry", func(t *testing.T) {
		s := newStore(t)
		c := projection.Change{
			Customer: &projection.Customer{ID: 1, Status: "active", At: at},
			Entry:    &activity.Entry{CustomerID: 1, Type: activity.TypeUpdate, Text: "Customer #1 created", At: at, Dedupe: "event:e1"},
		}
		if !apply(t, s, "e1", c) {
			t.Fatal("first delivery not applied")
		}
		if apply(t, s, "e1", c) {
			t.Fatal("second delivery applied")
		}
		// Another group applies it for itself.
		if first, err := s.Apply(ctx, "other", "e1", projection.Change{}); err != nil || !first {
			t.Fatalf("other group: %v %v", first, err)
		}
		counts, _ := s.Counts(ctx, 0)
		if counts.Customers["active"] != 1 {
			t.Fatalf("counts %+v", counts)
		}
		if _, total, _ := s.List(ctx, activity.Filter{SiteID: 99, CustomerID: 1}); total != 1 {
			t.Fatalf("%d entries, want 1", total)
		}
	})

	t.Run("newer records win, older are ignored, deleted stay deleted", func(t *testing.T) {
		s := newStore(t)
		apply(t, s, "1", projection.Change{Customer: &projection.Customer{ID: 1, Status: "active", At: at}})
		apply(t, s, "2", projection.Change{Customer: &projection.Customer{ID: 1, Status: "suspended", EmailVerified: true, At: at.Add(time.Minute)}})
		apply(t, s, "3", projection.Change{Customer: &projection.Customer{ID: 1, Status: "pending", At: at.Add(-time.Minute)}})
		counts, _ := s.Counts(ctx, 0)
		if counts.Customers["suspended"] != 1 || counts.Confirmed != 1 || len(counts.Customers) != 1 {
			t.Fatalf("after an older update: %+v", counts)
		}
		apply(t, s, "4", projection.Change{Customer: &projection.Customer{ID: 1, Status: "suspended", Deleted: true, At: at.Add(2 * time.Minute)}})
		apply(t, s, "5", projection.Change{Customer: &projection.Customer{ID: 1, Status: "active", At: at.Add(3 * time.Minute)}})
		if counts, _ := s.Counts(ctx, 0); len(counts.Customers) != 0 || counts.Confirmed != 0 {
			t.Fatalf("a deleted customer came back: %+v", counts)
		}
	})

	t.Run("counts by status and revenue, for everyone or one customer", func(t *testing.T) {
		s := newStore(t)
		n := 0
		id := func() string { n++; return string(rune('a'+n)) + "-event" }
		for i, st := range []string{"active", "active", "pending", "banned"} {
			apply(t, s, id(), projection.Change{Customer: &projection.Customer{ID: int64(i + 1), Status: st, EmailVerified: i == 0, At: at}})
		}
		for i, st := range []string{"active", "on-hold", "active", "cancelled"} {
			apply(t, s, id(), projection.Change{Membership: &projection.Membership{ID: int64(i + 1), CustomerID: int64(1 + i%2),
				PlanID: 3, SiteID: int64(10 + i), Status: st, At: at}})
		}
		pays := []projection.Payment{
			{ID: 1, CustomerID: 1, MembershipID: 1, Total: 2999, Currency: "EUR", Status: "completed", At: at},
			{ID: 2, CustomerID: 2, MembershipID: 2, Total: 1000, Currency: "EUR", Status: "completed", At: at},
			{ID: 3, CustomerID: 1, MembershipID: 1, Total: 500, Currency: "USD", Status: "completed", At: at},
			{ID: 4, CustomerID: 1, MembershipID: 1, Total: 9999, Currency: "EUR", Status: "pending", At: at},
		}
		for i := range pays {
			apply(t, s, id(), projection.Change{Payment: &pays[i]})
		}
		c, err := s.Counts(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := projection.Counts{
			Customers: map[string]int64{"active": 2, "pending": 1, "banned": 1}, Confirmed: 1,
			Services: map[string]int64{"active": 2, "on-hold": 1, "cancelled": 1},
			Revenue:  []projection.Revenue{{Currency: "EUR", Total: 3999, Payments: 2}, {Currency: "USD", Total: 500, Payments: 1}},
		}
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("counts\n%+v\nwant\n%+v", c, want)
		}
		c, _ = s.Counts(ctx, 1)
		want = projection.Counts{
			Customers: map[string]int64{"active": 1}, Confirmed: 1,
			Services: map[string]int64{"active": 2},
			Revenue:  []projection.Revenue{{Currency: "EUR", Total: 2999, Payments: 1}, {Currency: "USD", Total: 500, Payments: 1}},
		}
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("customer 1\n%+v\nwant\n%+v", c, want)
		}
		if site, err := s.MembershipSite(ctx, 2); err != nil || site != 11 {
			t.Fatalf("membership site %d %v", site, err)
		}
		if site, err := s.MembershipSite(ctx, 99); err != nil || site != 0 {
			t.Fatalf("unknown membership site %d %v", site, err)
		}
	})

	t.Run("sites by code and id; deleted ones are not found", func(t *testing.T) {
		s := newStore(t)
		apply(t, s, "s1", projection.Change{Site: &projection.Site{ID: 1, Code: "shop", CustomerID: 5, Status: "open", At: at}})
		apply(t, s, "s2", projection.Change{Site: &projection.Site{ID: 2, Code: "blog", CustomerID: 6, Status: "open", At: at}})
		got, err := s.SiteByCode(ctx, "shop")
		if err != nil || got.ID != 1 || got.CustomerID != 5 || got.Status != "open" {
			t.Fatalf("by code %+v %v", got, err)
		}
		if got, err := s.SiteByID(ctx, 2); err != nil || got.Code != "blog" {
			t.Fatalf("by id %+v %v", got, err)
		}
		apply(t, s, "s3", projection.Change{Site: &projection.Site{ID: 1, Code: "shop", CustomerID: 5, Status: "closed", Deleted: true, At: at.Add(time.Minute)}})
		if _, err := s.SiteByCode(ctx, "shop"); !errors.Is(err, errs.NotFound) {
			t.Fatalf("deleted by code: %v", err)
		}
		if _, err := s.SiteByID(ctx, 1); !errors.Is(err, errs.NotFound) {
			t.Fatalf("deleted by id: %v", err)
		}
		// The code comes back with a new site.
		apply(t, s, "s4", projection.Change{Site: &projection.Site{ID: 3, Code: "shop", CustomerID: 7, Status: "open", At: at.Add(2 * time.Minute)}})
		if got, err := s.SiteByCode(ctx, "shop"); err != nil || got.ID != 3 {
			t.Fatalf("reused code %+v %v", got, err)
		}
	})
}
