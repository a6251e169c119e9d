// Package memberships is the billing service's subscription aggregate: a
// customer's subscription to a plan, with its add-ons, price, billing
// period, gateway references, optional site and lifecycle (pending,
// active, trialing, on-hold, expired, cancelled). The wu memberships, the
// cx services (on-hold shown as suspended) and the sb subscriptions of a
// site are views of it.
package memberships

import (
	"slices"
	"time"
)

// Membership is a customer's subscription to a plan.
type Membership struct {
	ID                    int64
	CustomerID            int64
	PlanID                int64
	Addons                []Addon
	Currency              string
	InitialAmount         int64 // minor units, first payment (setup fee included)
	Amount                int64 // minor units per period
	Recurring             bool
	AutoRenew             bool
	Duration              int
	DurationUnit          string
	Status                string
	TimesBilled           int
	BillingCycles         int // 0: until cancelled
	Gateway               string
	GatewayCustomerID     string
	GatewaySubscriptionID string
	SiteID                int64 // 0: none
	SignupMethod          string
	SuspendReason         string
	CancellationReason    string
	// RenewalPaymentID is the pending payment of the next period, while the
	// renewal scheduler waits for it (0: none).
	RenewalPaymentID int64
	DateCreated      time.Time
	DateModified     time.Time
	DateActivated    *time.Time
	DateTrialEnd     *time.Time
	DateRenewed      *time.Time
	DateCancellation *time.Time
	DateExpiration   *time.Time // nil: never expires
}

// Addon is an add-on product subscribed with a membership.
type Addon struct {
	ProductID int64 `json:"product_id"`
	Quantity  int   `json:"quantity"`
}

// Clone returns a copy of m that shares no memory with it.
func (m Membership) Clone() Membership {
	m.Addons = slices.Clone(m.Addons)
	if m.Addons == nil {
		m.Addons = []Addon{}
	}
	for _, p := range []**time.Time{&m.DateActivated, &m.DateTrialEnd, &m.DateRenewed, &m.DateCancellation, &m.DateExpiration} {
		if *p != nil {
			t := **p
			*p = &t
		}
	}
	return m
}

// Statuses of a membership.
const (
	StatusPending   = "pending"
	StatusActive    = "active"
	StatusTrialing  = "trialing"
	StatusOnHold    = "on-hold"
	StatusExpired   = "expired"
	StatusCancelled = "cancelled"
)

// Statuses lists the membership statuses.
var Statuses = []string{StatusPending, StatusActive, StatusTrialing, StatusOnHold, StatusExpired, StatusCancelled}

// transitions lists where each status may go. Cancelled is final; an
// expired membership comes back to active when it is renewed.
var transitions = map[string][]string{
	StatusPending:   {StatusActive, StatusTrialing, StatusExpired, StatusCancelled},
	StatusTrialing:  {StatusActive, StatusOnHold, StatusExpired, StatusCancelled},
	StatusActive:    {StatusOnHold, StatusExpired, StatusCancelled},
	StatusOnHold:    {StatusActive, StatusExpired, StatusCancelled},
	StatusExpired:   {StatusActive, StatusCancelled},
	StatusCancelled: nil,
}

// CanMove reports whether a membership may go from one status to another
// (staying is always allowed).
func CanMove(from, to string) bool {
	return from == to || slices.Contains(transitions[from], to)
}

// Live reports whether a membership in status gives service (active,
// trialing): the scheduler renews or expires live memberships only.
func Live(status string) bool { return status == StatusActive || status == StatusTrialing }

// Order is a sort key of membership lists.
type Order string

// Sort keys; ties by id.
const (
	ByID             Order = "id"
	ByDateCreated    Order = "date_created"
	ByDateModified   Order = "date_modified"
	ByDateExpiration Order = "date_expiration"
	ByAmount         Order = "amount"
	ByStatus         Order = "status"
)

// Orders lists the sort keys, the default first.
var Orders = []Order{ByID, ByDateCreated, ByDateModified, ByDateExpiration, ByAmount, ByStatus}

// AddPeriod adds n units (day, week, month, year) to t.
func AddPeriod(t time.Time, n int, unit string) time.Time {
	switch unit {
	case "day":
		return t.AddDate(0, 0, n)
	case "week":
		return t.AddDate(0, 0, 7*n)
	case "year":
		return t.AddDate(n, 0, 0)
	}
	return t.AddDate(0, n, 0)
}
