// Package memory holds the auth service's in-memory store adapters, used in
// single-node mode and fast tests. They honour the same contract as the
// PostgreSQL adapters (see storetest).
package memory

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/auth/keys"
)

// Keys is an in-memory keys.Store.
type Keys struct {
	mu    sync.RWMutex
	next  int64
	byID  map[int64]*keys.Key
	byKey map[string]int64
	now   func() time.Time
}

// NewKeys returns an empty store.
func NewKeys() *Keys {
	return &Keys{byID: map[int64]*keys.Key{}, byKey: map[string]int64{}, now: time.Now}
}

func clone(k keys.Key) keys.Key {
	k.Permissions = slices.Clone(k.Permissions)
	k.SecretHash = slices.Clone(k.SecretHash)
	k.PrevSecretHash = slices.Clone(k.PrevSecretHash)
	k.RotationKey = slices.Clone(k.RotationKey)
	k.AllowedIPs = slices.Clone(k.AllowedIPs)
	if k.AllowedIPs == nil {
		k.AllowedIPs = []string{}
	}
	for _, t := range []**time.Time{&k.ExpiresAt, &k.LastUsedAt, &k.RevokedAt, &k.PrevSecretUntil, &k.RotatedAt} {
		if *t != nil {
			u := (*t).UTC().Truncate(time.Microsecond)
			*t = &u
		}
	}
	return k
}

// Create inserts k.
func (s *Keys) Create(_ context.Context, k *keys.Key) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.byKey[k.APIKey]; dup {
		return &errs.Error{Kind: errs.Conflict, Message: "The api_key is already in use.", Params: map[string]string{"api_key": "Already in use."}}
	}
	s.next++
	k.ID = s.next
	k.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	c := clone(*k)
	s.byID[k.ID] = &c
	s.byKey[k.APIKey] = k.ID
	*k = clone(c)
	return nil
}

// Upsert inserts or resets k by api_key.
func (s *Keys) Upsert(ctx context.Context, k *keys.Key) error {
	s.mu.Lock()
	id, ok := s.byKey[k.APIKey]
	if !ok {
		s.mu.Unlock()
		return s.Create(ctx, k)
	}
	defer s.mu.Unlock()
	old := s.byID[id]
	k.ID, k.CreatedAt = old.ID, old.CreatedAt
	k.LastUsedAt, k.RotatedAt = old.LastUsedAt, old.RotatedAt
	k.RevokedAt, k.PrevSecretHash, k.PrevSecretUntil, k.RotationKey = nil, nil, nil, nil
	c := clone(*k)
	s.byID[id] = &c
	*k = clone(c)
	return nil
}

// Get returns a key by id.
func (s *Keys) Get(_ context.Context, id int64) (keys.Key, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.byID[id]
	if !ok {
		return keys.Key{}, errs.NotFoundResource("key", "")
	}
	return clone(*k), nil
}

// GetByAPIKey returns a key by api_key.
func (s *Keys) GetByAPIKey(_ context.Context, apiKey string) (keys.Key, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.byKey[apiKey]
	if !ok {
		return keys.Key{}, errs.NotFoundResource("key", "")
	}
	return clone(*s.byID[id]), nil
}

// List pages keys by id.
func (s *Keys) List(_ context.Context, f keys.ListFilter) ([]keys.Key, int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var all []keys.Key
	for _, k := range s.byID {
		if f.CustomerID != 0 && k.CustomerID != f.CustomerID {
			continue
		}
		if f.AccountID != 0 && k.AccountID != f.AccountID {
			continue
		}
		if !f.IncludeRevoked && k.RevokedAt != nil {
			continue
		}
		all = append(all, clone(*k))
	}
	slices.SortFunc(all, func(a, b keys.Key) int {
		if f.Newest {
			return cmp.Compare(b.ID, a.ID)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	total := len(all)
	if f.Offset >= total {
		return []keys.Key{}, total, nil
	}
	end := total
	if f.Limit > 0 && f.Offset+f.Limit < end {
		end = f.Offset + f.Limit
	}
	return all[f.Offset:end], total, nil
}

// Update runs fn on a copy of the key and keeps the mutable fields it set.
func (s *Keys) Update(_ context.Context, id int64, fn func(*keys.Key) error) (keys.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.byID[id]
	if !ok {
		return keys.Key{}, errs.NotFoundResource("key", "")
	}
	work := clone(*k)
	if err := fn(&work); err != nil {
		return keys.Key{}, err
	}
	next := clone(*k)
	next.Name, next.Permissions, next.AllowedIPs, next.RateLimit = work.Name, work.Permissions, work.AllowedIPs, work.RateLimit
	next.ExpiresAt, next.SecretHash, next.PrevSecretHash = work.ExpiresAt, work.SecretHash, work.PrevSecretHash
	next.PrevSecretUntil, next.RotatedAt, next.RotationKey = work.PrevSecretUntil, work.RotatedAt, slices.Clone(work.RotationKey)
	next = clone(next)
	s.byID[id] = &next
	return clone(next), nil
}

// Revoke marks a key revoked.
func (s *Keys) Revoke(_ context.Context, id int64, at time.Time) (keys.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.byID[id]
	if !ok {
		return keys.Key{}, errs.NotFoundResource("key", "")
	}
	if k.RevokedAt == nil {
		t := at.UTC().Truncate(time.Microsecond)
		k.RevokedAt = &t
	}
	return clone(*k), nil
}

// Touch records a use.
func (s *Keys) Touch(_ context.Context, id int64, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.byID[id]
	if !ok {
		return errs.NotFoundResource("key", "")
	}
	if t := at.UTC().Truncate(time.Microsecond); k.LastUsedAt == nil || t.After(*k.LastUsedAt) {
		k.LastUsedAt = &t
	}
	return nil
}
