package memory

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"sync"
	"time"

	"github.com/hostplane/hostplane/services/auth/settings"
)

// Settings is an in-memory settings.Store.
type Settings struct {
	mu     sync.RWMutex
	values map[string]settings.Stored
}

// NewSettings returns an empty store.
func NewSettings() *Settings { return &Settings{values: map[string]settings.Stored{}} }

func cloneStored(st settings.Stored) settings.Stored {
	st.Value = bytes.Clone(st.Value)
	return st
}

// All returns every stored value.
func (s *Settings) All(context.Context) (map[string]settings.Stored, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := maps.Clone(s.values)
	for k, v := range out {
		out[k] = cloneStored(v)
	}
	return out, nil
}

// Get returns one stored value.
func (s *Settings) Get(_ context.Context, key string) (settings.Stored, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.values[key]
	return cloneStored(v), ok, nil
}

// Put stores a value.
func (s *Settings) Put(_ context.Context, key string, value json.RawMessage, at time.Time) (settings.Stored, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := settings.Stored{Value: bytes.Clone(value), UpdatedAt: at.UTC().Truncate(time.Microsecond)}
	s.values[key] = st
	return cloneStored(st), nil
}
