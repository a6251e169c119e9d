// Package client is the Go client of the stats service's internal API: the
// gateway reports API hits and writes through it.
package client

import (
	"context"
	"net/http"
	"time"

	"github.com/hostplane/hostplane/libs/upstream"
)

// Service is the stats service's name in discovery.
const Service = "stats"

// UsagePath receives the gateway's batches, once a second per gateway.
const UsagePath = "/internal/v1/usage"

// Hits counts API requests of one site (or, when the path names no site,
// of the calling key's customer) on one UTC day.
type Hits struct {
	SiteCode   string `json:"site_code,omitempty"` // sb paths: /v1/sites/{code}...
	SiteID     int64  `json:"site_id,omitempty"`   // wu paths: /sites/{id}, /tenants/{site_id}
	CustomerID int64  `json:"customer_id,omitempty"`
	Day        string `json:"day"` // YYYY-MM-DD
	Count      int64  `json:"count"`
}

// Write is one successful write (POST, PUT, PATCH, DELETE answered 2xx)
// made through the gateway, for the sites' activity logs.
type Write struct {
	SiteCode   string    `json:"site_code,omitempty"`
	SiteID     int64     `json:"site_id,omitempty"`
	CustomerID int64     `json:"customer_id,omitempty"`
	KeyID      int64     `json:"key_id"`
	KeyName    string    `json:"key_name"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Status     int       `json:"status"`
	At         time.Time `json:"at"`
}

// Usage is one batch from a gateway.
type Usage struct {
	Hits   []Hits  `json:"hits"`
	Writes []Write `json:"writes"`
}

// Client calls the stats service.
type Client struct{ up *upstream.Client }

// New returns a client over an upstream client of service "stats".
func New(up *upstream.Client) *Client { return &Client{up: up} }

// RecordUsage sends a gateway's batch.
func (c *Client) RecordUsage(ctx context.Context, u Usage) error {
	return c.up.Do(ctx, http.MethodPost, UsagePath, u, nil)
}
