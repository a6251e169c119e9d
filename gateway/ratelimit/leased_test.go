package ratelimit

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/testenv"
)

// localBatch is a BatchLimiter over the in-process GCRA, counting calls.
type localBatch struct {
	l     *Local
	calls atomic.Int64
}

func (b *localBatch) AllowAtMost(ctx context.Context, key string, lim Limit, n int) (Result, int, error) {
	b.calls.Add(1)
	granted := 0
	var last Result
	for range n {
		res, _ := b.l.Allow(ctx, key, lim)
		if !res.Allowed {
			if granted == 0 {
				return res, 0, nil
			}
			break
		}
		granted++
		last = res
	}
	return last, granted, nil
}

func TestLeasedIsExactForSmallLimits(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	shared := &localBatch{l: NewLocal(c.now)}
	l := &Leased{Shared: shared, now: c.now}
	lim := PerPeriod(5, time.Second)
	for i := range 5 {
		if res, _ := l.Allow(context.Background(), "k", lim); !res.Allowed {
			t.Fatalf("request %d refused", i)
		}
	}
	res, _ := l.Allow(context.Background(), "k", lim)
	if res.Allowed || res.RetryAfter <= 0 {
		t.Fatalf("6th: %+v", res)
	}
	if shared.calls.Load() != 6 {
		t.Fatalf("a 5/s key took leases: %d calls for 6 requests", shared.calls.Load())
	}
}

func TestLeasedSavesRoundTripsOnBusyKeys(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	shared := &localBatch{l: NewLocal(c.now)}
	l := &Leased{Shared: shared, now: c.now}
	lim := PerPeriod(1_000_000, time.Second)
	allowed := 0
	// 5,000 requests/s for 2 s.
	for range 10_000 {
		if res, _ := l.Allow(context.Background(), "k", lim); res.Allowed {
			allowed++
		}
		c.add(200 * time.Microsecond)
	}
	if allowed != 10_000 {
		t.Fatalf("allowed %d", allowed)
	}
	if calls := shared.calls.Load(); calls > 10_000/20 {
		t.Fatalf("%d shared calls for 10,000 requests", calls)
	}
}

func TestLeasedNeverExceedsTheSharedBudget(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	shared := &localBatch{l: NewLocal(c.now)}
	a, b := &Leased{Shared: shared, now: c.now}, &Leased{Shared: shared, now: c.now}
	lim := PerPeriod(500, time.Second)
	allowed := 0
	// Two gateways, 4,000 requests/s in all, for 5 s.
	for i := range 20_000 {
		g := a
		if i%2 == 1 {
			g = b
		}
		if res, _ := g.Allow(context.Background(), "k", lim); res.Allowed {
			allowed++
		}
		c.add(250 * time.Microsecond)
	}
	want := 500 + 500*5
	if allowed > want || float64(allowed) < float64(want)*0.98 {
		t.Fatalf("admitted %d, want %d (within 2%%, never above)", allowed, want)
	}
}

// Two gateways with leases over the real Redis stay within 2% of the limit.
func TestLeasedRedisSharedAcrossGateways(t *testing.T) {
	url := testenv.NeedRedis(t)
	prefix := fmt.Sprintf("hp:test:%d:", rand.Int64())
	a := &Leased{Shared: NewRedis(newRedis(t, url), prefix)}
	b := &Leased{Shared: NewRedis(newRedis(t, url), prefix)}
	lim := PerPeriod(500, time.Second)
	var allowed atomic.Int64
	start := time.Now()
	deadline := start.Add(2 * time.Second)
	var wg sync.WaitGroup
	for _, l := range []*Leased{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if res, err := l.Allow(context.Background(), "shared", lim); err == nil && res.Allowed {
					allowed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	want := 500 + 500*elapsed
	got := float64(allowed.Load())
	if got > want*1.02 || got < want*0.98 {
		t.Fatalf("admitted %.0f in %.2fs, want %.0f ±2%%", got, elapsed, want)
	}
}

// Two saturated gateways (many concurrent requests each, far above the
// limit), each with the production stack — fallback over leases over Redis —
// still admit the key's limit within 2% and never fall back: waiting on
// another request's fetch is not a Redis failure, and a refusal is
// remembered until the budget returns.
func TestSaturatedGatewaysStayWithinTheLimit(t *testing.T) {
	url := testenv.NeedRedis(t)
	prefix := fmt.Sprintf("hp:test:%d:", rand.Int64())
	gateway := func() *Fallback {
		return &Fallback{Primary: &Leased{Shared: NewRedis(newRedis(t, url), prefix)}, Secondary: NewLocal(nil)}
	}
	a, b := gateway(), gateway()
	lim := PerPeriod(500, time.Second)
	var allowed atomic.Int64
	start := time.Now()
	deadline := start.Add(3 * time.Second)
	var wg sync.WaitGroup
	for i := range 64 {
		g := a
		if i%2 == 1 {
			g = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if res, err := g.Allow(context.Background(), "hot", lim); err == nil && res.Allowed {
					allowed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	want := 500 + 500*elapsed
	got := float64(allowed.Load())
	if d, why := a.Degraded(); d {
		t.Errorf("gateway a fell back: %s", why)
	}
	if d, why := b.Degraded(); d {
		t.Errorf("gateway b fell back: %s", why)
	}
	if got > want*1.02 || got < want*0.98 {
		t.Fatalf("admitted %.0f in %.2fs, want %.0f ±2%%", got, elapsed, want)
	}
}
