package memory

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/hostplane/hostplane/services/billing/idempotency"
)

// Idempotency is an in-memory idempotency.Store.
type Idempotency struct {
	mu      sync.Mutex
	records map[[2]string]idempotency.Record
}

// NewIdempotency returns an empty store.
func NewIdempotency() *Idempotency {
	return &Idempotency{records: map[[2]string]idempotency.Record{}}
}

// Reserve claims key in scope unless it is taken.
func (s *Idempotency) Reserve(_ context.Context, scope, key, fingerprint string, now time.Time) (idempotency.Record, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := [2]string{scope, key}
	if rec, ok := s.records[k]; ok && idempotency.Taken(rec, now) {
		rec.Body = slices.Clone(rec.Body)
		return rec, false, nil
	}
	s.records[k] = idempotency.Record{Fingerprint: fingerprint, CreatedAt: now}
	return idempotency.Record{}, true, nil
}

// Complete stores the answer of key.
func (s *Idempotency) Complete(_ context.Context, scope, key string, status int, contentType string, body []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := [2]string{scope, key}
	rec := s.records[k]
	rec.Done, rec.Status, rec.ContentType, rec.Body = true, status, contentType, slices.Clone(body)
	s.records[k] = rec
	return nil
}

// Release forgets key.
func (s *Idempotency) Release(_ context.Context, scope, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.records, [2]string{scope, key})
	return nil
}

// Sweep deletes records created before before.
func (s *Idempotency) Sweep(_ context.Context, before time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, rec := range s.records {
		if rec.CreatedAt.Before(before) {
			delete(s.records, k)
			n++
		}
	}
	return n, nil
}
