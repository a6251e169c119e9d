package settings

import (
	"context"
	"encoding/json"
	"time"
)

// Stored is a setting's stored value.
type Stored struct {
	Value     json.RawMessage
	UpdatedAt time.Time
}

// Store is the persistence port of settings values (the registry is in
// the code). Values are canonical JSON; adapters keep them as given.
type Store interface {
	// All returns every stored value by key.
	All(ctx context.Context) (map[string]Stored, error)
	// Get returns the stored value of key, and whether there is one.
	Get(ctx context.Context, key string) (Stored, bool, error)
	// Put stores value for key at at.
	Put(ctx context.Context, key string, value json.RawMessage, at time.Time) (Stored, error)
}
