package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hostplane/hostplane/services/billing/customers"
)

// totalsContract checks that list totals by status and email verification
// (and overall) follow every write at once: creates, status and
// verification changes, failed updates and deletes.
func totalsContract(t *testing.T, s customers.Store) {
	ctx := context.Background()
	type want struct {
		all, active, suspended, banned, none, verified, activeVerified int
	}
	check := func(t *testing.T, step string, w want) {
		t.Helper()
		for _, tt := range []struct {
			f    customers.ListFilter
			want int
		}{
			{customers.ListFilter{}, w.all},
			{customers.ListFilter{Status: "active"}, w.active},
			{customers.ListFilter{Status: "suspended"}, w.suspended},
			{customers.ListFilter{Status: "banned"}, w.banned},
			{customers.ListFilter{EmailVerification: "none"}, w.none},
			{customers.ListFilter{EmailVerification: "verified"}, w.verified},
			{customers.ListFilter{Status: "active", EmailVerification: "verified"}, w.activeVerified},
			{customers.ListFilter{Status: "active", Limit: 1, Offset: 1}, w.active},
		} {
			page, total, err := s.List(ctx, tt.f)
			if err != nil {
				t.Fatalf("%s: List(%+v): %v", step, tt.f, err)
			}
			if total != tt.want {
				t.Fatalf("%s: List(%+v) total %d, want %d", step, tt.f, total, tt.want)
			}
			if tt.f.Limit == 0 && len(page) != total {
				t.Fatalf("%s: List(%+v) has %d customers, total %d", step, tt.f, len(page), total)
			}
		}
	}
	check(t, "empty", want{})
	var ids []int64
	for i := range 3 {
		c := newCustomer(fmt.Sprintf("user%d", i), fmt.Sprintf("user%d@example.com", i))
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	check(t, "three created", want{all: 3, active: 3, none: 3})
	set := func(id int64, status, ev string) {
		t.Helper()
		if _, err := s.Update(ctx, id, func(c *customers.Customer) error {
			c.Status, c.EmailVerification = status, ev
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	set(ids[0], "suspended", "none")
	set(ids[1], "active", "verified")
	check(t, "one suspended, one verified", want{all: 3, active: 2, suspended: 1, none: 2, verified: 1, activeVerified: 1})
	set(ids[1], "active", "verified") // no change
	boom := errors.New("boom")
	if _, err := s.Update(ctx, ids[2], func(c *customers.Customer) error {
		c.Status = "banned"
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("failed update: %v", err)
	}
	check(t, "unchanged and failed updates", want{all: 3, active: 2, suspended: 1, none: 2, verified: 1, activeVerified: 1})
	set(ids[2], "banned", "verified")
	check(t, "one banned", want{all: 3, active: 1, suspended: 1, banned: 1, none: 1, verified: 2, activeVerified: 1})
	if _, err := s.Delete(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	check(t, "one deleted", want{all: 2, suspended: 1, banned: 1, none: 1, verified: 1})
	// Many lists and writes in a row (the PostgreSQL store folds its counts now and then).
	for i := range 100 {
		c := newCustomer(fmt.Sprintf("more%d", i), fmt.Sprintf("more%d@example.com", i))
		c.Status = "banned"
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, total, err := s.List(ctx, customers.ListFilter{Status: "banned", Limit: 1}); err != nil || total != i+2 {
			t.Fatalf("banned total %d, %v; want %d", total, err, i+2)
		}
	}
	check(t, "after many writes and lists", want{all: 102, suspended: 1, banned: 101, none: 101, verified: 1})
}
