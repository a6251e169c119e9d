package products

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/amounts"
)

// Input creates (nil fields take their defaults) or changes (nil fields
// stay) a product. Amounts are decimal text in the product's currency.
type Input struct {
	Slug, Name, Description       *string
	Type, PricingType, Currency   *string
	Amount, SetupFee              *string
	Duration                      *int
	DurationUnit                  *string
	TrialDuration                 *int
	TrialDurationUnit             *string
	Recurring                     *bool
	BillingCycles                 *int
	Active                        *bool // wu: false is status unreferenced, true makes it active
	Status                        *string
	GroupID                       *int64 // 0 removes the group
	Stock                         *int
	Pinned                        *bool
	SortOrder                     *int
	ParentID                      *int64
	Taxable                       *bool
	TaxCategory                   *string
	Addons                        *[]int64
	QuantityMax                   *int
	Limits                        *map[string]int64
	ContactUsLabel, ContactUsLink *string
}

// Defaults of a new product.
const (
	DefaultCurrency = "USD"
	MaxName         = 200
	MaxSlug         = 100
	MaxDescription  = 65535
	MaxDuration     = 1000
	MaxText         = 255
	MaxAddons       = 100
)

// newProduct is a product with every default.
func newProduct() Product {
	return Product{
		Type: TypePlan, PricingType: PricingPaid, Currency: DefaultCurrency, Duration: 1, DurationUnit: Month,
		TrialDurationUnit: Day, Recurring: true, Status: StatusActive, Stock: Unlimited, QuantityMax: 1,
		Taxable: true, Addons: []int64{}, Limits: map[string]int64{},
	}
}

// apply sets in's fields on p and checks the result, naming every bad
// field. Amounts left out keep their value in a changed currency.
func (in Input) apply(p *Product) error {
	var c errs.Collector
	set(&p.Name, in.Name, strings.TrimSpace)
	set(&p.Description, in.Description, nil)
	set(&p.Slug, in.Slug, func(s string) string { return strings.ToLower(strings.TrimSpace(s)) })
	if p.Slug == "" && in.Slug == nil {
		p.Slug = Slugify(p.Name)
	}
	set(&p.Type, in.Type, strings.TrimSpace)
	set(&p.PricingType, in.PricingType, strings.TrimSpace)
	oldCurrency := p.Currency
	if in.Currency != nil {
		p.Currency, _ = amounts.Currency(&c, "currency", *in.Currency)
	}
	digits := amounts.Digits(p.Currency)
	if in.Amount != nil {
		p.Amount = amounts.Parse(&c, "amount", *in.Amount, digits)
	} else if p.Currency != oldCurrency {
		rescale(&c, "amount", &p.Amount, oldCurrency, p.Currency)
	}
	if in.SetupFee != nil {
		p.SetupFee = amounts.Parse(&c, "setup_fee", *in.SetupFee, digits)
	} else if p.Currency != oldCurrency {
		rescale(&c, "setup_fee", &p.SetupFee, oldCurrency, p.Currency)
	}
	set(&p.Duration, in.Duration, nil)
	set(&p.DurationUnit, in.DurationUnit, strings.TrimSpace)
	set(&p.TrialDuration, in.TrialDuration, nil)
	set(&p.TrialDurationUnit, in.TrialDurationUnit, strings.TrimSpace)
	set(&p.Recurring, in.Recurring, nil)
	set(&p.BillingCycles, in.BillingCycles, nil)
	set(&p.Status, in.Status, strings.TrimSpace)
	if in.Active != nil && in.Status == nil {
		switch {
		case !*in.Active:
			p.Status = StatusUnreferenced
		case p.Status == StatusUnreferenced:
			p.Status = StatusActive
		}
	}
	set(&p.GroupID, in.GroupID, nil)
	set(&p.Stock, in.Stock, nil)
	set(&p.Pinned, in.Pinned, nil)
	set(&p.SortOrder, in.SortOrder, nil)
	set(&p.ParentID, in.ParentID, nil)
	set(&p.Taxable, in.Taxable, nil)
	set(&p.TaxCategory, in.TaxCategory, strings.TrimSpace)
	if in.Addons != nil {
		p.Addons = slices.Clone(*in.Addons)
		if p.Addons == nil {
			p.Addons = []int64{}
		}
	}
	set(&p.QuantityMax, in.QuantityMax, nil)
	if in.Limits != nil {
		p.Limits = map[string]int64{}
		for k, v := range *in.Limits {
			p.Limits[k] = v
		}
	}
	set(&p.ContactUsLabel, in.ContactUsLabel, strings.TrimSpace)
	set(&p.ContactUsLink, in.ContactUsLink, strings.TrimSpace)
	p.check(&c)
	return c.Err()
}

func set[T any](dst *T, v *T, norm func(T) T) {
	if v == nil {
		return
	}
	*dst = *v
	if norm != nil {
		*dst = norm(*dst)
	}
}

func rescale(c *errs.Collector, field string, v *int64, from, to string) {
	n, ok := amounts.Rescale(*v, from, to)
	if !ok {
		c.Invalid(field, "Give the "+field+" in the new currency: the old one does not fit its decimals.")
		return
	}
	*v = n
}

// check names every bad field of p.
func (p *Product) check(c *errs.Collector) {
	switch {
	case p.Name == "":
		c.Missing("name")
	default:
		checkText(c, "name", p.Name, MaxName)
	}
	checkSlug(c, "slug", p.Slug)
	checkText(c, "description", p.Description, MaxDescription)
	oneOf(c, "type", p.Type, Types)
	oneOf(c, "pricing_type", p.PricingType, PricingTypes)
	oneOf(c, "duration_unit", p.DurationUnit, Units)
	oneOf(c, "trial_duration_unit", p.TrialDurationUnit, Units)
	oneOf(c, "status", p.Status, Statuses)
	between(c, "duration", p.Duration, 1, MaxDuration)
	between(c, "trial_duration", p.TrialDuration, 0, MaxDuration)
	between(c, "billing_cycles", p.BillingCycles, 0, 1000)
	between(c, "quantity_max", p.QuantityMax, 1, 1000)
	if p.Stock < Unlimited {
		c.Invalid("stock", "Must be -1 (unlimited) or at least 0.")
	}
	if p.GroupID < 0 {
		c.Invalid("group_id", "Must be a positive integer.")
	}
	if p.ParentID < 0 {
		c.Invalid("parent_id", "Must be a positive integer.")
	}
	if p.PricingType == PricingFree && (p.Amount != 0 || p.SetupFee != 0) {
		c.Invalid("amount", "A free product costs nothing: set pricing_type to paid.")
	}
	checkText(c, "tax_category", p.TaxCategory, MaxText)
	checkText(c, "contact_us_label", p.ContactUsLabel, MaxText)
	checkText(c, "contact_us_link", p.ContactUsLink, MaxText)
	if len(p.Addons) > MaxAddons {
		c.Invalid("available_addons", fmt.Sprintf("At most %d add-ons.", MaxAddons))
	}
	for _, id := range p.Addons {
		if id <= 0 || id == p.ID {
			c.Invalid("available_addons", "Must list ids of other products.")
			break
		}
	}
	for k, v := range p.Limits {
		if !slices.Contains(LimitNames, k) {
			c.Invalid("limits", "Unknown limit "+k+": the limits are "+strings.Join(LimitNames, ", ")+".")
			break
		}
		if v < 0 {
			c.Invalid("limits", "Limit "+k+" must not be negative (leave it out for no limit).")
			break
		}
	}
}

func checkText(c *errs.Collector, field, s string, max int) {
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		c.Invalid(field, "Must be valid UTF-8 text.")
	case utf8.RuneCountInString(s) > max:
		c.Invalid(field, fmt.Sprintf("Must be at most %d characters.", max))
	}
}

func checkSlug(c *errs.Collector, field, s string) {
	if s == "" {
		c.Missing(field)
		return
	}
	if len(s) > MaxSlug {
		c.Invalid(field, fmt.Sprintf("Must be at most %d characters.", MaxSlug))
		return
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			c.Invalid(field, "May only contain letters a-z, digits, '-' and '_'.")
			return
		}
	}
}

func oneOf(c *errs.Collector, field, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		c.Invalid(field, "Must be one of: "+strings.Join(allowed, ", ")+".")
	}
}

func between(c *errs.Collector, field string, v, lo, hi int) {
	if v < lo || v > hi {
		c.Invalid(field, fmt.Sprintf("Must be between %d and %d.", lo, hi))
	}
}

// Slugify makes a slug of a name: lower case letters and digits, words
// joined by "-".
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= MaxSlug {
			break
		}
	}
	return b.String()
}

// Check reports every problem of in as a new product, as Create would
// before touching the store (transports and fuzz tests use it).
func Check(in Input) error {
	p := newProduct()
	return in.apply(&p)
}

// CheckPricing reports every problem of in as a new pricing.
func CheckPricing(in PricingInput) error {
	p := Pricing{Prices: map[string]int64{}, Setup: map[string]int64{}}
	return in.apply(&p)
}
