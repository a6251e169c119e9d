// Package routing stores the routing entries of sovereign tenants, read by
// the hosting front-ends: in Consul's KV store under
// <prefix><site_id> (hostplane/tenants/12) as JSON {site_id,
// isolation_model, database_host, database_name, database_user}, or in
// memory in single-node mode without Consul.
package routing

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/hostplane/hostplane/libs/discovery"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// DefaultPrefix is where entries live in Consul's KV store.
const DefaultPrefix = "hostplane/tenants/"

// Consul keeps entries in the KV store of the Consul agent at Addr.
type Consul struct {
	Addr   string
	Prefix string // DefaultPrefix when empty
}

// Key is the KV key of site siteID.
func (c *Consul) Key(siteID int64) string {
	p := c.Prefix
	if p == "" {
		p = DefaultPrefix
	}
	return p + strconv.FormatInt(siteID, 10)
}

// Put implements tenants.Routing.
func (c *Consul) Put(ctx context.Context, r tenants.Route) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("routing: %w", err)
	}
	if err := discovery.PutKV(ctx, c.Addr, c.Key(r.SiteID), b); err != nil {
		return errs.Wrap(errs.Unavailable, err, "Consul refused the routing entry: "+err.Error())
	}
	return nil
}

// Get reads site siteID's entry (errs.NotFound when there is none).
func (c *Consul) Get(ctx context.Context, siteID int64) (tenants.Route, error) {
	var r tenants.Route
	b, err := discovery.GetKV(ctx, c.Addr, c.Key(siteID))
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("routing: entry of site %d: %w", siteID, err)
	}
	return r, nil
}

// Delete implements tenants.Routing.
func (c *Consul) Delete(ctx context.Context, siteID int64) error {
	if err := discovery.DeleteKV(ctx, c.Addr, c.Key(siteID)); err != nil {
		return errs.Wrap(errs.Unavailable, err, "Consul refused to delete the routing entry: "+err.Error())
	}
	return nil
}

// Memory keeps entries in process.
type Memory struct {
	mu      sync.Mutex
	entries map[int64]tenants.Route
}

// Put implements tenants.Routing.
func (m *Memory) Put(_ context.Context, r tenants.Route) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = map[int64]tenants.Route{}
	}
	m.entries[r.SiteID] = r
	return nil
}

// Get reads site siteID's entry (errs.NotFound when there is none).
func (m *Memory) Get(_ context.Context, siteID int64) (tenants.Route, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.entries[siteID]
	if !ok {
		return r, errs.NotFoundResource("key", "")
	}
	return r, nil
}

// Delete implements tenants.Routing.
func (m *Memory) Delete(_ context.Context, siteID int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, siteID)
	return nil
}
