package stats

import (
	"context"
	"sync"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/errs"
	sites "github.com/hostplane/hostplane/services/sites/client"
	"github.com/hostplane/hostplane/services/stats/directory"
)

// lazySites is the sites service's client as a directory.Remote, found
// (Consul or HOSTPLANE_UPSTREAMS) on first use: stats starts without
// sites, and while sites cannot be reached the directory falls back on
// the sites events it recorded.
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

func siteOf(s sites.Site) directory.Site {
	return directory.Site{ID: s.ID, Code: s.Code, CustomerID: s.CustomerID, Status: s.Status, Root: s.Root}
}

func (l *lazySites) SiteByCode(ctx context.Context, code string) (directory.Site, error) {
	c, err := l.get(ctx)
	if err != nil {
		return directory.Site{}, err
	}
	s, err := c.SiteByCode(ctx, code)
	return siteOf(s), err
}

func (l *lazySites) Site(ctx context.Context, id int64) (directory.Site, error) {
	c, err := l.get(ctx)
	if err != nil {
		return directory.Site{}, err
	}
	s, err := c.Site(ctx, id)
	return siteOf(s), err
}
