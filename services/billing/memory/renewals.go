package memory

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
)

// Renewals is the in-memory renewal.Store: what a transaction claims is
// skipped by the others until it ends.
type Renewals struct {
	memberships *Memberships
	payments    *Payments
	mu          sync.Mutex
	claimed     map[string]bool
}

// NewRenewals returns a store over ms and ps.
func NewRenewals(ms *Memberships, ps *Payments) *Renewals {
	return &Renewals{memberships: ms, payments: ps, claimed: map[string]bool{}}
}

var errNoTx = errors.New("memory: renewals must be claimed inside a transaction")

// claim marks keys as taken until ctx's transaction ends and returns
// those it could take.
func (s *Renewals) claim(ctx context.Context, keys []string, limit int) ([]int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var taken []int
	var mine []string
	for i, k := range keys {
		if len(taken) == limit {
			break
		}
		if s.claimed[k] {
			continue
		}
		s.claimed[k] = true
		taken = append(taken, i)
		mine = append(mine, k)
	}
	if !afterTx(ctx, func() {
		s.mu.Lock()
		for _, k := range mine {
			delete(s.claimed, k)
		}
		s.mu.Unlock()
	}) {
		for _, k := range mine {
			delete(s.claimed, k)
		}
		return nil, errNoTx
	}
	return taken, nil
}

// release gives keys back before their transaction ends.
func (s *Renewals) release(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		delete(s.claimed, k)
	}
}

// claimStill claims the rows of ids (in that order, at most limit) and
// keeps those still selected when read again under the claim: a row listed
// before another transaction changed it and gave it back (the read, then
// the claim, are not atomic) is no longer due, as a PostgreSQL row skipped
// while locked and re-read after is not. still reports whether row id is
// still selected, and returns its current version.
func claimStill[T any](ctx context.Context, s *Renewals, prefix string, ids []int64, limit int,
	still func(id int64) (T, bool)) ([]T, error) {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = prefix + itoa(id)
	}
	taken, err := s.claim(ctx, keys, limit)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(taken))
	var gone []string
	for _, j := range taken {
		if v, ok := still(ids[j]); ok {
			out = append(out, v)
		} else {
			gone = append(gone, keys[j])
		}
	}
	s.release(gone)
	return out, nil
}

// Due claims the memberships to renew or expire at now.
func (s *Renewals) Due(ctx context.Context, now time.Time, grace time.Duration, limit int) ([]memberships.Membership, error) {
	cutoff := now.Add(-grace)
	isDue := func(m memberships.Membership) bool {
		return memberships.Live(m.Status) && m.DateExpiration != nil && !m.DateExpiration.After(now) &&
			(m.RenewalPaymentID == 0 || !m.DateExpiration.After(cutoff))
	}
	due := s.memberships.t.list(isDue, func(a, b memberships.Membership) bool {
		if c := a.DateExpiration.Compare(*b.DateExpiration); c != 0 {
			return c < 0
		}
		return a.ID < b.ID
	})
	ids := make([]int64, len(due))
	for i, m := range due {
		ids[i] = m.ID
	}
	return claimStill(ctx, s, "m", ids, limit, func(id int64) (memberships.Membership, bool) {
		m, err := s.memberships.t.get(id)
		return m, err == nil && isDue(m)
	})
}

// Paid claims the completed renewal payments not applied yet.
func (s *Renewals) Paid(ctx context.Context, limit int) ([]payments.Payment, error) {
	unapplied := func(p payments.Payment) bool {
		return p.Kind == payments.KindRenewal && p.Status == payments.StatusCompleted && !p.Applied
	}
	paid := s.payments.t.list(unapplied, func(a, b payments.Payment) bool { return a.ID < b.ID })
	ids := make([]int64, len(paid))
	for i, p := range paid {
		ids[i] = p.ID
	}
	return claimStill(ctx, s, "p", ids, limit, func(id int64) (payments.Payment, bool) {
		p, err := s.payments.t.get(id)
		return p, err == nil && unapplied(p)
	})
}
