package keyevents

import (
	"context"
	"sync"
	"testing"
	"time"
)

// inbox collects what one subscriber receives.
type inbox struct {
	mu   sync.Mutex
	keys []string
}

func (b *inbox) add(k string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.keys = append(b.keys, k)
}

func (b *inbox) has(k string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, x := range b.keys {
		if x == k {
			return true
		}
	}
	return false
}

func (b *inbox) count(k string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, x := range b.keys {
		if x == k {
			n++
		}
	}
	return n
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var _ Bus = (*Local)(nil)
var _ Bus = (*Redis)(nil)

func TestLocalPublishSubscribe(t *testing.T) {
	b := NewLocal()
	ctx := context.Background()
	if err := b.Publish(ctx, "nobody-listens"); err != nil {
		t.Fatalf("Publish without subscribers: %v", err)
	}
	ctxA, cancelA := context.WithCancel(ctx)
	defer cancelA()
	ctxB, cancelB := context.WithCancel(ctx)
	defer cancelB()
	var a, c inbox
	if err := b.Subscribe(ctxA, a.add); err != nil {
		t.Fatal(err)
	}
	if err := b.Subscribe(ctxB, c.add); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(ctx, "key-1"); err != nil {
		t.Fatal(err)
	}
	// Delivery is synchronous.
	if !a.has("key-1") || !c.has("key-1") {
		t.Fatalf("after Publish: a=%v b=%v, want both to have key-1", a.keys, c.keys)
	}

	cancelA()
	waitFor(t, time.Second, "the cancelled subscriber to be removed", func() bool {
		b.mu.RLock()
		defer b.mu.RUnlock()
		return len(b.subs) == 1
	})
	if err := b.Publish(ctx, "key-2"); err != nil {
		t.Fatal(err)
	}
	if a.has("key-2") {
		t.Error("a cancelled subscriber still receives")
	}
	if !c.has("key-2") || c.count("key-1") != 1 {
		t.Errorf("b = %v, want key-1 once and key-2", c.keys)
	}
}

func TestLocalReentrant(t *testing.T) {
	// A subscriber may publish or subscribe from its callback.
	b := NewLocal()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got inbox
	err := b.Subscribe(ctx, func(k string) {
		got.add(k)
		if k == "first" {
			_ = b.Subscribe(ctx, func(string) {})
			_ = b.Publish(ctx, "second")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = b.Publish(ctx, "first") }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Publish from a callback deadlocked")
	}
	if !got.has("first") || !got.has("second") {
		t.Errorf("got %v, want first and second", got.keys)
	}
}
