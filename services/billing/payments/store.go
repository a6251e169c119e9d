package payments

import (
	"context"
	"time"
)

// Store is the persistence port of payments. Create gives the payment the
// next invoice number of the installation. A missing payment is
// errs.NotFound with resource "payment"; an unknown customer, membership or
// product errs.Invalid naming customer_id, membership_id or product_id.
// Every change writes its events (Events) with it, and every call joins
// the transaction of its context.
type Store interface {
	Create(ctx context.Context, p *Payment) error
	Get(ctx context.Context, id int64) (Payment, error)
	List(ctx context.Context, f ListFilter) ([]Payment, int, error)
	// Update loads payment id, lets fn change it and saves it; fn's error
	// aborts and is returned as is; an unchanged payment is not written.
	Update(ctx context.Context, id int64, fn func(*Payment) error) (Payment, error)
	Delete(ctx context.Context, id int64) (Payment, error)
}

// ListFilter selects, orders and pages payments.
type ListFilter struct {
	CustomerID             int64
	MembershipID           int64
	Status                 string
	CreatedFrom, CreatedTo *time.Time
	// Search keeps payments whose invoice number or gateway payment id
	// contains it.
	Search        string
	OrderBy       Order
	Desc          bool
	Offset, Limit int
}
