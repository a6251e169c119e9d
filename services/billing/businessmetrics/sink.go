package businessmetrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/events"
)

// Sink publishes to Next and counts what Next took.
type Sink struct {
	Next    events.Sink
	Metrics *Metrics
	// Changed receives a signal, without blocking, when a membership event
	// passed (Refresher.Wake).
	Changed chan<- struct{}
}

// Publish publishes evs and, once published, counts them.
func (s *Sink) Publish(ctx context.Context, stream string, evs []events.Event) error {
	if err := s.Next.Publish(ctx, stream, evs); err != nil {
		return err
	}
	changed := false
	for _, e := range evs {
		if s.Metrics.Observe(e) {
			changed = true
		}
	}
	if changed && s.Changed != nil {
		select {
		case s.Changed <- struct{}{}:
		default:
		}
	}
	return nil
}

// Counter counts the active memberships (memberships.Store.List with a
// status filter and limit 1 does).
type Counter func(ctx context.Context) (int, error)

// Refresher keeps the active memberships gauge current.
type Refresher struct {
	Metrics *Metrics
	Count   Counter
	// Wake cuts the wait short (Sink.Changed's other end).
	Wake <-chan struct{}
	// Interval between counts without a wake (30 s).
	Interval time.Duration
	// MinGap is the least time between two counts (1 s), so that a stream
	// of membership events costs one count a second at most.
	MinGap time.Duration
	Log    *slog.Logger
}

// Run counts at once, then on every wake and interval (MinGap apart at
// least), until ctx ends.
func (r *Refresher) Run(ctx context.Context) {
	interval := r.Interval
	if interval <= 0 {
		interval = 30 * time.Second
	}
	gap := r.MinGap
	if gap <= 0 {
		gap = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		r.Refresh(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(gap):
		}
		select {
		case <-ctx.Done():
			return
		case <-r.Wake:
		case <-t.C:
		}
	}
}

// Refresh counts once and sets the gauge.
func (r *Refresher) Refresh(ctx context.Context) {
	n, err := r.Count(ctx)
	if err != nil {
		if ctx.Err() == nil && r.Log != nil {
			r.Log.Warn("active memberships count failed", "err", err)
		}
		return
	}
	r.Metrics.active.Set(float64(n))
}
