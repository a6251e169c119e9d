package keys

import (
	"context"
	"time"
)

// Store is the persistence port of keys. Adapters map their errors to
// libs/errs (not found → errs.NotFound with resource "key", duplicate
// api_key → errs.Conflict).
type Store interface {
	// Create inserts k and sets its ID and CreatedAt.
	Create(ctx context.Context, k *Key) error
	// Upsert inserts k or, when its APIKey exists, replaces its secret hash,
	// name, email, permissions, customer, allow-list, limit and expiry and
	// clears any revocation, previous secret and rotation key. It sets ID
	// and CreatedAt.
	Upsert(ctx context.Context, k *Key) error
	Get(ctx context.Context, id int64) (Key, error)
	GetByAPIKey(ctx context.Context, apiKey string) (Key, error)
	// List returns keys ordered by id (ascending, or descending with
	// Newest), optionally only those of one account and those restricted to
	// one customer, and the total count.
	List(ctx context.Context, f ListFilter) ([]Key, int, error)
	// Update runs fn on key id, with no other change of the key in between,
	// and stores what fn left in Name, Permissions, AllowedIPs, RateLimit,
	// ExpiresAt, SecretHash, PrevSecretHash, PrevSecretUntil, RotatedAt and
	// RotationKey.
	// An error of fn is returned as it is and nothing changes.
	Update(ctx context.Context, id int64, fn func(*Key) error) (Key, error)
	// Revoke sets RevokedAt (keeping an earlier revocation) and returns the key.
	Revoke(ctx context.Context, id int64, at time.Time) (Key, error)
	// Touch records a use at at; LastUsedAt never moves back.
	Touch(ctx context.Context, id int64, at time.Time) error
}

// ListFilter selects and pages keys.
type ListFilter struct {
	AccountID      int64 // 0: every account
	CustomerID     int64
	IncludeRevoked bool
	Newest         bool // newest (highest id) first
	Offset, Limit  int
}
