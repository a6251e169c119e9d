package payments

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/amounts"
)

// Input creates a payment (nil fields take their defaults) or changes one
// (nil fields stay). Amounts are decimal text in the payment's currency.
type Input struct {
	CustomerID, MembershipID, ProductID, ParentID *int64
	Currency                                      *string
	Subtotal, TaxTotal, DiscountTotal             *string
	RefundTotal, Total                            *string
	Status                                        *string
	Gateway, GatewayPaymentID, DiscountCode       *string
	Kind                                          string // creation only (KindManual by default)
}

// MaxText bounds the text fields.
const MaxText = 255

// applyAmounts sets the money fields of in on p and makes the totals
// agree: total = subtotal + tax - discount. A subtotal left out follows
// the total (and the total the subtotal); both given must agree.
func (in Input) applyAmounts(c *errs.Collector, p *Payment, creating bool) {
	oldCurrency := p.Currency
	if in.Currency != nil {
		p.Currency, _ = amounts.Currency(c, "currency", *in.Currency)
	}
	digits := amounts.Digits(p.Currency)
	fields := []struct {
		name string
		text *string
		dst  *int64
	}{
		{"subtotal", in.Subtotal, &p.Subtotal}, {"tax_total", in.TaxTotal, &p.TaxTotal},
		{"discount_total", in.DiscountTotal, &p.DiscountTotal}, {"refund_total", in.RefundTotal, &p.RefundTotal},
		{"total", in.Total, &p.Total},
	}
	for _, f := range fields {
		switch {
		case f.text != nil:
			*f.dst = amounts.Parse(c, f.name, *f.text, digits)
		case oldCurrency != "" && oldCurrency != p.Currency:
			n, ok := amounts.Rescale(*f.dst, oldCurrency, p.Currency)
			if !ok {
				c.Invalid(f.name, "Give the "+f.name+" in the new currency.")
			}
			*f.dst = n
		}
	}
	switch {
	case in.Total != nil && in.Subtotal == nil:
		p.Subtotal = p.Total - p.TaxTotal + p.DiscountTotal
	case in.Subtotal != nil && in.Total == nil, in.Total == nil && (in.TaxTotal != nil || in.DiscountTotal != nil):
		p.Total = p.Subtotal + p.TaxTotal - p.DiscountTotal
	}
	if creating && in.Total == nil && in.Subtotal == nil && p.Total == 0 && p.Subtotal == 0 {
		c.Missing("total")
	}
	if p.Subtotal < 0 && !c.Has("subtotal") {
		c.Invalid("subtotal", "Must not be negative (tax_total and discount_total do not add up with total).")
	}
	if p.Total != p.Subtotal+p.TaxTotal-p.DiscountTotal && !c.Has("total") {
		c.Invalid("total", fmt.Sprintf("Must equal subtotal + tax_total - discount_total (%s).",
			amounts.Format(p.Subtotal+p.TaxTotal-p.DiscountTotal, p.Currency)))
	}
	if p.Total < 0 && !c.Has("total") {
		c.Invalid("total", "Must not be negative.")
	}
	if p.RefundTotal > p.Total && !c.Has("refund_total") {
		c.Invalid("refund_total", "Must not exceed the total.")
	}
}

// applyText sets the text fields of in on p.
func (in Input) applyText(c *errs.Collector, p *Payment) {
	for _, t := range []struct {
		field string
		v     *string
		dst   *string
	}{
		{"gateway", in.Gateway, &p.Gateway}, {"gateway_payment_id", in.GatewayPaymentID, &p.GatewayPaymentID},
		{"discount_code", in.DiscountCode, &p.DiscountCode},
	} {
		if t.v == nil {
			continue
		}
		*t.dst = strings.TrimSpace(*t.v)
		switch {
		case !utf8.ValidString(*t.dst) || strings.ContainsRune(*t.dst, 0):
			c.Invalid(t.field, "Must be valid UTF-8 text.")
		case utf8.RuneCountInString(*t.dst) > MaxText:
			c.Invalid(t.field, fmt.Sprintf("Must be at most %d characters.", MaxText))
		}
	}
	if in.ParentID != nil {
		p.ParentID = *in.ParentID
		if p.ParentID < 0 {
			c.Invalid("parent_id", "Must be a positive integer.")
		}
	}
}

// Check reports the problems of in's own fields, as Create would before
// looking up the customer, membership and product.
func Check(in Input) error {
	var c errs.Collector
	p := Payment{}
	if in.Currency == nil {
		usd := "USD"
		in.Currency = &usd
	}
	in.applyAmounts(&c, &p, true)
	in.applyText(&c, &p)
	return c.Err()
}
