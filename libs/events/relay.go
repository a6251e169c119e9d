package events

import (
	"context"
	"log/slog"
	"time"
)

// Sink publishes events to a stream.
type Sink interface {
	Publish(ctx context.Context, stream string, evs []Event) error
}

// Relay moves a service's outbox to its stream: events are marked
// published only after the sink took them, so a crash or an unreachable
// Redis delays events but loses none (consumers drop the duplicates a crash
// between publish and mark can cause).
type Relay struct {
	Source Source
	Sink   Sink
	Stream string
	// Interval between polls when the outbox is empty (200 ms).
	Interval time.Duration
	// Wake, when set, cuts a poll wait short (MemoryOutbox.Wake).
	Wake <-chan struct{}
	// BatchSize is the most events published at once (500).
	BatchSize int
	Log       *slog.Logger
}

// Run relays until ctx ends.
func (r *Relay) Run(ctx context.Context) error {
	interval := r.Interval
	if interval <= 0 {
		interval = 200 * time.Millisecond
	}
	size := r.BatchSize
	if size <= 0 {
		size = 500
	}
	backoff := interval
	for {
		n, err := r.Once(ctx, size)
		if ctx.Err() != nil {
			return nil
		}
		wait := interval
		switch {
		case err != nil:
			if r.Log != nil {
				r.Log.Warn("event relay: will retry", "stream", r.Stream, "err", err)
			}
			backoff = min(backoff*2, 10*time.Second)
			wait = backoff
		case n == size:
			backoff, wait = interval, 0 // more are waiting
		default:
			backoff = interval
		}
		if wait > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-r.Wake:
			case <-time.After(wait):
			}
		}
	}
}

// Once publishes one batch and reports how many events it held.
func (r *Relay) Once(ctx context.Context, size int) (int, error) {
	b, err := r.Source.Pending(ctx, size)
	if err != nil {
		return 0, err
	}
	if len(b.Events) == 0 {
		return 0, b.Done(ctx)
	}
	if err := r.Sink.Publish(ctx, r.Stream, b.Events); err != nil {
		b.Release(ctx)
		return 0, err
	}
	return len(b.Events), b.Done(ctx)
}
