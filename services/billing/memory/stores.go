package memory

import (
	"context"
	"strconv"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
)

// Stores are every in-memory store of billing, sharing one outbox and
// checking each other's references as PostgreSQL's foreign keys do.
type Stores struct {
	Outbox      *events.MemoryOutbox
	Runner      Runner
	Customers   *Customers
	Groups      *Groups
	Products    *Products
	Memberships *Memberships
	Payments    *Payments
	Renewals    *Renewals
	Idempotency *Idempotency
}

// NewStores returns empty, linked stores.
func NewStores() *Stores {
	out := events.NewMemoryOutbox()
	s := &Stores{Outbox: out, Runner: Runner{Outbox: out}, Customers: NewCustomers(out), Groups: NewGroups(out),
		Memberships: NewMemberships(out), Payments: NewPayments(out), Idempotency: NewIdempotency()}
	s.Products = NewProducts(out, s.Groups)
	s.Renewals = NewRenewals(s.Memberships, s.Payments)
	s.Groups.detach = s.Products.detachGroup
	s.Products.inUse = func(id int64) bool {
		return s.Memberships.uses(func(m memberships.Membership) bool { return m.PlanID == id })
	}
	s.Customers.inUse = func(id int64) bool {
		return s.Memberships.uses(func(m memberships.Membership) bool { return m.CustomerID == id }) ||
			s.Payments.uses(func(p payments.Payment) bool { return p.CustomerID == id })
	}
	s.Memberships.deleted = s.Payments.forgetMembership
	s.Memberships.refs = func(m *memberships.Membership) error {
		if _, err := s.Customers.Get(context.Background(), m.CustomerID); err != nil {
			return refError("customer_id")
		}
		if _, err := s.Products.t.get(m.PlanID); err != nil {
			return refError("plan_id")
		}
		return nil
	}
	s.Payments.refs = func(p *payments.Payment) error {
		if _, err := s.Customers.Get(context.Background(), p.CustomerID); err != nil {
			return refError("customer_id")
		}
		if p.MembershipID != 0 {
			if _, err := s.Memberships.t.get(p.MembershipID); err != nil {
				return refError("membership_id")
			}
		}
		if p.ProductID != 0 {
			if _, err := s.Products.t.get(p.ProductID); err != nil {
				return refError("product_id")
			}
		}
		return nil
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// inUseError is the conflict of deleting a customer still named.
func inUseError() error {
	return &errs.Error{Kind: errs.Conflict, Reason: "in_use",
		Message: "The customer still has memberships or payments: delete or move them first."}
}
