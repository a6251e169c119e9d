package memberships

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/amounts"
)

// Input creates a membership (nil fields take their defaults, most from
// the plan) or changes one (nil fields stay). Amounts are decimal text in
// the membership's currency.
type Input struct {
	CustomerID            *int64
	PlanID                *int64
	Addons                *[]Addon
	Currency              *string
	Amount, InitialAmount *string
	Recurring, AutoRenew  *bool
	Duration              *int
	DurationUnit          *string
	Status                *string
	TimesBilled           *int
	BillingCycles         *int
	Gateway               *string
	GatewayCustomerID     *string
	GatewaySubscriptionID *string
	SiteID                *int64
	SignupMethod          *string
	DateExpiration        *time.Time
	ClearExpiration       bool // never expires (DateExpiration must be nil)
	DateTrialEnd          *time.Time
	Reason                *string // suspension or cancellation reason
}

// Limits of the fields a caller sets.
const (
	MaxText     = 255
	MaxAddons   = 50
	MaxDuration = 1000
)

// Units are the duration units.
var Units = []string{"day", "week", "month", "year"}

// applyFields sets in's plain fields on m (not customer, plan, status or
// dates, which the service decides), recording problems in c.
func (in Input) applyFields(c *errs.Collector, m *Membership) {
	oldCurrency := m.Currency
	if in.Currency != nil {
		m.Currency, _ = amounts.Currency(c, "currency", *in.Currency)
	}
	digits := amounts.Digits(m.Currency)
	for _, a := range []struct {
		field string
		text  *string
		dst   *int64
	}{{"amount", in.Amount, &m.Amount}, {"initial_amount", in.InitialAmount, &m.InitialAmount}} {
		switch {
		case a.text != nil:
			*a.dst = amounts.Parse(c, a.field, *a.text, digits)
		case oldCurrency != "" && m.Currency != oldCurrency:
			n, ok := amounts.Rescale(*a.dst, oldCurrency, m.Currency)
			if !ok {
				c.Invalid(a.field, "Give the "+a.field+" in the new currency.")
			}
			*a.dst = n
		}
	}
	set(&m.Recurring, in.Recurring)
	set(&m.AutoRenew, in.AutoRenew)
	set(&m.Duration, in.Duration)
	if in.DurationUnit != nil {
		m.DurationUnit = strings.TrimSpace(*in.DurationUnit)
	}
	set(&m.TimesBilled, in.TimesBilled)
	set(&m.BillingCycles, in.BillingCycles)
	for _, t := range []struct {
		field string
		v     *string
		dst   *string
	}{
		{"gateway", in.Gateway, &m.Gateway}, {"gateway_customer_id", in.GatewayCustomerID, &m.GatewayCustomerID},
		{"gateway_subscription_id", in.GatewaySubscriptionID, &m.GatewaySubscriptionID},
		{"signup_method", in.SignupMethod, &m.SignupMethod},
	} {
		if t.v != nil {
			*t.dst = strings.TrimSpace(*t.v)
		}
		checkText(c, t.field, *t.dst)
	}
	set(&m.SiteID, in.SiteID)
	if in.Addons != nil {
		m.Addons = slices.Clone(*in.Addons)
		if m.Addons == nil {
			m.Addons = []Addon{}
		}
	}
	if in.DateExpiration != nil {
		t := in.DateExpiration.UTC()
		m.DateExpiration = &t
	}
	if in.ClearExpiration {
		m.DateExpiration = nil
	}
	if in.DateTrialEnd != nil {
		t := in.DateTrialEnd.UTC()
		m.DateTrialEnd = &t
	}
	if in.DateExpiration != nil && in.ClearExpiration {
		c.Invalid("date_expiration", "Give a date or clear it, not both.")
	}
	if m.Duration < 1 || m.Duration > MaxDuration {
		c.Invalid("duration", fmt.Sprintf("Must be between 1 and %d.", MaxDuration))
	}
	if !slices.Contains(Units, m.DurationUnit) {
		c.Invalid("duration_unit", "Must be one of: "+strings.Join(Units, ", ")+".")
	}
	if m.TimesBilled < 0 {
		c.Invalid("times_billed", "Must not be negative.")
	}
	if m.BillingCycles < 0 || m.BillingCycles > 1000 {
		c.Invalid("billing_cycles", "Must be between 0 (until cancelled) and 1000.")
	}
	if m.SiteID < 0 {
		c.Invalid("site_id", "Must be a positive integer.")
	}
	if len(m.Addons) > MaxAddons {
		c.Invalid("addon_products", fmt.Sprintf("At most %d add-ons.", MaxAddons))
	}
	for _, a := range m.Addons {
		if a.ProductID <= 0 || a.Quantity < 1 {
			c.Invalid("addon_products", "Each add-on needs a product_id and a quantity of at least 1.")
			break
		}
	}
	for _, d := range []struct {
		field string
		t     *time.Time
	}{{"date_expiration", m.DateExpiration}, {"date_trial_end", m.DateTrialEnd}} {
		if d.t != nil && (d.t.Year() < 1970 || d.t.Year() > 9999) {
			c.Invalid(d.field, "Must be between 1970-01-01 and 9999-12-31.")
		}
	}
	if in.Reason != nil {
		checkText(c, "reason", *in.Reason)
	}
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func checkText(c *errs.Collector, field, s string) {
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		c.Invalid(field, "Must be valid UTF-8 text.")
	case utf8.RuneCountInString(s) > MaxText:
		c.Invalid(field, fmt.Sprintf("Must be at most %d characters.", MaxText))
	}
}

// Check reports the problems of in's own fields, as Create would before
// looking up the customer and plan.
func Check(in Input) error {
	var c errs.Collector
	m := Membership{Currency: "USD", Duration: 1, DurationUnit: "month", Addons: []Addon{}}
	in.applyFields(&c, &m)
	if in.Status != nil && !slices.Contains(Statuses, strings.TrimSpace(*in.Status)) {
		c.Invalid("status", "Must be one of: "+strings.Join(Statuses, ", ")+".")
	}
	return c.Err()
}
