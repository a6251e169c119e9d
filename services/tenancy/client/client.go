// Package client is the Go client of the tenancy service's internal API,
// used by other services (sites) and tests: create a site's tables in the
// shared hosting database, read a site's tenant status.
package client

import (
	"context"
	"net/http"
	"strconv"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/upstream"
)

// Service is the tenancy service's name in discovery.
const Service = "tenancy"

// TenantsPath is the internal route of tenants: TenantsPath + site id
// (GET: status) and + "/shared-tables" (POST).
const TenantsPath = "/internal/v1/tenants/"

// Status is a site's tenant status, as migration-status shows it.
type Status struct {
	SiteID         int64        `json:"site_id"`
	IsolationModel string       `json:"isolation_model"`
	DatabaseHost   string       `json:"database_host"`
	Verification   Verification `json:"verification"`
	Ready          bool         `json:"ready"`
	State          string       `json:"state"`
	Step           *string      `json:"step"`
	Error          *string      `json:"error"`
}

// Verification holds each check's outcome: passed, failed or pending.
type Verification struct {
	NoLegacy      string `json:"no_legacy"`
	SovereignPush string `json:"sovereign_push"`
	TenantUsers   string `json:"tenant_users"`
}

// SharedTables lists a site's tables in the shared hosting database.
type SharedTables struct {
	SiteID int64    `json:"site_id"`
	Tables []string `json:"tables"`
}

// Client calls the tenancy service.
type Client struct{ up *upstream.Client }

// New returns a client over an upstream client of service "tenancy".
func New(up *upstream.Client) *Client { return &Client{up: up} }

// CreateSharedTables creates site siteID's tables in the shared hosting
// database from the template schema (idempotent). Without PostgreSQL, or
// for a site that is a tenant already, it is errs.Conflict.
func (c *Client) CreateSharedTables(ctx context.Context, siteID int64) (SharedTables, error) {
	var out SharedTables
	if siteID <= 0 {
		return out, errs.NotFoundResource("tenant", "")
	}
	err := c.up.Do(ctx, http.MethodPost, TenantsPath+strconv.FormatInt(siteID, 10)+"/shared-tables", nil, &out)
	return out, err
}

// Status returns site siteID's tenant status (errs.NotFound when the site
// is unknown, or not the caller's).
func (c *Client) Status(ctx context.Context, siteID int64) (Status, error) {
	var out Status
	if siteID <= 0 {
		return out, errs.NotFoundResource("tenant", "")
	}
	err := c.up.Do(ctx, http.MethodGet, TenantsPath+strconv.FormatInt(siteID, 10), nil, &out)
	return out, err
}
