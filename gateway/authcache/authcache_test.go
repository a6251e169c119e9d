package authcache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

type fakeAuth struct {
	calls atomic.Int64
	delay time.Duration
	err   error
}

func (f *fakeAuth) verify(ctx context.Context, key, secret string) (*Identity, error) {
	f.calls.Add(1)
	time.Sleep(f.delay)
	if f.err != nil {
		return nil, f.err
	}
	if secret != "good" {
		return nil, &errs.Error{Kind: errs.Unauthorized, Reason: "bad_secret"}
	}
	return &Identity{KeyID: 1, APIKey: key}, nil
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestCaching(t *testing.T) {
	a := &fakeAuth{}
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	cache := New(a.verify, Options{Now: c.now})
	ctx := context.Background()

	if _, hit, err := cache.Verify(ctx, "k", "good"); err != nil || hit {
		t.Fatalf("first: hit=%v err=%v", hit, err)
	}
	for range 10 {
		if _, hit, err := cache.Verify(ctx, "k", "good"); err != nil || !hit {
			t.Fatalf("cached: hit=%v err=%v", hit, err)
		}
	}
	if a.calls.Load() != 1 {
		t.Fatalf("calls = %d, want 1", a.calls.Load())
	}
	// A wrong secret is not served from the positive entry.
	if _, _, err := cache.Verify(ctx, "k", "bad"); !errors.Is(err, errs.Unauthorized) {
		t.Fatalf("bad secret: %v", err)
	}
	if _, hit, err := cache.Verify(ctx, "k", "bad"); !hit || !errors.Is(err, errs.Unauthorized) {
		t.Fatalf("negative not cached: hit=%v err=%v", hit, err)
	}
	if a.calls.Load() != 2 {
		t.Fatalf("calls = %d, want 2", a.calls.Load())
	}
	c.add(6 * time.Second) // negative expired, positive still fresh
	cache.Verify(ctx, "k", "bad")
	cache.Verify(ctx, "k", "good")
	if a.calls.Load() != 3 {
		t.Fatalf("calls = %d, want 3", a.calls.Load())
	}
	c.add(25 * time.Second) // positive expired
	cache.Verify(ctx, "k", "good")
	if a.calls.Load() != 4 {
		t.Fatalf("calls = %d, want 4", a.calls.Load())
	}
}

func TestRevokeDropsEntries(t *testing.T) {
	a := &fakeAuth{}
	cache := New(a.verify, Options{})
	ctx := context.Background()
	cache.Verify(ctx, "k", "good")
	cache.Revoke("k")
	if _, hit, _ := cache.Verify(ctx, "k", "good"); hit {
		t.Fatal("revoked key served from cache")
	}
}

func TestRevokeDuringVerificationIsNotCached(t *testing.T) {
	a := &fakeAuth{delay: 50 * time.Millisecond}
	cache := New(a.verify, Options{})
	ctx := context.Background()
	done := make(chan struct{})
	go func() { cache.Verify(ctx, "k", "good"); close(done) }()
	time.Sleep(10 * time.Millisecond)
	cache.Revoke("k")
	<-done
	if cache.Len() != 0 {
		t.Fatal("stale answer cached after revocation")
	}
}

func TestConcurrentMissesShareOneCall(t *testing.T) {
	a := &fakeAuth{delay: 20 * time.Millisecond}
	cache := New(a.verify, Options{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() { defer wg.Done(); cache.Verify(context.Background(), "k", "good") }()
	}
	wg.Wait()
	if n := a.calls.Load(); n != 1 {
		t.Fatalf("calls = %d, want 1", n)
	}
}

func TestUnavailableIsNotCached(t *testing.T) {
	a := &fakeAuth{err: errs.New(errs.Unavailable, "down")}
	cache := New(a.verify, Options{})
	cache.Verify(context.Background(), "k", "good")
	if cache.Len() != 0 {
		t.Fatal("an outage was cached")
	}
}

func TestExpiryBoundsTheEntry(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	exp := c.now().Add(2 * time.Second)
	verify := func(ctx context.Context, k, s string) (*Identity, error) { return &Identity{ExpiresAt: &exp}, nil }
	cache := New(verify, Options{Now: c.now})
	cache.Verify(context.Background(), "k", "s")
	c.add(3 * time.Second)
	if _, hit, _ := cache.Verify(context.Background(), "k", "s"); hit {
		t.Fatal("served past the key's expiry")
	}
}

func BenchmarkHit(b *testing.B) {
	cache := New((&fakeAuth{}).verify, Options{})
	cache.Verify(context.Background(), "hp_0123456789abcdef01234567", "good")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			cache.Verify(context.Background(), "hp_0123456789abcdef01234567", "good")
		}
	})
}

func TestRefreshAheadServesFromCache(t *testing.T) {
	a := &fakeAuth{delay: 50 * time.Millisecond}
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	cache := New(a.verify, Options{Now: c.now})
	ctx := context.Background()
	cache.Verify(ctx, "k", "good")
	c.add(26 * time.Second) // past refreshAt (25 s), before expiry (30 s)
	start := time.Now()
	if _, hit, err := cache.Verify(ctx, "k", "good"); !hit || err != nil {
		t.Fatalf("hit=%v err=%v", hit, err)
	}
	if time.Since(start) > 20*time.Millisecond {
		t.Fatal("a hit waited for the refresh")
	}
	deadline := time.Now().Add(time.Second)
	for a.calls.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if a.calls.Load() != 2 {
		t.Fatalf("calls = %d, want a background refresh", a.calls.Load())
	}
	time.Sleep(60 * time.Millisecond)
	c.add(10 * time.Second) // past the first expiry: served by the refreshed entry
	if _, hit, _ := cache.Verify(ctx, "k", "good"); !hit {
		t.Fatal("refreshed entry not used")
	}
	if _, misses := cache.Stats(); misses != 2 {
		t.Fatalf("misses = %d, want 2 (calls to auth)", misses)
	}
}
