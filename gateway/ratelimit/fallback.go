package ratelimit

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// Fallback asks the primary limiter (Redis) and, when it fails, answers from
// the secondary (in-process) one. After a failure it stays on the secondary
// for Backoff before trying the primary again, so a hung Redis costs one
// timeout per Backoff instead of one per request.
type Fallback struct {
	Primary   Limiter
	Secondary Limiter
	// Timeout, when set, bounds each primary call; leave it unset when the
	// primary bounds its own Redis calls (redisx FailFast clients do).
	Timeout time.Duration
	// Backoff is how long to stay on the secondary after it engaged (1 s).
	Backoff time.Duration
	// Trip is how many primary failures in a row engage the secondary (2):
	// one slow answer on a starved machine does not switch a whole second
	// of decisions to the per-gateway limiter.
	Trip int
	Log  *slog.Logger
	// OnChange is told when the fallback engages (true) or ends (false).
	OnChange func(degraded bool)

	downUntil atomic.Int64 // unix nanos
	failures  atomic.Int32 // in a row
	degraded  atomic.Bool
	lastErr   atomic.Value // string
}

// Allow decides with the primary, or the secondary while the primary is down.
func (f *Fallback) Allow(ctx context.Context, key string, l Limit) (Result, error) {
	now := time.Now()
	if now.UnixNano() < f.downUntil.Load() {
		return f.Secondary.Allow(ctx, key, l)
	}
	pctx := ctx
	if f.Timeout > 0 {
		var cancel context.CancelFunc
		pctx, cancel = context.WithTimeout(ctx, f.Timeout)
		defer cancel()
	}
	res, err := f.Primary.Allow(pctx, key, l)
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		trip := f.Trip
		if trip <= 0 {
			trip = 2
		}
		if int(f.failures.Add(1)) < trip {
			return f.Secondary.Allow(ctx, key, l)
		}
		backoff := f.Backoff
		if backoff <= 0 {
			backoff = time.Second
		}
		f.downUntil.Store(now.Add(backoff).UnixNano())
		f.lastErr.Store(err.Error())
		if f.degraded.CompareAndSwap(false, true) {
			if f.Log != nil {
				f.Log.Warn("rate limiter: redis unreachable, using the in-process limiter", "err", err)
			}
			if f.OnChange != nil {
				f.OnChange(true)
			}
		}
		return f.Secondary.Allow(ctx, key, l)
	}
	f.failures.Store(0)
	if f.degraded.CompareAndSwap(true, false) {
		if f.Log != nil {
			f.Log.Info("rate limiter: redis is back")
		}
		if f.OnChange != nil {
			f.OnChange(false)
		}
	}
	return res, nil
}

// Degraded reports whether decisions currently come from the secondary,
// with the last primary error.
func (f *Fallback) Degraded() (bool, string) {
	if !f.degraded.Load() {
		return false, ""
	}
	s, _ := f.lastErr.Load().(string)
	return true, s
}
