package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisSink publishes to Redis Streams.
type RedisSink struct {
	Client *redis.Client
	// MaxLen trims each stream to about this many entries (1,000,000).
	MaxLen int64
}

// Publish appends evs to stream in one pipeline.
func (s *RedisSink) Publish(ctx context.Context, stream string, evs []Event) error {
	maxLen := s.MaxLen
	if maxLen <= 0 {
		maxLen = 1_000_000
	}
	_, err := s.Client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, e := range evs {
			b, err := json.Marshal(e)
			if err != nil {
				return err
			}
			p.XAdd(ctx, &redis.XAddArgs{Stream: stream, MaxLen: maxLen, Approx: true, Values: []any{"event", b}})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("events: publish to %s: %w", stream, err)
	}
	return nil
}

// Handler handles one event. An error leaves it unacknowledged: it is
// delivered again later (to this consumer or another of the group).
type Handler func(ctx context.Context, e Event) error

// Consumer reads one stream in a consumer group. Each instance of a service
// runs one with its own Name and the service's Group: the group shares the
// events out, and those a dead instance left unacknowledged are claimed by
// the others after MinIdle.
type Consumer struct {
	Client  *redis.Client
	Stream  string
	Group   string
	Name    string
	Handler Handler
	// Block is how long one read waits for new events (1 s).
	Block time.Duration
	// MinIdle is how long an unacknowledged event waits before another
	// consumer may claim it (30 s).
	MinIdle time.Duration
	Log     *slog.Logger
}

// Run consumes until ctx ends.
func (c *Consumer) Run(ctx context.Context) error {
	block := c.Block
	if block <= 0 {
		block = time.Second
	}
	minIdle := c.MinIdle
	if minIdle <= 0 {
		minIdle = 30 * time.Second
	}
	if err := c.ensureGroup(ctx); err != nil {
		return err
	}
	// First what this consumer received before a restart and never acked.
	c.read(ctx, "0", 0)
	lastClaim := time.Now()
	for ctx.Err() == nil {
		if time.Since(lastClaim) >= minIdle/2 {
			c.claim(ctx, minIdle)
			lastClaim = time.Now()
		}
		if n := c.read(ctx, ">", block); n < 0 {
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
	return nil
}

func (c *Consumer) ensureGroup(ctx context.Context) error {
	err := c.Client.XGroupCreateMkStream(ctx, c.Stream, c.Group, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("events: create group %s on %s: %w", c.Group, c.Stream, err)
	}
	return nil
}

// read handles one read's events; it returns -1 when Redis failed.
func (c *Consumer) read(ctx context.Context, from string, block time.Duration) int {
	args := &redis.XReadGroupArgs{Group: c.Group, Consumer: c.Name, Streams: []string{c.Stream, from}, Count: 100, Block: block}
	if from == "0" {
		args.Block = -1 // pending entries only, no waiting
	}
	res, err := c.Client.XReadGroup(ctx, args).Result()
	if errors.Is(err, redis.Nil) {
		return 0
	}
	if err != nil {
		if ctx.Err() == nil && c.Log != nil {
			c.Log.Warn("events: read failed, retrying", "stream", c.Stream, "err", err)
		}
		if strings.Contains(err.Error(), "NOGROUP") {
			_ = c.ensureGroup(ctx)
		}
		return -1
	}
	n := 0
	for _, s := range res {
		for _, m := range s.Messages {
			c.handle(ctx, m)
			n++
		}
	}
	return n
}

// claim takes over events other consumers left unacknowledged for minIdle.
func (c *Consumer) claim(ctx context.Context, minIdle time.Duration) {
	start := "0-0"
	for ctx.Err() == nil {
		msgs, next, err := c.Client.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream: c.Stream, Group: c.Group, Consumer: c.Name, MinIdle: minIdle, Start: start, Count: 100,
		}).Result()
		if err != nil {
			return
		}
		for _, m := range msgs {
			c.handle(ctx, m)
		}
		if next == "0-0" || len(msgs) == 0 {
			return
		}
		start = next
	}
}

func (c *Consumer) handle(ctx context.Context, m redis.XMessage) {
	raw, _ := m.Values["event"].(string)
	var e Event
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		// Unreadable: acknowledge it, or it would come back forever.
		if c.Log != nil {
			c.Log.Error("events: dropping an unreadable entry", "stream", c.Stream, "entry", m.ID, "err", err)
		}
		c.Client.XAck(ctx, c.Stream, c.Group, m.ID)
		return
	}
	if err := c.Handler(ctx, e); err != nil {
		if c.Log != nil {
			c.Log.Warn("events: handler failed; the event will be delivered again", "type", e.Type, "id", e.ID, "err", err)
		}
		return
	}
	c.Client.XAck(ctx, c.Stream, c.Group, m.ID)
}
