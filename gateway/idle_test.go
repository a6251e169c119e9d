package gateway

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// The heap is trimmed once after start-up, once after traffic stops, never
// while requests keep coming, and not again until new traffic has come and
// gone.
func TestIdleTrimOncePerQuietSpell(t *testing.T) {
	var trims atomic.Int32
	tr := &idleTrim{free: func() { trims.Add(1) }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go tr.run(ctx, 25*time.Millisecond)

	busy := func(d time.Duration) {
		for end := time.Now().Add(d); time.Now().Before(end); {
			tr.seen()
			time.Sleep(100 * time.Microsecond)
		}
	}
	waitTrims := func(want int32) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); trims.Load() < want; {
			if time.Now().After(deadline) {
				t.Fatalf("%d trims, want %d", trims.Load(), want)
			}
			time.Sleep(time.Millisecond)
		}
	}

	waitTrims(1) // what start-up left
	time.Sleep(100 * time.Millisecond)
	if n := trims.Load(); n != 1 {
		t.Fatalf("%d trims before any request, want the one after start-up", n)
	}
	busy(150 * time.Millisecond)
	if n := trims.Load(); n != 1 {
		t.Fatalf("trimmed %d times while busy", n-1)
	}
	waitTrims(2)
	time.Sleep(100 * time.Millisecond)
	if n := trims.Load(); n != 2 {
		t.Fatalf("%d trims in one quiet spell, want 1", n-1)
	}
	busy(60 * time.Millisecond)
	waitTrims(3)
}
