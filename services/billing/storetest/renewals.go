package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
	"github.com/hostplane/hostplane/services/billing/renewal"
)

func renewalsContract(t *testing.T, newStores func(*testing.T) Stores) {
	t.Run("claims exclude each other until their transaction ends", func(t *testing.T) {
		s := newStores(t)
		c := seedCustomer(t, s, "alice")
		plan := seedProduct(t, s, "p", products.Unlimited)
		var due []int64
		for i := range 4 {
			due = append(due, seedMembership(t, s, c, plan, at(i), true).ID)
		}
		seedMembership(t, s, c, plan, at(100), true) // not due yet
		if _, err := s.Renewals.Due(ctx, at(50), time.Hour, 10); err == nil {
			t.Fatal("Due outside a transaction succeeded")
		}
		first := make(chan []memberships.Membership)
		release := make(chan struct{})
		done := make(chan error)
		go func() {
			done <- s.Tx.InTx(ctx, func(ctx context.Context) error {
				ms, err := s.Renewals.Due(ctx, at(50), time.Hour, 3)
				first <- ms
				<-release
				return err
			})
		}()
		got := <-first
		if len(got) != 3 || got[0].ID != due[0] || got[2].ID != due[2] {
			t.Fatalf("first claim %v", ids3(got))
		}
		must(t, s.Tx.InTx(ctx, func(ctx context.Context) error {
			ms, err := s.Renewals.Due(ctx, at(50), time.Hour, 10)
			if err == nil && (len(ms) != 1 || ms[0].ID != due[3]) {
				t.Errorf("second claim while the first holds: %v", ids3(ms))
			}
			return err
		}))
		close(release)
		must(t, <-done)
		must(t, s.Tx.InTx(ctx, func(ctx context.Context) error {
			ms, err := s.Renewals.Due(ctx, at(50), time.Hour, 10)
			if err == nil && len(ms) != 4 {
				t.Errorf("after the first ended: %v", ids3(ms))
			}
			return err
		}))
	})

	t.Run("two schedulers renew each membership once", func(t *testing.T) {
		s := newStores(t)
		c := seedCustomer(t, s, "alice")
		plan := seedProduct(t, s, "p", products.Unlimited)
		const n = 30
		for i := range n {
			seedMembership(t, s, c, plan, at(i%5), i%3 != 0) // a third do not renew
		}
		now := at(10)
		scheduler := func() *renewal.Scheduler {
			return &renewal.Scheduler{Store: s.Renewals, Memberships: s.Memberships, Payments: s.Payments, Tx: s.Tx,
				Now: func() time.Time { return now }, Batch: 4, Grace: 72 * time.Hour}
		}
		a, b := scheduler(), scheduler()
		var wg sync.WaitGroup
		results := make([]renewal.Result, 2)
		for i, sch := range []*renewal.Scheduler{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := sch.Once(ctx)
				if err != nil {
					t.Error(err)
				}
				results[i] = r
			}()
		}
		wg.Wait()
		billed, expired := results[0].Billed+results[1].Billed, results[0].Expired+results[1].Expired
		if billed != 20 || expired != 10 {
			t.Fatalf("billed %d expired %d (%+v), want 20 and 10", billed, expired, results)
		}
		pays, total, err := s.Payments.List(ctx, payments.ListFilter{})
		must(t, err)
		if total != 20 {
			t.Fatalf("%d renewal payments, want 20 (one per renewing membership)", total)
		}
		seen := map[int64]bool{}
		for _, p := range pays {
			if p.Kind != payments.KindRenewal || p.Status != payments.StatusPending || p.Total != 2999 || seen[p.MembershipID] {
				t.Fatalf("payment %+v (seen: %v)", p, seen[p.MembershipID])
			}
			seen[p.MembershipID] = true
		}
		// A second tick changes nothing: the renewals wait for payment.
		if r, err := a.Once(ctx); err != nil || r != (renewal.Result{}) {
			t.Fatalf("second tick %+v %v", r, err)
		}
		// Ten payments complete: both schedulers apply each once.
		for _, p := range pays[:10] {
			_, err := s.Payments.Update(ctx, p.ID, func(p *payments.Payment) error { p.Status = payments.StatusCompleted; return nil })
			must(t, err)
		}
		now = at(11)
		for i, sch := range []*renewal.Scheduler{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := sch.Once(ctx)
				if err != nil {
					t.Error(err)
				}
				results[i] = r
			}()
		}
		wg.Wait()
		if renewed := results[0].Renewed + results[1].Renewed; renewed != 10 {
			t.Fatalf("renewed %d, want 10", renewed)
		}
		for _, p := range pays[:10] {
			m, err := s.Memberships.Get(ctx, p.MembershipID)
			must(t, err)
			orig := at(int((m.ID - 1) % 5))
			if m.TimesBilled != 1 || m.RenewalPaymentID != 0 || m.Status != memberships.StatusActive ||
				!m.DateExpiration.Equal(orig.AddDate(0, 1, 0)) {
				t.Fatalf("renewed membership %+v (expiration %v, want %v)", m, m.DateExpiration, orig.AddDate(0, 1, 0))
			}
			if p, _ := s.Payments.Get(ctx, p.ID); !p.Applied {
				t.Fatalf("payment %d not marked applied", p.ID)
			}
		}
		// Past the grace period the unpaid ones expire.
		now = at(10).Add(73 * time.Hour)
		r, err := a.Once(ctx)
		if err != nil || r.Expired != 10 {
			t.Fatalf("after grace %+v %v", r, err)
		}
		expiredNow, _, _ := s.Memberships.List(ctx, memberships.ListFilter{Status: memberships.StatusExpired})
		if len(expiredNow) != 20 {
			t.Fatalf("%d expired, want 20", len(expiredNow))
		}
		_ = errs.NotFound
	})
}

func ids3(ms []memberships.Membership) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}
