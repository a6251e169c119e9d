package products

import (
	"context"
	"time"
)

// Store is the persistence port of products and their pricings. A missing
// product is errs.NotFound with resource "product", a missing pricing with
// "pricing"; a taken slug is errs.Conflict naming slug, a second pricing of
// a product in one currency errs.Conflict naming currency; an unknown
// group errs.Invalid naming group_id, an unknown product of a pricing
// errs.Invalid naming product_id. Deleting a product that memberships or
// payments name is errs.Conflict; its pricings go with it. Every change
// writes its events (Events, PricingEvents) with it, and every call joins
// the transaction of its context.
type Store interface {
	Create(ctx context.Context, p *Product) error
	Get(ctx context.Context, id int64) (Product, error)
	// GetBySlug returns the product of a slug.
	GetBySlug(ctx context.Context, slug string) (Product, error)
	List(ctx context.Context, f ListFilter) ([]Product, int, error)
	// Update loads product id, lets fn change it and saves it; fn's error
	// aborts and is returned as is; an unchanged product is not written.
	Update(ctx context.Context, id int64, fn func(*Product) error) (Product, error)
	Delete(ctx context.Context, id int64) (Product, error)
	// Take sells n of product id: its stock goes down by n unless it is
	// Unlimited; fewer than n left is errs.Conflict (reason
	// "out_of_stock"). Concurrent takes never sell more than the stock.
	Take(ctx context.Context, id int64, n int) (Product, error)

	CreatePricing(ctx context.Context, p *Pricing) error
	GetPricing(ctx context.Context, id int64) (Pricing, error)
	// ListPricings returns the pricings f selects, by id.
	ListPricings(ctx context.Context, f PricingFilter) ([]Pricing, int, error)
	UpdatePricing(ctx context.Context, id int64, fn func(*Pricing) error) (Pricing, error)
	DeletePricing(ctx context.Context, id int64) (Pricing, error)
}

// ListFilter selects, orders and pages products.
type ListFilter struct {
	IDs      []int64 // keep only these (nil: all)
	Type     string
	Status   string
	Statuses []string // keep those with one of these statuses (nil: any)
	GroupID  int64
	// Search keeps products whose name, slug or description contains it,
	// case-insensitively.
	Search                 string
	CreatedFrom, CreatedTo *time.Time
	OrderBy                Order
	Desc                   bool
	Offset, Limit          int // Limit 0: all
}

// PricingFilter selects and pages pricings.
type PricingFilter struct {
	ProductIDs    []int64 // nil: every product
	Currency      string
	Offset, Limit int
	Desc          bool
}
