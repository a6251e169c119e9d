package license

import (
	"context"
	"time"
)

// Store keeps the installation's identity.
type Store interface {
	// Instance returns the stored instance; when there is none it stores
	// one with id and at and returns it. Concurrent first calls agree on
	// one instance.
	Instance(ctx context.Context, id string, at time.Time) (Instance, error)
}
