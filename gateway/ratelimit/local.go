package ratelimit

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

const shards = 64

// Local is an in-process GCRA limiter. It is exact for one process; across
// gateways only Redis is.
type Local struct {
	now    func() time.Time
	seed   maphash.Seed
	shards [shards]localShard
}

type localShard struct {
	mu  sync.Mutex
	tat map[string]time.Time // theoretical arrival time per key
}

// NewLocal returns an empty limiter.
func NewLocal(now func() time.Time) *Local {
	if now == nil {
		now = time.Now
	}
	l := &Local{now: now, seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].tat = map[string]time.Time{}
	}
	return l
}

// Allow applies GCRA to key: the same arithmetic as the Redis script, so a
// switch between the two does not change a key's budget.
func (l *Local) Allow(_ context.Context, key string, lim Limit) (Result, error) {
	now := l.now()
	interval := lim.Period / time.Duration(lim.Rate)
	burst := lim.Burst
	if burst <= 0 {
		burst = 1
	}
	burstOffset := interval * time.Duration(burst)

	s := &l.shards[maphash.String(l.seed, key)%shards]
	s.mu.Lock()
	defer s.mu.Unlock()
	tat, ok := s.tat[key]
	if !ok || tat.Before(now) {
		tat = now
	}
	newTat := tat.Add(interval)
	allowAt := newTat.Add(-burstOffset)
	diff := now.Sub(allowAt)
	if diff < 0 {
		return Result{Allowed: false, Limit: lim.Rate, Remaining: 0, RetryAfter: -diff, ResetAfter: tat.Sub(now)}, nil
	}
	s.tat[key] = newTat
	return Result{Allowed: true, Limit: lim.Rate, Remaining: int(diff / interval), ResetAfter: newTat.Sub(now)}, nil
}

// Sweep forgets keys whose bucket is full again (bounded memory).
func (l *Local) Sweep() {
	now := l.now()
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		for k, t := range s.tat {
			if t.Before(now) {
				delete(s.tat, k)
			}
		}
		s.mu.Unlock()
	}
}

// RunSweeper sweeps every interval until ctx ends.
func (l *Local) RunSweeper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.Sweep()
		}
	}
}
