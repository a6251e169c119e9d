package ratelimit

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// BatchLimiter grants up to n requests of a key's budget at once.
type BatchLimiter interface {
	AllowAtMost(ctx context.Context, key string, l Limit, n int) (res Result, granted int, err error)
}

// Leased spends a shared limiter's budget in small leases: when a key's
// local lease is empty it takes up to a few requests' worth from Redis in
// one round trip and hands them out in process. Decisions stay bounded by
// the shared GCRA — a gateway can never admit more than Redis granted — but
// a busy key costs one Redis round trip per lease instead of per request.
//
// A lease holds at most what the key is seen to use in Window, never more
// than 1/MaxShare of its burst (a quiet or tightly limited key takes one
// token at a time, exactly as without leases), and expires after Expiry:
// unused tokens are forfeited, so at worst a gateway under-admits by what
// it holds (about 1.5 leases), never over-admits.
type Leased struct {
	Shared BatchLimiter
	// Window is how much a lease takes: what the key used in the last
	// Window (10 ms).
	Window time.Duration
	// Expiry is how long leased tokens stay usable (100 ms).
	Expiry time.Duration
	// MaxShare: a lease takes at most burst/MaxShare tokens (100).
	MaxShare int
	// MaxLease caps a lease (100).
	MaxLease int
	now      func() time.Time

	once   sync.Once
	seed   maphash.Seed
	shards [shards]leaseShard
}

type leaseShard struct {
	mu     sync.Mutex
	leases map[string]*lease
}

type lease struct {
	mu        sync.Mutex
	tokens    int       // granted, not yet handed out
	expires   time.Time // tokens are forfeited after this
	remaining int       // the shared budget left when the lease was taken
	reset     time.Duration
	// fetching is non-nil while a lease is being taken; it is closed when
	// the answer is in, so that requests wait for it rather than all asking.
	fetching chan struct{}
	// deniedUntil remembers the shared limiter's last refusal: no budget
	// comes back before then, so requests are refused here without asking.
	deniedUntil time.Time
	denied      Result
	// failed remembers the last fetch's error for the requests that waited
	// on it, until failedUntil.
	failed      error
	failedUntil time.Time
	// rate estimation: requests seen in the current and the last window
	seen      int
	seenSince time.Time
	perWindow int
}

func (l *Leased) init() {
	l.once.Do(func() {
		if l.Window <= 0 {
			l.Window = 10 * time.Millisecond
		}
		if l.Expiry <= 0 {
			l.Expiry = 100 * time.Millisecond
		}
		if l.MaxShare <= 0 {
			l.MaxShare = 100
		}
		if l.MaxLease <= 0 {
			l.MaxLease = 100
		}
		if l.now == nil {
			l.now = time.Now
		}
		l.seed = maphash.MakeSeed()
		for i := range l.shards {
			l.shards[i].leases = map[string]*lease{}
		}
	})
}

func (l *Leased) leaseOf(key string) *lease {
	s := &l.shards[maphash.String(l.seed, key)%shards]
	s.mu.Lock()
	defer s.mu.Unlock()
	ls, ok := s.leases[key]
	if !ok {
		if len(s.leases) > 4096 {
			l.sweepLocked(s)
		}
		ls = &lease{}
		s.leases[key] = ls
	}
	return ls
}

// sweepLocked forgets idle leases.
func (l *Leased) sweepLocked(s *leaseShard) {
	now := l.now()
	for k, ls := range s.leases {
		if ls.mu.TryLock() {
			if now.Sub(ls.seenSince) > time.Minute {
				delete(s.leases, k)
			}
			ls.mu.Unlock()
		}
	}
}

// Allow decides one request of key. Waiting on another request's fetch is
// not bounded by ctx's deadline (only its cancellation): every fetch is
// bounded by the shared limiter's own timeout, and the fallback must not
// mistake a wait for a Redis failure.
func (l *Leased) Allow(ctx context.Context, key string, lim Limit) (Result, error) {
	l.init()
	ls := l.leaseOf(key)
	ls.mu.Lock()
	now := l.now()
	if now.Sub(ls.seenSince) >= l.Window {
		ls.perWindow, ls.seen, ls.seenSince = ls.seen, 0, now
	}
	ls.seen++
	for {
		if ls.tokens > 0 && now.Before(ls.expires) {
			ls.tokens--
			res := Result{Allowed: true, Limit: lim.Rate, Remaining: ls.remaining + ls.tokens, ResetAfter: ls.reset}
			// Take the next lease before this one runs out, so that
			// requests rarely wait for Redis.
			if ls.fetching == nil && ls.tokens < l.size(lim, ls.perWindow)/2 {
				l.refill(ls, key, lim)
			}
			ls.mu.Unlock()
			return res, nil
		}
		if now.Before(ls.deniedUntil) {
			res := ls.denied
			res.RetryAfter = ls.deniedUntil.Sub(now)
			ls.mu.Unlock()
			return res, nil
		}
		if ls.fetching == nil {
			if ls.failed != nil && now.Before(ls.failedUntil) {
				err := ls.failed
				ls.mu.Unlock()
				return Result{}, err
			}
			break
		}
		wait := ls.fetching
		ls.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
		ls.mu.Lock()
		now = l.now()
	}
	// No lease and none coming: take one now, for this request.
	done := make(chan struct{})
	ls.fetching = done
	n := l.size(lim, ls.perWindow)
	ls.mu.Unlock()
	res, granted, err := l.Shared.AllowAtMost(ctx, key, lim, n)
	ls.mu.Lock()
	defer ls.mu.Unlock()
	l.settleLocked(ls, res, granted, err)
	close(done)
	if err != nil {
		return Result{}, err
	}
	if granted <= 0 {
		return res, nil
	}
	ls.tokens-- // this request's own
	res.Allowed = true
	res.RetryAfter = 0
	res.Remaining += ls.tokens
	return res, nil
}

// settleLocked records a fetch's outcome (ls.mu held): tokens, a refusal
// until the budget returns, or a failure for the requests that waited.
func (l *Leased) settleLocked(ls *lease, res Result, granted int, err error) {
	now := l.now()
	ls.fetching = nil
	ls.failed = nil
	switch {
	case err != nil:
		ls.failed, ls.failedUntil = err, now.Add(l.Window)
	case granted <= 0:
		ls.denied, ls.deniedUntil = res, now.Add(res.RetryAfter)
	default:
		l.grantLocked(ls, res, granted)
	}
}

// refill takes the next lease in the background (ls.mu held).
func (l *Leased) refill(ls *lease, key string, lim Limit) {
	done := make(chan struct{})
	ls.fetching = done
	n := l.size(lim, ls.perWindow)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), l.Expiry)
		res, granted, err := l.Shared.AllowAtMost(ctx, key, lim, n)
		cancel()
		ls.mu.Lock()
		defer ls.mu.Unlock()
		if err != nil {
			// A failed prefetch is not this lease's failure: the next
			// request that needs tokens asks for itself.
			ls.fetching = nil
		} else {
			l.settleLocked(ls, res, granted, nil)
		}
		close(done)
	}()
}

// grantLocked adds granted tokens to the lease (ls.mu held).
func (l *Leased) grantLocked(ls *lease, res Result, granted int) {
	now := l.now()
	if !now.Before(ls.expires) {
		ls.tokens = 0
	}
	ls.tokens += granted
	ls.expires = now.Add(l.Expiry)
	ls.remaining = res.Remaining
	ls.reset = res.ResetAfter
}

// size is how many tokens to ask for: what the key used in the last window,
// bounded by the burst share and the cap, at least one.
func (l *Leased) size(lim Limit, perWindow int) int {
	n := perWindow
	burst := lim.Burst
	if burst <= 0 {
		burst = 1
	}
	if m := burst / l.MaxShare; n > m {
		n = m
	}
	if n > l.MaxLease {
		n = l.MaxLease
	}
	if n < 1 {
		n = 1
	}
	return n
}
