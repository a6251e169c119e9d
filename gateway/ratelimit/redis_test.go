package ratelimit

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/redis/go-redis/v9"
)

func newRedis(t *testing.T, url string) *redis.Client {
	t.Helper()
	c, err := redisx.Open(url, redisx.Options{Timeout: 100 * time.Millisecond, FailFast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestRedisGCRA(t *testing.T) {
	url := testenv.NeedRedis(t)
	l := NewRedis(newRedis(t, url), fmt.Sprintf("hp:test:%d:", rand.Int64()))
	ctx := context.Background()
	lim := PerPeriod(5, time.Second)
	for i := range 5 {
		res, err := l.Allow(ctx, "k", lim)
		if err != nil || !res.Allowed {
			t.Fatalf("request %d: %+v %v", i, res, err)
		}
	}
	res, err := l.Allow(ctx, "k", lim)
	if err != nil || res.Allowed || res.RetryAfter <= 0 || res.RetryAfter > 200*time.Millisecond {
		t.Fatalf("6th: %+v %v", res, err)
	}
}

// Two gateways sharing Redis admit what one key's limit allows, within 2%.
func TestRedisSharedAcrossGateways(t *testing.T) {
	url := testenv.NeedRedis(t)
	prefix := fmt.Sprintf("hp:test:%d:", rand.Int64())
	a, b := NewRedis(newRedis(t, url), prefix), NewRedis(newRedis(t, url), prefix)
	lim := PerPeriod(200, time.Second)
	ctx := context.Background()
	var allowed atomic.Int64
	start := time.Now()
	deadline := start.Add(2 * time.Second)
	var wg sync.WaitGroup
	for _, l := range []*Redis{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				res, err := l.Allow(ctx, "shared", lim)
				if err != nil {
					continue
				}
				if res.Allowed {
					allowed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	want := 200 + 200*elapsed // burst plus the sustained rate
	got := float64(allowed.Load())
	if got > want*1.02 || got < want*0.98 {
		t.Fatalf("admitted %.0f in %.2fs, want %.0f ±2%%", got, elapsed, want)
	}
}

func TestFallbackWhenRedisRefuses(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connections are refused
	changes := make(chan bool, 4)
	f := &Fallback{Primary: NewRedis(newRedis(t, "redis://"+addr), "x:"), Secondary: NewLocal(nil), OnChange: func(d bool) { changes <- d }}
	lim := PerPeriod(3, time.Second)
	for i := range 3 {
		res, err := f.Allow(context.Background(), "k", lim)
		if err != nil || !res.Allowed {
			t.Fatalf("request %d: %+v %v", i, res, err)
		}
	}
	if res, _ := f.Allow(context.Background(), "k", lim); res.Allowed {
		t.Fatal("fallback limiter did not limit")
	}
	if d, msg := f.Degraded(); !d || msg == "" {
		t.Fatal("not degraded")
	}
	if !<-changes {
		t.Fatal("OnChange(true) not called")
	}
}

// A Redis that accepts connections but never answers (SIGSTOP) costs one
// timeout per backoff, not one per request.
func TestFallbackWhenRedisHangs(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it open, never answer
		}
	}()
	f := &Fallback{Primary: NewRedis(newRedis(t, "redis://"+ln.Addr().String()), "x:"), Secondary: NewLocal(nil), Backoff: time.Minute}
	lim := PerPeriod(1_000_000, time.Second)
	start := time.Now()
	for range 1000 {
		if res, err := f.Allow(context.Background(), "k", lim); err != nil || !res.Allowed {
			t.Fatalf("%+v %v", res, err)
		}
	}
	// One 25 ms timeout, then in-process decisions; generous bound for CI.
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("1000 decisions took %v with a hung redis", took)
	}
}

func TestFallbackRecovers(t *testing.T) {
	url := testenv.NeedRedis(t)
	failing := &flaky{fail: true}
	f := &Fallback{Primary: failing, Secondary: NewLocal(nil), Backoff: 10 * time.Millisecond}
	ctx := context.Background()
	f.Allow(ctx, "k", PerPeriod(10, time.Second))
	if d, _ := f.Degraded(); d {
		t.Fatal("one failure engaged the fallback")
	}
	f.Allow(ctx, "k", PerPeriod(10, time.Second))
	if d, _ := f.Degraded(); !d {
		t.Fatal("not degraded after two failures in a row")
	}
	failing.fail = false
	failing.l = NewRedis(newRedis(t, url), fmt.Sprintf("hp:test:%d:", rand.Int64()))
	time.Sleep(20 * time.Millisecond)
	f.Allow(ctx, "k", PerPeriod(10, time.Second))
	if d, _ := f.Degraded(); d {
		t.Fatal("still degraded after redis came back")
	}
}

type flaky struct {
	fail bool
	l    Limiter
}

func (f *flaky) Allow(ctx context.Context, key string, l Limit) (Result, error) {
	if f.fail {
		return Result{}, fmt.Errorf("down")
	}
	return f.l.Allow(ctx, key, l)
}

// Past its limit, a key leased in batches admits its rate, not less: the
// script grants and charges whole requests only.
func TestAllowAtMostChargesWholeRequests(t *testing.T) {
	url := testenv.NeedRedis(t)
	l := NewRedis(newRedis(t, url), fmt.Sprintf("hp:test:%d:", rand.Int64()))
	lim := PerPeriod(1000, time.Second)
	ctx := context.Background()
	granted := 0
	// The script runs at some instant inside each call: the rate earned
	// between the first and the last call lies between the gap of their
	// nearest ends and the gap of their farthest ends, whatever the load.
	var firstStart, firstEnd, lastStart, lastEnd time.Time
	start := time.Now()
	for time.Since(start) < 500*time.Millisecond {
		callStart := time.Now()
		_, g, err := l.AllowAtMost(ctx, "k", lim, 7)
		if err != nil {
			t.Fatal(err)
		}
		callEnd := time.Now()
		if firstStart.IsZero() {
			firstStart, firstEnd = callStart, callEnd
		}
		lastStart, lastEnd = callStart, callEnd
		granted += g
	}
	lo := 1000 + 1000*lastStart.Sub(firstEnd).Seconds() - 7
	hi := 1000 + 1000*lastEnd.Sub(firstStart).Seconds() + 7
	if float64(granted) < lo*0.99 || float64(granted) > hi*1.01 {
		t.Fatalf("granted %d in %v, want between %.0f and %.0f", granted, lastEnd.Sub(firstStart), lo, hi)
	}
}
