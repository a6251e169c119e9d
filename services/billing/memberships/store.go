package memberships

import (
	"context"
	"time"
)

// Store is the persistence port of memberships. A missing membership is
// errs.NotFound with resource "membership"; an unknown customer or plan
// errs.Invalid naming customer_id or plan_id. Every change writes its
// events (Events) with it, and every call joins the transaction of its
// context.
type Store interface {
	Create(ctx context.Context, m *Membership) error
	Get(ctx context.Context, id int64) (Membership, error)
	List(ctx context.Context, f ListFilter) ([]Membership, int, error)
	// Update loads membership id, lets fn change it and saves it; fn's
	// error aborts and is returned as is; an unchanged membership is not
	// written.
	Update(ctx context.Context, id int64, fn func(*Membership) error) (Membership, error)
	Delete(ctx context.Context, id int64) (Membership, error)
}

// ListFilter selects, orders and pages memberships.
type ListFilter struct {
	CustomerID             int64 // 0: every customer
	SiteID                 int64
	PlanID                 int64
	Status                 string
	CreatedFrom, CreatedTo *time.Time
	// Search keeps memberships whose gateway, gateway customer or
	// subscription id contains it.
	Search        string
	OrderBy       Order
	Desc          bool
	Offset, Limit int // Limit 0: all
}
