package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/stats/activity"
)

// Activity runs the activity.Store contract. newStore returns an empty store.
func Activity(t *testing.T, newStore func(t *testing.T) activity.Store) {
	ctx := context.Background()
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	entry := func(site, customer int64, typ, text string, at time.Time, dedupe string) activity.Entry {
		return activity.Entry{SiteID: site, CustomerID: customer, Type: typ, Text: text, URN: "urn:" + text,
			UserName: "key", UserProfil: activity.ProfileAPIKey, At: at, Dedupe: dedupe}
	}

	t.Run("add skips what was recorded; list is the site's and its customer's, newest first", func(t *testing.T) {
		s := newStore(t)
		n, err := s.Add(ctx, []activity.Entry{
			entry(1, 5, activity.TypeUpdate, "a", base, "d1"),
			entry(1, 5, activity.TypeCheckout, "b", base.Add(time.Minute), ""),
			entry(0, 5, activity.TypeUpdate, "customer-wide", base.Add(2*time.Minute), "d2"),
			entry(2, 6, activity.TypeUpdate, "other site", base.Add(3*time.Minute), ""),
			entry(0, 6, activity.TypeUpdate, "other customer", base.Add(4*time.Minute), ""),
			entry(1, 5, activity.TypeForm, "c", base.Add(2*time.Minute), ""),
		})
		if err != nil || n != 6 {
			t.Fatalf("add: %d %v", n, err)
		}
		n, err = s.Add(ctx, []activity.Entry{entry(1, 5, activity.TypeUpdate, "a again", base, "d1"), entry(1, 5, activity.TypeUpdate, "new", base, "d3")})
		if err != nil || n != 1 {
			t.Fatalf("add again: %d %v, want only the new one", n, err)
		}
		got, total, err := s.List(ctx, activity.Filter{SiteID: 1, CustomerID: 5})
		if err != nil {
			t.Fatal(err)
		}
		texts := []string{}
		for _, e := range got {
			texts = append(texts, e.Text)
		}
		// Two entries at +2min: the later added (higher id) first.
		want := []string{"c", "customer-wide", "b", "new", "a"}
		if total != 5 || !equal(texts, want) {
			t.Fatalf("list %v (total %d), want %v", texts, total, want)
		}
		if e := got[4]; e.SiteID != 1 || e.CustomerID != 5 || e.Type != activity.TypeUpdate || e.URN != "urn:a" ||
			e.UserName != "key" || e.UserProfil != activity.ProfileAPIKey || !e.At.Equal(base) || e.ID == 0 {
			t.Fatalf("entry read back %+v", e)
		}
		// Without a customer, only the site's own.
		if _, total, _ := s.List(ctx, activity.Filter{SiteID: 1}); total != 4 {
			t.Fatalf("site only: %d", total)
		}
		page, total, _ := s.List(ctx, activity.Filter{SiteID: 1, CustomerID: 5, Offset: 1, Limit: 2})
		if total != 5 || len(page) != 2 || page[0].Text != "customer-wide" || page[1].Text != "b" {
			t.Fatalf("page %+v %d", page, total)
		}
		byType, total, _ := s.List(ctx, activity.Filter{SiteID: 1, CustomerID: 5, Types: []string{activity.TypeCheckout, activity.TypeForm}})
		if total != 2 || len(byType) != 2 || byType[0].Text != "c" {
			t.Fatalf("by type %+v", byType)
		}
		since, total, _ := s.List(ctx, activity.Filter{SiteID: 1, CustomerID: 5, Since: base.Add(time.Minute)})
		if total != 3 || len(since) != 3 {
			t.Fatalf("since %+v", since)
		}
		past, total, _ := s.List(ctx, activity.Filter{SiteID: 1, CustomerID: 5, Offset: 10, Limit: 2})
		if total != 5 || past == nil || len(past) != 0 {
			t.Fatalf("past the end: %v %d", past, total)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
