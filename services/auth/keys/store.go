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
	// name, email, permissions, customer, limit and expiry and clears any
	// revocation. It sets ID and CreatedAt.
	Upsert(ctx context.Context, k *Key) error
	Get(ctx context.Context, id int64) (Key, error)
	GetByAPIKey(ctx context.Context, apiKey string) (Key, error)
	// List returns keys ordered by id (ascending), optionally only those
	// restricted to customerID (0: all), and the total count.
	List(ctx context.Context, f ListFilter) ([]Key, int, error)
	// Revoke sets RevokedAt (keeping an earlier revocation) and returns the key.
	Revoke(ctx context.Context, id int64, at time.Time) (Key, error)
	// Touch records a use.
	Touch(ctx context.Context, id int64, at time.Time) error
}

// ListFilter selects and pages keys.
type ListFilter struct {
	CustomerID     int64
	IncludeRevoked bool
	Offset, Limit  int
}
