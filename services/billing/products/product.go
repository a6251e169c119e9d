// Package products is the billing catalogue's product aggregate: a plan,
// package or service with its primary price (wu's amount, currency,
// duration), its place in the catalogue (cx status, group, pinning, sort
// order, stock) and its quotas; together with its pricings, one per
// currency, holding a price per billing cycle (cx). The wu products, cx
// products and pricings and sb plans are views of it.
package products

import (
	"maps"
	"slices"
	"time"
)

// Product is a plan, package or service.
type Product struct {
	ID                int64
	Slug              string // unique
	Name              string
	Description       string
	Type              string
	PricingType       string
	Currency          string
	Amount            int64 // minor units per Duration DurationUnit
	SetupFee          int64 // minor units
	Duration          int
	DurationUnit      string
	TrialDuration     int
	TrialDurationUnit string
	Recurring         bool
	BillingCycles     int // 0: renews until cancelled
	Status            string
	GroupID           int64 // 0: none
	Stock             int   // Unlimited, or how many can still be sold
	Pinned            bool
	SortOrder         int
	ParentID          int64
	Taxable           bool
	TaxCategory       string
	Addons            []int64 // products that may be added to it
	QuantityMax       int     // as an add-on: most of it one membership may hold
	Limits            map[string]int64
	ContactUsLabel    string
	ContactUsLink     string
	DateCreated       time.Time
	DateModified      time.Time
}

// Clone returns a copy of p that shares no memory with it.
func (p Product) Clone() Product {
	p.Addons = slices.Clone(p.Addons)
	p.Limits = maps.Clone(p.Limits)
	if p.Addons == nil {
		p.Addons = []int64{}
	}
	if p.Limits == nil {
		p.Limits = map[string]int64{}
	}
	return p
}

// Active reports whether the product is sold (wu's active): its status is
// active or hidden.
func (p Product) Active() bool { return p.Status != StatusUnreferenced }

// Unlimited is the stock of a product sold without limit.
const Unlimited = -1

// Product types.
const (
	TypePlan    = "plan"
	TypePackage = "package"
	TypeService = "service"
)

// Types lists the product types.
var Types = []string{TypePlan, TypePackage, TypeService}

// Pricing types.
const (
	PricingFree           = "free"
	PricingPaid           = "paid"
	PricingContactUs      = "contact_us"
	PricingPayWhatYouWant = "pay_what_you_want"
)

// PricingTypes lists the pricing types.
var PricingTypes = []string{PricingFree, PricingPaid, PricingContactUs, PricingPayWhatYouWant}

// Duration units.
const (
	Day   = "day"
	Week  = "week"
	Month = "month"
	Year  = "year"
)

// Units lists the duration units.
var Units = []string{Day, Week, Month, Year}

// Statuses (cx): active is listed and sold, hidden is sold but not
// listed, unreferenced is neither.
const (
	StatusActive       = "active"
	StatusHidden       = "hidden"
	StatusUnreferenced = "unreferenced"
)

// Statuses lists the product (and group) statuses.
var Statuses = []string{StatusActive, StatusHidden, StatusUnreferenced}

// Limit names: the quotas the sites service enforces.
var LimitNames = []string{"space_bytes", "bandwidth_bytes", "api_pfo", "forms", "products", "users"}

// MonthlyCost is the product's amount brought to one month (rounded to
// the minor unit); a product that does not recur costs its amount once.
func (p Product) MonthlyCost() int64 {
	return Monthly(p.Amount, p.Duration, p.DurationUnit, p.Recurring)
}

// Monthly brings amount per duration unit to one month.
func Monthly(amount int64, duration int, unit string, recurring bool) int64 {
	if !recurring || duration <= 0 {
		return amount
	}
	// amount / (duration units in months), with units as fractions of a
	// month: day 12/365, week 12/52, month 1, year 12.
	num, den := amount, int64(duration)
	switch unit {
	case Day:
		num, den = amount*365, int64(duration)*12
	case Week:
		num, den = amount*52, int64(duration)*12
	case Year:
		den = int64(duration) * 12
	}
	return (num + den/2) / den
}

// Order is a sort key of product lists.
type Order string

// Sort keys; ties are broken by id.
const (
	ByID          Order = "id"
	BySortOrder   Order = "sort_order"
	ByName        Order = "name"
	ByAmount      Order = "amount"
	ByDateCreated Order = "date_created"
)

// Orders lists the sort keys, the default first.
var Orders = []Order{ByID, BySortOrder, ByName, ByAmount, ByDateCreated}
