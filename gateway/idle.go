package gateway

import (
	"context"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// idleTrim hands the heap back to the operating system once the gateway
// has served no request for a quiet period: a burst of load leaves pooled
// buffers and a grown heap that the runtime's scavenger would otherwise
// return only over minutes, and an idle gateway should be small.
type idleTrim struct {
	requests atomic.Uint64
	free     func() // debug.FreeOSMemory outside tests
}

func newIdleTrim() *idleTrim { return &idleTrim{free: debug.FreeOSMemory} }

// seen counts a request.
func (t *idleTrim) seen() { t.requests.Add(1) }

// run trims once after each busy spell, when a whole quiet period has
// passed without a request, until ctx ends. Start-up (the route table, the
// OpenAPI document, the documentation's assets) is the first busy spell.
func (t *idleTrim) run(ctx context.Context, quiet time.Duration) {
	tick := time.NewTicker(quiet)
	defer tick.Stop()
	last, trimmed := t.requests.Load(), false
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if n := t.requests.Load(); n != last {
			last, trimmed = n, false
			continue
		}
		if !trimmed {
			t.free()
			trimmed = true
		}
	}
}
