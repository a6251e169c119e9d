package memory

import (
	"context"
	"sync"
	"time"

	"github.com/hostplane/hostplane/services/auth/license"
)

// Installation is an in-memory license.Store.
type Installation struct {
	mu       sync.Mutex
	instance *license.Instance
}

// NewInstallation returns a store without an instance yet.
func NewInstallation() *Installation { return &Installation{} }

// Instance returns the instance, storing id first if there is none.
func (s *Installation) Instance(_ context.Context, id string, at time.Time) (license.Instance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.instance == nil {
		s.instance = &license.Instance{ID: id, CreatedAt: at.UTC().Truncate(time.Microsecond)}
	}
	return *s.instance, nil
}
