package stats

import (
	"context"
	"slices"
	"sync"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/errs"
	billing "github.com/hostplane/hostplane/services/billing/client"
)

// lazyBilling is the billing service's client, found on first use: the
// limits of a site's plan (quota.Plans) and whether a customer's email is
// verified when its event does not say (projection.Customers).
type lazyBilling struct {
	rt     *component.Runtime
	mu     sync.Mutex
	client *billing.Client
}

func (l *lazyBilling) get(ctx context.Context) (*billing.Client, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.client != nil {
		return l.client, nil
	}
	up, err := l.rt.Upstream(ctx, billing.Service)
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "The billing service is unavailable.")
	}
	l.client = billing.New(up)
	return l.client, nil
}

// planOrder ranks membership statuses: the plan of a live membership
// first, then a suspended one, then any.
var planOrder = []string{"active", "trialing", "on-hold", "pending", "expired", "cancelled"}

// Limits are the limits of the plan of the site's membership (nil: the
// site has none, nothing is limited).
func (l *lazyBilling) Limits(ctx context.Context, siteID int64) (map[string]int64, error) {
	c, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := c.MembershipsOfSite(ctx, siteID)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	rank := func(s string) int {
		if i := slices.Index(planOrder, s); i >= 0 {
			return i
		}
		return len(planOrder)
	}
	best := ms[0]
	for _, m := range ms[1:] {
		if r, b := rank(m.Status), rank(best.Status); r < b || r == b && m.DateCreated.After(best.DateCreated) {
			best = m
		}
	}
	p, err := c.Product(ctx, best.PlanID)
	if errs.KindOf(err) == errs.NotFound {
		return nil, nil
	}
	return p.Limits, err
}

// EmailVerification is a customer's email state (none|pending|verified).
func (l *lazyBilling) EmailVerification(ctx context.Context, id int64) (string, error) {
	c, err := l.get(ctx)
	if err != nil {
		return "", err
	}
	cu, err := c.Customer(ctx, id)
	return cu.EmailVerification, err
}
