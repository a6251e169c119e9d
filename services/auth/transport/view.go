// Package transport mounts the auth service's endpoints on HTTP: the cx
// dialect's /api/application/keys (and a key's rotation and activity) and
// /api/application/license, the sb dialect's /v1/account.json and
// /v1/account/contact.json, the wu dialect's /wp-json/wu/v2/settings, and
// the internal routes the gateway, billing and the CLI use (credential
// verification, gateway and registration settings, key activity batches,
// settings by key).
package transport

import (
	"time"

	"github.com/hostplane/hostplane/services/auth/activity"
	"github.com/hostplane/hostplane/services/auth/keys"
)

// keyView is a key as the API shows it. The secret appears only in the
// response that created or rotated the key.
type keyView struct {
	ID                      int64      `json:"id"`
	AccountID               int64      `json:"account_id"`
	Name                    string     `json:"name"`
	Email                   string     `json:"email"`
	APIKey                  string     `json:"api_key"`
	APISecret               string     `json:"api_secret,omitempty"`
	Token                   string     `json:"token,omitempty"`
	Permissions             []string   `json:"permissions"`
	CustomerID              *int64     `json:"customer_id"`
	AllowedIPs              []string   `json:"allowed_ips"`
	RateLimit               *string    `json:"rate_limit"`
	Status                  string     `json:"status"`
	ExpiresAt               *time.Time `json:"expires_at"`
	CreatedAt               time.Time  `json:"created_at"`
	LastUsedAt              *time.Time `json:"last_used_at"`
	RevokedAt               *time.Time `json:"revoked_at"`
	RotatedAt               *time.Time `json:"rotated_at"`
	PreviousSecretExpiresAt *time.Time `json:"previous_secret_expires_at"`
}

func viewOf(k keys.Key, now time.Time) keyView {
	v := keyView{
		ID: k.ID, AccountID: k.AccountID, Name: k.Name, Email: k.Email, APIKey: k.APIKey,
		Permissions: k.Permissions, AllowedIPs: k.AllowedIPs, ExpiresAt: utc(k.ExpiresAt), CreatedAt: k.CreatedAt.UTC(),
		LastUsedAt: utc(k.LastUsedAt), RevokedAt: utc(k.RevokedAt), RotatedAt: utc(k.RotatedAt), Status: "active",
	}
	if v.Permissions == nil {
		v.Permissions = []string{}
	}
	if v.AllowedIPs == nil {
		v.AllowedIPs = []string{}
	}
	if k.InGrace(now) {
		v.PreviousSecretExpiresAt = utc(k.PrevSecretUntil)
	}
	if k.CustomerID != 0 {
		id := k.CustomerID
		v.CustomerID = &id
	}
	if !k.RateLimit.IsZero() {
		s := k.RateLimit.String()
		v.RateLimit = &s
	}
	switch {
	case k.RevokedAt != nil:
		v.Status = "revoked"
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		v.Status = "expired"
	}
	return v
}

// callView is one call of a key's activity log.
type callView struct {
	ID     int64     `json:"id"`
	KeyID  int64     `json:"key_id"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
	IP     string    `json:"ip"`
	At     time.Time `json:"at"`
}

func callViewOf(c activity.Call) callView {
	return callView{ID: c.ID, KeyID: c.KeyID, Method: c.Method, Path: c.Path, Status: c.Status, IP: c.IP, At: c.At.UTC()}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
