// Package client is the Go client of the auth service's internal API: the
// gateway verifies credentials, polls the settings it applies and reports
// key activity; billing reads whether registration is open; the operator's
// CLI reads and writes settings.
package client

import (
	"context"
	"net/http"
	"time"

	"github.com/hostplane/hostplane/libs/upstream"
)

// Internal routes of the auth service.
const VerifyPath = "/internal/v1/keys/verify"

// VerifyRequest is a credential pair.
type VerifyRequest struct {
	APIKey    string `json:"api_key"`
	APISecret string `json:"api_secret"`
}

// Identity is a verified key as the gateway needs it.
type Identity struct {
	KeyID       int64         `json:"key_id"`
	AccountID   int64         `json:"account_id"`
	Name        string        `json:"name"`
	APIKey      string        `json:"api_key"`
	Permissions []string      `json:"permissions"`
	CustomerID  int64         `json:"customer_id,omitempty"`
	RateLimit   int           `json:"rate_limit,omitempty"`
	RatePeriod  time.Duration `json:"rate_period,omitempty"`
	// ExpiresAt is when this answer stops holding: the earliest of the
	// key's expiry and, when the secret presented is the previous one of a
	// rotated key, the end of its grace period (callers may cache the
	// answer until then).
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// AllowedIPs restricts the key to these CIDRs (a bare IP is a /32 or
	// /128); empty: any address.
	AllowedIPs []string `json:"allowed_ips,omitempty"`
}

// Client calls the auth service.
type Client struct{ up *upstream.Client }

// New returns a client over an upstream client of service "auth".
func New(up *upstream.Client) *Client { return &Client{up: up} }

// Verify checks a credential. A refusal is an errs.Unauthorized whose Reason
// is the cause (unknown_key, bad_secret, rotated, revoked, expired).
func (c *Client) Verify(ctx context.Context, apiKey, secret string) (Identity, error) {
	var id Identity
	err := c.up.Do(ctx, http.MethodPost, VerifyPath, VerifyRequest{APIKey: apiKey, APISecret: secret}, &id)
	return id, err
}
