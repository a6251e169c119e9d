package ratelimit

import (
	"context"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }

func TestLocalGCRA(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	l := NewLocal(c.now)
	ctx := context.Background()
	lim := PerPeriod(5, time.Second)

	for i := range 5 {
		res, _ := l.Allow(ctx, "k", lim)
		if !res.Allowed || res.Remaining != 4-i {
			t.Fatalf("request %d: %+v", i, res)
		}
	}
	res, _ := l.Allow(ctx, "k", lim)
	if res.Allowed || res.RetryAfter != 200*time.Millisecond {
		t.Fatalf("6th: %+v", res)
	}
	if other, _ := l.Allow(ctx, "other", lim); !other.Allowed {
		t.Fatal("keys are not independent")
	}
	c.add(200 * time.Millisecond)
	if res, _ := l.Allow(ctx, "k", lim); !res.Allowed || res.Remaining != 0 {
		t.Fatalf("after one interval: %+v", res)
	}
	c.add(time.Second)
	if res, _ := l.Allow(ctx, "k", lim); !res.Allowed || res.Remaining != 4 {
		t.Fatalf("after refill: %+v", res)
	}
	c.add(time.Hour)
	l.Sweep()
	if n := len(l.shards[0].tat) + len(l.shards[1].tat); n > 2 {
		t.Fatalf("sweep kept %d", n)
	}
}

func TestLocalSustainedRate(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	l := NewLocal(c.now)
	lim := PerPeriod(100, time.Second)
	allowed := 0
	// 10 s of 1,000 req/s: burst (100) plus 100/s.
	for range 10_000 {
		if res, _ := l.Allow(context.Background(), "k", lim); res.Allowed {
			allowed++
		}
		c.add(time.Millisecond)
	}
	if allowed < 1095 || allowed > 1101 {
		t.Fatalf("allowed %d, want about 1100", allowed)
	}
}

func BenchmarkLocal(b *testing.B) {
	l := NewLocal(nil)
	lim := PerPeriod(1_000_000_000, time.Second)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.Allow(context.Background(), "key", lim)
		}
	})
}
