package products

import (
	"slices"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/amounts"
)

// PricingInput creates or changes a pricing. Prices and Setup map a cycle
// to decimal text; a cycle present with nil removes it, one left out stays
// as it is.
type PricingInput struct {
	ProductID *int64
	Currency  *string
	Prices    map[string]*string
	Setup     map[string]*string
}

// apply sets in's fields on p and checks the result.
func (in PricingInput) apply(p *Pricing) error {
	var c errs.Collector
	if in.ProductID != nil {
		p.ProductID = *in.ProductID
	}
	oldCurrency := p.Currency
	if in.Currency != nil {
		p.Currency, _ = amounts.Currency(&c, "currency", *in.Currency)
	}
	if p.ProductID <= 0 {
		c.Missing("product_id")
	}
	if p.Currency == "" && in.Currency == nil {
		c.Missing("currency")
	}
	digits := amounts.Digits(p.Currency)
	if oldCurrency != "" && p.Currency != oldCurrency {
		for _, m := range []map[string]int64{p.Prices, p.Setup} {
			for k, v := range m {
				if n, ok := amounts.Rescale(v, oldCurrency, p.Currency); ok {
					m[k] = n
				} else {
					c.Invalid(k, "Give the "+k+" price in the new currency: the old one does not fit its decimals.")
				}
			}
		}
	}
	for _, part := range []struct {
		in     map[string]*string
		out    map[string]int64
		prefix string
	}{{in.Prices, p.Prices, ""}, {in.Setup, p.Setup, "setup_"}} {
		for cycle, text := range part.in {
			field := part.prefix + cycle
			switch {
			case !slices.Contains(Cycles, cycle):
				c.Invalid(field, "Unknown billing cycle.")
			case text == nil:
				delete(part.out, cycle)
			default:
				part.out[cycle] = amounts.Parse(&c, field, *text, digits)
			}
		}
	}
	return c.Err()
}
