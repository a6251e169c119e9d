package products

import (
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/billingevent"
)

// EventData is the data of product.created, .updated and .deleted.
type EventData struct {
	ProductID int64  `json:"product_id"`
	Slug      string `json:"slug"`
	Type      string `json:"type"`
	Status    string `json:"status"`
	Stock     int    `json:"stock"`
}

// Events are the events of a product change (nil before: creation, nil
// after: deletion).
func Events(before, after *Product) []events.Event {
	typ, p := "product.updated", after
	switch {
	case before == nil:
		typ = "product.created"
	case after == nil:
		typ, p = "product.deleted", before
	}
	return []events.Event{billingevent.New(typ, billingevent.Subject("product", p.ID),
		EventData{ProductID: p.ID, Slug: p.Slug, Type: p.Type, Status: p.Status, Stock: p.Stock})}
}

// PricingEventData is the data of pricing.created, .updated and .deleted.
type PricingEventData struct {
	PricingID int64  `json:"pricing_id"`
	ProductID int64  `json:"product_id"`
	Currency  string `json:"currency"`
}

// PricingEvents are the events of a pricing change.
func PricingEvents(before, after *Pricing) []events.Event {
	typ, p := "pricing.updated", after
	switch {
	case before == nil:
		typ = "pricing.created"
	case after == nil:
		typ, p = "pricing.deleted", before
	}
	return []events.Event{billingevent.New(typ, billingevent.Subject("pricing", p.ID),
		PricingEventData{PricingID: p.ID, ProductID: p.ProductID, Currency: p.Currency})}
}
