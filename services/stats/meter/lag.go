package meter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// maxCounted bounds the entries counted one by one: beyond it the lag
// Redis reports is taken as it is.
const maxCounted = 10_000

// Lag measures how far a consumer group is behind its streams: the
// entries not yet delivered to the group plus those delivered and not
// yet acknowledged (0 when caught up).
type Lag struct {
	Client  *redis.Client
	Group   string
	Streams []string
	// From is where the group starts when it does not exist yet ("0": the
	// whole stream is behind; "$": nothing is).
	From  string
	gauge *prometheus.GaugeVec
}

// NewLag registers hostplane_stats_consumer_lag on reg with every stream
// at zero. client may be nil (no Redis: the series stay at zero).
func NewLag(reg prometheus.Registerer, client *redis.Client, group, from string, streams []string) *Lag {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: telemetry.Name("stats", "consumer_lag"),
		Help: "Entries of an event stream not yet delivered to or acknowledged by the stats consumer group.",
	}, []string{"stream"})
	reg.MustRegister(g)
	for _, s := range streams {
		g.WithLabelValues(s).Set(0)
	}
	return &Lag{Client: client, Group: group, Streams: streams, From: from, gauge: g}
}

// Update measures every stream and sets the gauge; a stream that cannot
// be measured keeps its last value and the first error is returned.
func (l *Lag) Update(ctx context.Context) error {
	if l == nil || l.Client == nil {
		return nil
	}
	var first error
	for _, s := range l.Streams {
		n, err := l.Measure(ctx, s)
		if err != nil {
			if first == nil {
				first = fmt.Errorf("consumer lag of %s: %w", s, err)
			}
			continue
		}
		l.gauge.WithLabelValues(s).Set(float64(n))
	}
	return first
}

// Measure is the group's lag on stream.
func (l *Lag) Measure(ctx context.Context, stream string) (int64, error) {
	groups, err := l.Client.XInfoGroups(ctx, stream).Result()
	if err != nil {
		if strings.Contains(err.Error(), "no such key") || errors.Is(err, redis.Nil) {
			return 0, nil // no stream yet: nothing behind
		}
		return 0, err
	}
	for _, g := range groups {
		if g.Name != l.Group {
			continue
		}
		if g.Lag == 0 {
			return g.Pending, nil
		}
		// Redis cannot say (-1) or miscounts (entries deleted from the
		// stream, Redis 7.0): count the entries that follow the last one
		// delivered, up to maxCounted.
		after, err := l.Client.XRangeN(ctx, stream, "("+g.LastDeliveredID, "+", maxCounted).Result()
		if err != nil {
			return 0, err
		}
		n := int64(len(after))
		if n == maxCounted && g.Lag > n {
			n = g.Lag
		}
		return n + g.Pending, nil
	}
	if l.From == "$" {
		return 0, nil
	}
	return l.Client.XLen(ctx, stream).Result()
}

// Run updates the gauge every period until ctx ends.
func (l *Lag) Run(ctx context.Context, every time.Duration, onErr func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := l.Update(ctx); err != nil && ctx.Err() == nil && onErr != nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Vec is the gauge (tests).
func (l *Lag) Vec() *prometheus.GaugeVec { return l.gauge }
