package postgres

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestListCache(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newListCache()
	c.now = func() time.Time { return clock }
	var loads atomic.Int32
	refreshed := make(chan struct{}, 10)
	load := func(total int) func(context.Context) (cacheEntry, error) {
		return func(context.Context) (cacheEntry, error) {
			loads.Add(1)
			defer func() { refreshed <- struct{}{} }()
			return cacheEntry{total: total}, nil
		}
	}
	ctx := context.Background()
	get := func(total int) int {
		e, err := c.get(ctx, "k", load(total))
		if err != nil {
			t.Fatal(err)
		}
		return e.total
	}
	if get(1) != 1 || loads.Load() != 1 {
		t.Fatal("first load")
	}
	<-refreshed
	if get(2) != 1 || loads.Load() != 1 {
		t.Fatal("a fresh entry was reloaded")
	}
	clock = clock.Add(2 * time.Second) // old: served, refreshed behind
	if get(3) != 1 {
		t.Fatal("an old entry was not served at once")
	}
	<-refreshed
	deadline := time.Now().Add(2 * time.Second)
	for get(4) != 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if get(4) != 3 {
		t.Fatal("the background refresh did not land")
	}
	clock = clock.Add(10 * time.Second) // too old: recomputed before answering
	if get(5) != 5 {
		t.Fatal("a stale entry was served")
	}
	<-refreshed
	c.invalidate() // a local write
	if get(6) != 6 {
		t.Fatal("served across a write")
	}
	<-refreshed
	// A load that began before a write is not kept.
	gen := c.gen
	c.invalidate()
	c.put("k", gen, clock, cacheEntry{total: 99})
	if get(7) != 7 {
		t.Fatal("kept a load older than a write")
	}
	<-refreshed
	boom := errors.New("boom")
	if _, err := c.get(ctx, "other", func(context.Context) (cacheEntry, error) { return cacheEntry{}, boom }); err != boom {
		t.Fatal(err)
	}
	// Bounded.
	for i := range 300 {
		c.put(string(rune('a'+i%26))+string(rune(i)), c.gen, clock, cacheEntry{})
	}
	if len(c.entries) > c.max || c.lru.Len() > c.max {
		t.Fatalf("%d entries", len(c.entries))
	}
}
