package billing

import (
	"context"
	"sync"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/errs"
	sites "github.com/hostplane/hostplane/services/sites/client"
)

// lazySites is the sites service's client, found (Consul or
// HOSTPLANE_UPSTREAMS) on first use: billing starts without sites, and a
// checkout or sb subscription without it answers 503.
type lazySites struct {
	rt     *component.Runtime
	mu     sync.Mutex
	client *sites.Client
}

func (l *lazySites) get(ctx context.Context) (*sites.Client, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.client != nil {
		return l.client, nil
	}
	up, err := l.rt.Upstream(ctx, sites.Service)
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "The sites service is unavailable.")
	}
	l.client = sites.New(up)
	return l.client, nil
}

func (l *lazySites) Create(ctx context.Context, in sites.CreateSite) (sites.Site, error) {
	c, err := l.get(ctx)
	if err != nil {
		return sites.Site{}, err
	}
	return c.Create(ctx, in)
}

func (l *lazySites) Delete(ctx context.Context, id int64) error {
	c, err := l.get(ctx)
	if err != nil {
		return err
	}
	return c.Delete(ctx, id)
}

func (l *lazySites) SiteByCode(ctx context.Context, code string) (sites.Site, error) {
	c, err := l.get(ctx)
	if err != nil {
		return sites.Site{}, err
	}
	return c.SiteByCode(ctx, code)
}
