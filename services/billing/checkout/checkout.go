// Package checkout is the billing service's registration use case (wu
// POST /register): in one call it creates a customer and its user (or
// takes an existing customer), subscribes it to a plan and add-ons, records
// the first payment and has the sites service create the site — all or
// nothing. The local writes share one transaction; the site, created last
// before the commit, is deleted again when anything after it fails. An
// error names the step it happened at.
package checkout

import (
	"context"

	sites "github.com/hostplane/hostplane/services/sites/client"

	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
)

// Sites is what checkout needs of the sites service (its client).
type Sites interface {
	Create(ctx context.Context, in sites.CreateSite) (sites.Site, error)
	Delete(ctx context.Context, id int64) error
	SiteByCode(ctx context.Context, code string) (sites.Site, error)
}

// Request is a registration.
type Request struct {
	// CustomerID names an existing customer; otherwise Customer describes
	// the one to create.
	CustomerID int64
	Customer   *NewCustomer
	// Products are ids or slugs: the first plan among them is the
	// membership's plan, the others its add-ons (one each).
	Products []string
	// Duration and DurationUnit choose the plan's billing period (its
	// pricing of that cycle); zero: the plan's own.
	Duration     int
	DurationUnit string
	AutoRenew    *bool
	Site         *Site
	// PaymentStatus (default pending) and MembershipStatus (default active
	// when the payment is completed, else pending).
	PaymentStatus    string
	MembershipStatus string
	Gateway          string
	// IdempotencyKey, when set, makes the site creation idempotent too.
	IdempotencyKey string
}

// NewCustomer is the customer a registration creates.
type NewCustomer struct {
	Username, Email, Password string
	Firstname, Lastname       string
}

// Site is the site a registration creates.
type Site struct {
	URL        string // the site's code: lower case letters and digits
	Title      string
	TemplateID int64
}

// Result is what a registration made.
type Result struct {
	Customer   customers.Customer
	Membership memberships.Membership
	Payment    payments.Payment
	Site       *sites.Site
	TemplateID int64 // the site's template, as asked
}

// Steps of a registration, named in its errors.
const (
	StepValidate   = "validation"
	StepCustomer   = "customer"
	StepMembership = "membership"
	StepPayment    = "payment"
	StepSite       = "site"
	StepCommit     = "commit"
)
