// Package ratelimit is the gateway's per-key limiter: GCRA (the generic cell
// rate algorithm) in Redis, shared by every gateway, with an in-process GCRA
// that takes over while Redis is unreachable so that the gateway keeps
// serving.
package ratelimit

import (
	"context"
	"time"
)

// Limit is Rate requests per Period with bursts of up to Burst.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// PerPeriod is a limit of n per period with a burst of n.
func PerPeriod(n int, period time.Duration) Limit {
	return Limit{Rate: n, Period: period, Burst: n}
}

// IsZero reports an unset limit.
func (l Limit) IsZero() bool { return l.Rate <= 0 || l.Period <= 0 }

// Result of one decision.
type Result struct {
	Allowed    bool
	Limit      int
	Remaining  int
	RetryAfter time.Duration // when denied: until one request is allowed again
	ResetAfter time.Duration // until the bucket is full again
}

// Limiter decides whether one more request under key is allowed.
type Limiter interface {
	Allow(ctx context.Context, key string, l Limit) (Result, error)
}
