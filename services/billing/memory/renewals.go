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

// Due claims the memberships to renew or expire at now.
func (s *Renewals) Due(ctx context.Context, now time.Time, grace time.Duration, limit int) ([]memberships.Membership, error) {
	cutoff := now.Add(-grace)
	due := s.memberships.t.list(func(m memberships.Membership) bool {
		return memberships.Live(m.Status) && m.DateExpiration != nil && !m.DateExpiration.After(now) &&
			(m.RenewalPaymentID == 0 || !m.DateExpiration.After(cutoff))
	}, func(a, b memberships.Membership) bool {
		if c := a.DateExpiration.Compare(*b.DateExpiration); c != 0 {
			return c < 0
		}
		return a.ID < b.ID
	})
	keys := make([]string, len(due))
	for i, m := range due {
		keys[i] = "m" + itoa(m.ID)
	}
	taken, err := s.claim(ctx, keys, limit)
	if err != nil {
		return nil, err
	}
	out := make([]memberships.Membership, len(taken))
	for i, j := range taken {
		out[i] = due[j]
	}
	return out, nil
}

// Paid claims the completed renewal payments not applied yet.
func (s *Renewals) Paid(ctx context.Context, limit int) ([]payments.Payment, error) {
	paid := s.payments.t.list(func(p payments.Payment) bool {
		return p.Kind == payments.KindRenewal && p.Status == payments.StatusCompleted && !p.Applied
	}, func(a, b payments.Payment) bool { return a.ID < b.ID })
	keys := make([]string, len(paid))
	for i, p := range paid {
		keys[i] = "p" + itoa(p.ID)
	}
	taken, err := s.claim(ctx, keys, limit)
	if err != nil {
		return nil, err
	}
	out := make([]payments.Payment, len(taken))
	for i, j := range taken {
		out[i] = paid[j]
	}
	return out, nil
}
