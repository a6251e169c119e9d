package domains

import (
	"context"
	"time"
)

// Store is the persistence port of domains. A missing domain is
// errs.NotFound with resource "domain"; a taken name is errs.Conflict
// naming "domain"; an unknown site is errs.Invalid naming "blog_id". Every
// change writes its event (domain.created|updated|deleted) with it, and
// making a domain primary demotes the site's other domains in the same
// transaction.
type Store interface {
	Create(ctx context.Context, d *Domain) error
	Get(ctx context.Context, id int64) (Domain, error)
	List(ctx context.Context, f ListFilter) ([]Domain, int, error)
	// Update loads domain id, lets fn change it and saves it atomically
	// (IDs, site and creation date cannot change).
	Update(ctx context.Context, id int64, fn func(*Domain) error) (Domain, error)
	Delete(ctx context.Context, id int64) (Domain, error)
	// Due claims up to limit domains still being checked whose next check
	// is due at now, pushing their next check to now+lease so that no other
	// checker takes them meanwhile.
	Due(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Domain, error)
}

// ListFilter selects, orders and pages domains.
type ListFilter struct {
	CustomerID    int64 // a restricted caller's customer (0: all)
	SiteID        int64
	Search        string
	Stage         string
	CreatedFrom   *time.Time
	CreatedTo     *time.Time
	OrderBy       Order
	Desc          bool
	Offset, Limit int
}
