package site

import (
	"context"
	"time"
)

// Files is where sites keep their files: a root per site with medias/,
// datas/ and ftp/.
type Files interface {
	// Make creates the root of site id, empty or as a copy of site from's
	// (from 0: empty), atomically: the root appears whole or not at all.
	// progress (may be nil) hears the share done, 0 to 100.
	Make(ctx context.Context, id, from int64, progress func(pct int)) error
	// Remove deletes the root and the backups of site id (missing is fine).
	Remove(ctx context.Context, id int64) error
	// Root is the root directory of site id.
	Root(id int64) string
}

// Billing is what sites read from the billing service: customers,
// memberships and the plans (products) they subscribe to. Lookups of
// something missing, or not visible to the caller in ctx, are errs.NotFound.
type Billing interface {
	CustomerExists(ctx context.Context, id int64) error
	Membership(ctx context.Context, id int64) (Membership, error)
	Product(ctx context.Context, id int64) (Product, error)
}

// Membership is a customer's subscription as sites need it.
type Membership struct {
	ID             int64
	CustomerID     int64
	PlanID         int64
	Status         string // pending|active|trialing|on-hold|expired|cancelled
	AutoRenew      bool
	DateExpiration *time.Time
	DateTrialEnd   *time.Time
	Options        []string // codes of the add-ons subscribed with it
}

// Product is a plan as sites need it.
type Product struct {
	ID   int64
	Name string
	Type string // plan|package|service
	Free bool
}

// Membership statuses that matter to a site.
const (
	MembershipTrialing  = "trialing"
	MembershipOnHold    = "on-hold"
	MembershipExpired   = "expired"
	MembershipCancelled = "cancelled"
)

// planOf is the plan snapshot a membership and its product give.
func planOf(m Membership, p Product) Plan {
	pl := Plan{Name: p.Name, IsTrial: m.Status == MembershipTrialing, IsFree: p.Free,
		EndTrialDate: clonePtr(m.DateTrialEnd)}
	if m.DateExpiration != nil && (!m.AutoRenew || m.Status == MembershipCancelled || m.Status == MembershipExpired) {
		pl.ClosingDate = clonePtr(m.DateExpiration)
	}
	return pl
}

// statusOf is the site status a membership status implies.
func statusOf(membershipStatus string) string {
	switch membershipStatus {
	case MembershipOnHold:
		return StatusSuspended
	case MembershipExpired, MembershipCancelled:
		return StatusClosed
	}
	return StatusOpen
}
