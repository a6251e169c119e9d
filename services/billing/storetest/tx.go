package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
)

// txContract checks the unit of work checkout relies on: what a failed
// transaction wrote is gone, events included; a committed one keeps all.
func txContract(t *testing.T, newStores func(*testing.T) Stores) {
	t.Run("a failure undoes every write and its events", func(t *testing.T) {
		s := newStores(t)
		plan := seedProduct(t, s, "p", 1)
		existing := seedCustomer(t, s, "bobby")
		before := s.Events(t)
		boom := errors.New("boom")
		err := s.Tx.InTx(ctx, func(ctx context.Context) error {
			c := newCustomer("alice", "alice@example.com")
			if err := s.Customers.Create(ctx, c); err != nil {
				return err
			}
			if _, err := s.Customers.Update(ctx, existing.ID, func(c *customers.Customer) error { c.VIP = true; return nil }); err != nil {
				return err
			}
			if _, err := s.Products.Take(ctx, plan.ID, 1); err != nil {
				return err
			}
			m := memberships.Membership{CustomerID: c.ID, PlanID: plan.ID, Addons: []memberships.Addon{}, Currency: "USD",
				Duration: 1, DurationUnit: "month", Status: "active", DateCreated: at(0), DateModified: at(0)}
			if err := s.Memberships.Create(ctx, &m); err != nil {
				return err
			}
			p := payments.Payment{CustomerID: c.ID, MembershipID: m.ID, Currency: "USD", Subtotal: 1, Total: 1, Status: "pending",
				Kind: "initial", DateCreated: at(0), DateModified: at(0)}
			if err := s.Payments.Create(ctx, &p); err != nil {
				return err
			}
			// Inside, the writes are visible.
			if _, n, _ := s.Customers.List(ctx, customers.ListFilter{}); n != 2 {
				t.Errorf("inside the transaction: %d customers", n)
			}
			return boom
		})
		if err != boom {
			t.Fatalf("InTx = %v, want fn's error", err)
		}
		if _, n, _ := s.Customers.List(ctx, customers.ListFilter{}); n != 1 {
			t.Fatalf("%d customers after rollback", n)
		}
		if c, _ := s.Customers.Get(ctx, existing.ID); c.VIP {
			t.Fatal("update kept after rollback")
		}
		if p, _ := s.Products.Get(ctx, plan.ID); p.Stock != 1 {
			t.Fatalf("stock %d after rollback", p.Stock)
		}
		if _, n, _ := s.Memberships.List(ctx, memberships.ListFilter{}); n != 0 {
			t.Fatalf("%d memberships after rollback", n)
		}
		if _, n, _ := s.Payments.List(ctx, payments.ListFilter{}); n != 0 {
			t.Fatalf("%d payments after rollback", n)
		}
		if after := s.Events(t); !slices.Equal(after, before) {
			t.Fatalf("events of a rolled-back transaction: %v", after[len(before):])
		}
		// The username is free again.
		must(t, s.Customers.Create(ctx, newCustomer("alice", "alice@example.com")))
	})

	t.Run("a commit keeps every write and publishes the events in order", func(t *testing.T) {
		s := newStores(t)
		plan := seedProduct(t, s, "p", 2)
		before := len(s.Events(t))
		err := s.Tx.InTx(ctx, func(ctx context.Context) error {
			c := newCustomer("alice", "alice@example.com")
			if err := s.Customers.Create(ctx, c); err != nil {
				return err
			}
			if _, err := s.Products.Take(ctx, plan.ID, 1); err != nil {
				return err
			}
			// A failed step inside (a conflict) does not abort the rest.
			if err := s.Customers.Create(ctx, newCustomer("alice", "other@example.com")); errs.KindOf(err) != errs.Conflict {
				t.Errorf("duplicate inside: %v", err)
			}
			return nil
		})
		must(t, err)
		if p, _ := s.Products.Get(ctx, plan.ID); p.Stock != 1 {
			t.Fatalf("stock %d", p.Stock)
		}
		if ev := s.Events(t)[before:]; !slices.Equal(ev, []string{"customer.created", "product.updated"}) {
			t.Fatalf("events %v", ev)
		}
	})

	t.Run("nested runs join the outer transaction", func(t *testing.T) {
		s := newStores(t)
		err := s.Tx.InTx(ctx, func(ctx context.Context) error {
			if err := s.Tx.InTx(ctx, func(ctx context.Context) error {
				return s.Customers.Create(ctx, newCustomer("alice", "alice@example.com"))
			}); err != nil {
				return err
			}
			return errors.New("outer fails")
		})
		if err == nil {
			t.Fatal("outer error lost")
		}
		if _, n, _ := s.Customers.List(ctx, customers.ListFilter{}); n != 0 {
			t.Fatal("the inner run committed on its own")
		}
		_ = products.Unlimited
	})
}
