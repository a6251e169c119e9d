package products

import (
	"maps"
	"time"
)

// Pricing is a product's prices in one currency: a price per billing
// cycle it is sold on, and the setup fee of that cycle.
type Pricing struct {
	ID        int64
	ProductID int64
	Currency  string
	// Prices and Setup map a cycle to minor units; a cycle missing from
	// Prices is not offered.
	Prices       map[string]int64
	Setup        map[string]int64
	DateCreated  time.Time
	DateModified time.Time
}

// Clone returns a copy of p that shares no memory with it.
func (p Pricing) Clone() Pricing {
	p.Prices, p.Setup = maps.Clone(p.Prices), maps.Clone(p.Setup)
	if p.Prices == nil {
		p.Prices = map[string]int64{}
	}
	if p.Setup == nil {
		p.Setup = map[string]int64{}
	}
	return p
}

// Billing cycles (cx).
const (
	CycleOnetime      = "onetime"
	CycleMonthly      = "monthly"
	CycleQuarterly    = "quarterly"
	CycleSemiannually = "semiannually"
	CycleAnnually     = "annually"
	CycleBiennially   = "biennially"
	CycleTriennially  = "triennially"
)

// Cycles lists the billing cycles in order.
var Cycles = []string{CycleOnetime, CycleMonthly, CycleQuarterly, CycleSemiannually, CycleAnnually, CycleBiennially, CycleTriennially}

// CycleOf is the billing cycle of a duration ("" when none matches: a
// product billed every 10 days has no cx cycle).
func CycleOf(recurring bool, duration int, unit string) string {
	if !recurring {
		return CycleOnetime
	}
	months := 0
	switch unit {
	case Month:
		months = duration
	case Year:
		months = 12 * duration
	}
	switch months {
	case 1:
		return CycleMonthly
	case 3:
		return CycleQuarterly
	case 6:
		return CycleSemiannually
	case 12:
		return CycleAnnually
	case 24:
		return CycleBiennially
	case 36:
		return CycleTriennially
	}
	return ""
}
