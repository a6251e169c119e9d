package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/groups"
	"github.com/hostplane/hostplane/services/billing/idempotency"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
	"github.com/hostplane/hostplane/services/billing/renewal"
	"github.com/hostplane/hostplane/services/billing/txn"
)

// Stores are one adapter's stores of every aggregate, empty.
type Stores struct {
	Customers   customers.Store
	Groups      groups.Store
	Products    products.Store
	Memberships memberships.Store
	Payments    payments.Store
	Renewals    renewal.Store
	Idempotency idempotency.Store
	Tx          txn.Runner
	// Events lists the types of the events committed so far, in order.
	Events func(t *testing.T) []string
}

// Billing runs the contract of every billing store but customers (see
// Customers). newStores returns empty stores.
func Billing(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("groups", func(t *testing.T) { groupsContract(t, newStores) })
	t.Run("products", func(t *testing.T) { productsContract(t, newStores) })
	t.Run("pricings", func(t *testing.T) { pricingsContract(t, newStores) })
	t.Run("memberships", func(t *testing.T) { membershipsContract(t, newStores) })
	t.Run("payments", func(t *testing.T) { paymentsContract(t, newStores) })
	t.Run("transactions", func(t *testing.T) { txContract(t, newStores) })
	t.Run("renewals", func(t *testing.T) { renewalsContract(t, newStores) })
	t.Run("idempotency", func(t *testing.T) { idempotencyContract(t, newStores) })
}

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, what string, err error, kind errs.Kind, field string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("%s: err = %v, want %s", what, err, kind)
	}
	if field != "" {
		if _, ok := errs.From(err).Params[field]; !ok {
			t.Fatalf("%s: err %v does not name %s", what, err, field)
		}
	}
}

// seedCustomer stores a customer named name.
func seedCustomer(t *testing.T, s Stores, name string) customers.Customer {
	t.Helper()
	c := newCustomer(name, name+"@example.com")
	must(t, s.Customers.Create(ctx, c))
	return *c
}

// seedProduct stores a product of slug with stock.
func seedProduct(t *testing.T, s Stores, slug string, stock int) products.Product {
	t.Helper()
	p := products.Product{Slug: slug, Name: "Product " + slug, Type: products.TypePlan, PricingType: products.PricingPaid,
		Currency: "USD", Amount: 2999, Duration: 1, DurationUnit: products.Month, TrialDurationUnit: products.Day,
		Recurring: true, Status: products.StatusActive, Stock: stock, QuantityMax: 1, Taxable: true,
		Addons: []int64{}, Limits: map[string]int64{}, DateCreated: at(0), DateModified: at(0)}
	must(t, s.Products.Create(ctx, &p))
	return p
}

// seedMembership stores an active membership of c to plan expiring at exp.
func seedMembership(t *testing.T, s Stores, c customers.Customer, plan products.Product, exp time.Time, autoRenew bool) memberships.Membership {
	t.Helper()
	m := memberships.Membership{CustomerID: c.ID, PlanID: plan.ID, Addons: []memberships.Addon{}, Currency: "USD",
		InitialAmount: 2999, Amount: 2999, Recurring: true, AutoRenew: autoRenew, Duration: 1, DurationUnit: "month",
		Status: memberships.StatusActive, DateCreated: at(0), DateModified: at(0), DateActivated: ptr(at(0)), DateExpiration: &exp}
	must(t, s.Memberships.Create(ctx, &m))
	return m
}
