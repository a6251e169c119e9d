// Package transport mounts the auth service's endpoints on HTTP: the cx
// dialect's /api/application/keys and the internal routes the gateway and
// the CLI use (credential verification, root key seeding).
package transport

import (
	"time"

	"github.com/hostplane/hostplane/services/auth/keys"
)

// keyView is a key as the API shows it. The secret appears only in the
// response that created the key.
type keyView struct {
	ID          int64      `json:"id"`
	AccountID   int64      `json:"account_id"`
	Name        string     `json:"name"`
	Email       string     `json:"email"`
	APIKey      string     `json:"api_key"`
	APISecret   string     `json:"api_secret,omitempty"`
	Token       string     `json:"token,omitempty"`
	Permissions []string   `json:"permissions"`
	CustomerID  *int64     `json:"customer_id"`
	RateLimit   *string    `json:"rate_limit"`
	Status      string     `json:"status"`
	ExpiresAt   *time.Time `json:"expires_at"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
	RevokedAt   *time.Time `json:"revoked_at"`
}

func viewOf(k keys.Key, now time.Time) keyView {
	v := keyView{
		ID: k.ID, AccountID: k.AccountID, Name: k.Name, Email: k.Email, APIKey: k.APIKey,
		Permissions: k.Permissions, ExpiresAt: utc(k.ExpiresAt), CreatedAt: k.CreatedAt.UTC(),
		LastUsedAt: utc(k.LastUsedAt), RevokedAt: utc(k.RevokedAt), Status: "active",
	}
	if v.Permissions == nil {
		v.Permissions = []string{}
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

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
