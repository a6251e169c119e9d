// Package keys is the API key aggregate of the auth service: keys with a
// public api_key and a secret stored only as a hash, permissions, an optional
// customer restriction, IP allow-list, rate limit and expiry; their
// creation, listing, update, rotation (the previous secret stays valid for a
// grace period), revocation and the verification the gateway relies on.
package keys

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Key is an API key. The secret itself is never stored.
type Key struct {
	ID          int64
	AccountID   int64
	Name        string
	Email       string
	APIKey      string // public identifier, also the first half of a token
	SecretHash  []byte // SHA-256 of the secret
	Permissions []string
	CustomerID  int64 // 0: not restricted
	// AllowedIPs are the canonical CIDRs the key may be used from (a single
	// address is a /32 or /128); empty: any address.
	AllowedIPs []string
	RateLimit  RateLimit
	ExpiresAt  *time.Time
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	// After a rotation, the previous secret's hash stays valid until
	// PrevSecretUntil (nil hash: no previous secret).
	PrevSecretHash  []byte
	PrevSecretUntil *time.Time
	RotatedAt       *time.Time
	// RotationKey is the SHA-256 of the Idempotency-Key of the last
	// rotation, if it had one: a retry of that rotation gets the same
	// answer instead of a second rotation.
	RotationKey []byte
}

// InGrace reports whether the previous secret is still accepted at t.
func (k Key) InGrace(t time.Time) bool {
	return len(k.PrevSecretHash) > 0 && k.PrevSecretUntil != nil && t.Before(*k.PrevSecretUntil)
}

// Active reports whether the key may be used at t.
func (k Key) Active(t time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || t.Before(*k.ExpiresAt))
}

// RateLimit is a number of requests per period; zero means the gateway's
// default.
type RateLimit struct {
	Count  int
	Period time.Duration
}

// IsZero reports whether no limit is set.
func (r RateLimit) IsZero() bool { return r.Count == 0 }

// String renders "N/s", "N/m" or "N/h" ("" when unset).
func (r RateLimit) String() string {
	if r.IsZero() {
		return ""
	}
	switch r.Period {
	case time.Second:
		return strconv.Itoa(r.Count) + "/s"
	case time.Minute:
		return strconv.Itoa(r.Count) + "/m"
	case time.Hour:
		return strconv.Itoa(r.Count) + "/h"
	}
	return strconv.Itoa(r.Count) + "/" + r.Period.String()
}

// ParseRateLimit parses "N/s", "N/m" or "N/h" (also "N/second", ...).
func ParseRateLimit(s string) (RateLimit, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return RateLimit{}, nil
	}
	n, unit, ok := strings.Cut(s, "/")
	if !ok {
		return RateLimit{}, fmt.Errorf("rate limit %q: want N/s, N/m or N/h", s)
	}
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || count <= 0 || count > 1_000_000_000 {
		return RateLimit{}, fmt.Errorf("rate limit %q: count must be a positive integer", s)
	}
	var period time.Duration
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "s", "sec", "second":
		period = time.Second
	case "m", "min", "minute":
		period = time.Minute
	case "h", "hour":
		period = time.Hour
	default:
		return RateLimit{}, fmt.Errorf("rate limit %q: unit must be s, m or h", s)
	}
	return RateLimit{Count: count, Period: period}, nil
}
