// Package client is the Go client of the sites service's internal API: the
// contract billing (checkout), tenancy and stats code against.
package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/upstream"
)

// Service is the sites service's name in discovery.
const Service = "sites"

// SitesPath is the internal route of sites: POST (create), GET /{id},
// GET ?code=X, DELETE /{id}.
const SitesPath = "/internal/v1/sites"

// Site is a site as the internal API sends it.
type Site struct {
	ID           int64     `json:"id"`
	Code         string    `json:"code"` // sb code_site, also the wu site_url
	CustomerID   int64     `json:"customer_id"`
	MembershipID int64     `json:"membership_id,omitempty"`
	Title        string    `json:"title"`
	Domain       string    `json:"domain"`
	Path         string    `json:"path"`
	Type         string    `json:"type"`
	Active       bool      `json:"active"`
	Status       string    `json:"status"` // open|suspended|closed
	Root         string    `json:"root"`   // filesystem root
	DateCreated  time.Time `json:"date_created"`
}

// CreateSite asks for a site. Idempotent by IdempotencyKey when set (a
// retried checkout step gets the same site).
type CreateSite struct {
	Code           string `json:"code"`
	CustomerID     int64  `json:"customer_id"`
	MembershipID   int64  `json:"membership_id,omitempty"`
	Title          string `json:"title"`
	TemplateID     int64  `json:"template_id,omitempty"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// Client calls the sites service.
type Client struct{ up *upstream.Client }

// New returns a client over an upstream client of service "sites".
func New(up *upstream.Client) *Client { return &Client{up: up} }

// Site returns site id (errs.NotFound when missing or not the caller's).
func (c *Client) Site(ctx context.Context, id int64) (Site, error) {
	if id <= 0 {
		return Site{}, errs.NotFoundResource("site", "")
	}
	var out Site
	err := c.up.Do(ctx, http.MethodGet, SitesPath+"/"+strconv.FormatInt(id, 10), nil, &out)
	return out, err
}

// SiteByCode returns the site of code_site code.
func (c *Client) SiteByCode(ctx context.Context, code string) (Site, error) {
	var out Site
	err := c.up.Do(ctx, http.MethodGet, SitesPath+"?"+url.Values{"code": {code}}.Encode(), nil, &out)
	return out, err
}

// Create makes a site (a conflict when the code is taken).
func (c *Client) Create(ctx context.Context, in CreateSite) (Site, error) {
	var out Site
	err := c.up.Do(ctx, http.MethodPost, SitesPath, in, &out)
	return out, err
}

// Delete removes a site (checkout rollback); deleting a missing site is
// not an error.
func (c *Client) Delete(ctx context.Context, id int64) error {
	err := c.up.Do(ctx, http.MethodDelete, SitesPath+"/"+strconv.FormatInt(id, 10), nil, nil)
	if errs.KindOf(err) == errs.NotFound {
		return nil
	}
	return err
}
