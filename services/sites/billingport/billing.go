// Package billingport adapts the billing service's client to what the
// sites service reads from billing (site.Billing).
package billingport

import (
	"context"
	"strconv"
	"strings"

	billing "github.com/hostplane/hostplane/services/billing/client"
	"github.com/hostplane/hostplane/services/sites/site"
)

// Client is the part of billing's client sites uses.
type Client interface {
	Customer(ctx context.Context, id int64) (billing.Customer, error)
	Membership(ctx context.Context, id int64) (billing.Membership, error)
	Product(ctx context.Context, id int64) (billing.Product, error)
}

// Billing is site.Billing over billing's client.
type Billing struct{ C Client }

// New returns the adapter.
func New(c Client) *Billing { return &Billing{C: c} }

// CustomerExists reports errs.NotFound for an unknown customer.
func (b *Billing) CustomerExists(ctx context.Context, id int64) error {
	_, err := b.C.Customer(ctx, id)
	return err
}

// Membership reads a membership.
func (b *Billing) Membership(ctx context.Context, id int64) (site.Membership, error) {
	m, err := b.C.Membership(ctx, id)
	if err != nil {
		return site.Membership{}, err
	}
	opts := make([]string, 0, len(m.Options))
	for _, o := range m.Options {
		opts = append(opts, o.Code)
	}
	return site.Membership{ID: m.ID, CustomerID: m.CustomerID, PlanID: m.PlanID, Status: m.Status, AutoRenew: m.AutoRenew,
		DateExpiration: m.DateExpiration, DateTrialEnd: m.DateTrialEnd, Options: opts}, nil
}

// Product reads a plan.
func (b *Billing) Product(ctx context.Context, id int64) (site.Product, error) {
	p, err := b.C.Product(ctx, id)
	if err != nil {
		return site.Product{}, err
	}
	return site.Product{ID: p.ID, Name: p.Name, Type: p.Type, Free: isZero(p.Amount)}, nil
}

// isZero reports whether a decimal string is zero ("0", "0.00", "").
func isZero(amount string) bool {
	a := strings.TrimSpace(amount)
	if a == "" {
		return true
	}
	f, err := strconv.ParseFloat(a, 64)
	return err == nil && f == 0
}
