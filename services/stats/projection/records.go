// Package projection keeps the stats service's own record of what the
// other services announce on their event streams — customers, memberships
// and payments from billing, sites from sites — and writes an activity
// entry for each change. Each event is applied once per consumer group
// (its id is recorded in the same transaction as its change) and only
// acknowledged once stored. The cx statistics are counted from these
// records; stats never reads another service's database.
package projection

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/directory"
)

// Customer is billing's customer as its events describe it.
type Customer struct {
	ID            int64
	Status        string // active|suspended|pending|banned
	EmailVerified bool
	Deleted       bool
	At            time.Time // the event's time
}

// Membership is billing's membership (cx service).
type Membership struct {
	ID, CustomerID, PlanID, SiteID int64
	Status                         string // pending|active|trialing|on-hold|expired|cancelled
	Deleted                        bool
	At                             time.Time
}

// Payment is billing's payment.
type Payment struct {
	ID, CustomerID, MembershipID int64
	Total                        int64 // minor units of Currency
	Currency                     string
	Status                       string
	Deleted                      bool
	At                           time.Time
}

// Site is the sites service's site.
type Site struct {
	ID         int64
	Code       string
	CustomerID int64
	Status     string
	Deleted    bool
	At         time.Time
}

// Change is what one event changes: at most one record, and an activity
// entry.
type Change struct {
	Customer   *Customer
	Membership *Membership
	Payment    *Payment
	Site       *Site
	Entry      *activity.Entry
}

// Store is the persistence port of the records.
type Store interface {
	// Apply applies c once per consumer group and event id: when the id
	// was already applied it changes nothing and returns false. A record
	// replaces the stored one when at least as recent (At); a deleted
	// record stays deleted. The entry is added with the record, in the
	// same transaction.
	Apply(ctx context.Context, group, eventID string, c Change) (bool, error)
	// SiteByCode and SiteByID return a site that is not deleted
	// (errs.NotFound otherwise).
	SiteByCode(ctx context.Context, code string) (directory.Site, error)
	SiteByID(ctx context.Context, id int64) (directory.Site, error)
	// MembershipSite is the site of a membership (0 when unknown).
	MembershipSite(ctx context.Context, membershipID int64) (int64, error)
	// Counts counts the records that are not deleted, of one customer
	// when customerID is not 0.
	Counts(ctx context.Context, customerID int64) (Counts, error)
}

// Counts are the records counted.
type Counts struct {
	Customers map[string]int64 // by status
	Confirmed int64            // customers whose email is verified
	Services  map[string]int64 // memberships by status
	Revenue   []Revenue        // completed payments by currency
}

// Revenue is what completed payments brought in one currency.
type Revenue struct {
	Currency string
	Total    int64 // minor units
	Payments int64
}

// PaymentCompleted is the status of the payments revenue counts.
const PaymentCompleted = "completed"
