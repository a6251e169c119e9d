// Package sitesapi adapts the sites service's Go client to the tenants.Sites
// port.
package sitesapi

import (
	"context"

	"github.com/hostplane/hostplane/services/sites/client"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// Sites finds sites through the sites service's internal API; the caller's
// principal travels with the call, so another customer's site is not found.
type Sites struct{ c *client.Client }

// New returns the adapter over c.
func New(c *client.Client) *Sites { return &Sites{c: c} }

// Site implements tenants.Sites.
func (s *Sites) Site(ctx context.Context, id int64) (tenants.Site, error) {
	site, err := s.c.Site(ctx, id)
	if err != nil {
		return tenants.Site{}, err
	}
	return tenants.Site{ID: site.ID, CustomerID: site.CustomerID, Code: site.Code, Root: site.Root}, nil
}
