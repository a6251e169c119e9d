package client

import (
	"context"
	"net/http"
	"time"

	"github.com/hostplane/hostplane/services/auth/activity"
)

// ActivityKeep is how many calls of each key the auth service keeps: a
// batch holding more of one key's calls has its oldest discarded there.
const ActivityKeep = activity.Keep

// Internal routes the gateway uses besides verification.
const (
	GatewaySettingsPath = "/internal/v1/settings/gateway"
	ActivityPath        = "/internal/v1/keys/activity"
)

// GatewaySettings are the settings every gateway applies (polled twice a
// second, so a change reaches every gateway within one).
type GatewaySettings struct {
	EnableAPI bool `json:"enable_api"`
}

// Call is one API call made with a key, for its activity log.
type Call struct {
	KeyID  int64     `json:"key_id"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
	At     time.Time `json:"at"`
	IP     string    `json:"ip"`
}

// ActivityBatch is the body of ActivityPath.
type ActivityBatch struct {
	Calls []Call `json:"calls"`
}

// GatewaySettings reads the settings gateways apply.
func (c *Client) GatewaySettings(ctx context.Context) (GatewaySettings, error) {
	var out GatewaySettings
	err := c.up.Do(ctx, http.MethodGet, GatewaySettingsPath, nil, &out)
	return out, err
}

// RecordActivity appends calls to their keys' activity logs.
func (c *Client) RecordActivity(ctx context.Context, calls []Call) error {
	return c.up.Do(ctx, http.MethodPost, ActivityPath, ActivityBatch{Calls: calls}, nil)
}
