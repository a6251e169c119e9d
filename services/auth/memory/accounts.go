package memory

import (
	"context"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/auth/accounts"
)

// Accounts is an in-memory accounts.Store.
type Accounts struct {
	mu   sync.Mutex
	byID map[int64]accounts.Account
	next int64
	now  func() time.Time
}

// NewAccounts returns an empty store.
func NewAccounts() *Accounts {
	return &Accounts{byID: map[int64]accounts.Account{}, now: time.Now}
}

func accountNotFound() error { return errs.NotFoundResource("account", "") }

func stamp(t *time.Time, now time.Time) {
	if t.IsZero() {
		*t = now
	}
	*t = t.UTC().Truncate(time.Microsecond)
}

// Ensure stores a unless its id exists.
func (s *Accounts) Ensure(_ context.Context, a accounts.Account) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[a.ID]; ok {
		return nil
	}
	now := s.now()
	stamp(&a.CreatedAt, now)
	stamp(&a.UpdatedAt, now)
	s.byID[a.ID] = a
	s.next = max(s.next, a.ID)
	return nil
}

// Create inserts a with a new id.
func (s *Accounts) Create(_ context.Context, a *accounts.Account) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	a.ID = s.next
	now := s.now()
	stamp(&a.CreatedAt, now)
	stamp(&a.UpdatedAt, now)
	s.byID[a.ID] = *a
	return nil
}

// Get returns an account.
func (s *Accounts) Get(_ context.Context, id int64) (accounts.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.byID[id]
	if !ok {
		return accounts.Account{}, accountNotFound()
	}
	return a, nil
}

// Update runs fn on a copy and keeps contact, level and update time.
func (s *Accounts) Update(_ context.Context, id int64, fn func(*accounts.Account) error) (accounts.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.byID[id]
	if !ok {
		return accounts.Account{}, accountNotFound()
	}
	work := a
	if err := fn(&work); err != nil {
		return accounts.Account{}, err
	}
	a.Contact, a.Level = work.Contact, work.Level
	a.UpdatedAt = work.UpdatedAt.UTC().Truncate(time.Microsecond)
	s.byID[id] = a
	return a, nil
}
