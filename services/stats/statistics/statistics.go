// Package statistics serves the cx statistics (GET
// /api/application/statistics): customers by status, services (billing's
// memberships) by status and revenue per currency, counted from the
// records the stats service keeps of billing's events. A caller
// restricted to a customer gets that customer's figures.
package statistics

import (
	"context"
	"maps"

	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/stats/projection"
)

// Statistics are the installation's figures.
type Statistics struct {
	Customers Customers
	// Services counts memberships by status as cx names them (billing's
	// on-hold is suspended); every status is present.
	Services map[string]int64
	Total    int64
	Revenue  []projection.Revenue
}

// Customers counts customers.
type Customers struct {
	Total, Active, Suspended, Pending, Banned, Confirmed int64
}

// ServiceStatuses are the cx service statuses, in order.
var ServiceStatuses = []string{"pending", "active", "trialing", "suspended", "expired", "cancelled"}

// Store is the port the statistics are counted from (projection.Store).
type Store interface {
	Counts(ctx context.Context, customerID int64) (projection.Counts, error)
}

// Service computes the statistics.
type Service interface {
	Get(ctx context.Context) (Statistics, error)
}

type service struct{ store Store }

// NewService returns the statistics service.
func NewService(store Store) Service { return &service{store: store} }

func (s *service) Get(ctx context.Context) (Statistics, error) {
	c, err := s.store.Counts(ctx, principal.CustomerScope(ctx))
	if err != nil {
		return Statistics{}, err
	}
	out := Statistics{Services: map[string]int64{}, Revenue: c.Revenue}
	for _, st := range ServiceStatuses {
		out.Services[st] = 0
	}
	for st, n := range c.Services {
		if st == "on-hold" {
			st = "suspended"
		}
		out.Services[st] += n
		out.Total += n
	}
	cu := &out.Customers
	cu.Active, cu.Suspended, cu.Pending, cu.Banned = c.Customers["active"], c.Customers["suspended"], c.Customers["pending"], c.Customers["banned"]
	for n := range maps.Values(c.Customers) {
		cu.Total += n
	}
	cu.Confirmed = c.Confirmed
	if out.Revenue == nil {
		out.Revenue = []projection.Revenue{}
	}
	return out, nil
}
