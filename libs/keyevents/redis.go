package keyevents

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Bus over Redis pub/sub.
type Redis struct {
	client *redis.Client
	// OnReconnect is called after the subscription was re-established
	// (messages may have been missed: callers should flush their cache).
	OnReconnect func()
}

// NewRedis returns a Redis bus on client.
func NewRedis(client *redis.Client) *Redis { return &Redis{client: client} }

// Publish announces a revocation.
func (b *Redis) Publish(ctx context.Context, apiKey string) error {
	if err := b.client.Publish(ctx, Channel, apiKey).Err(); err != nil {
		return fmt.Errorf("keyevents: publish: %w", err)
	}
	return nil
}

// Subscribe delivers revocations to fn until ctx ends, resubscribing after
// Redis outages. It returns an error only if the first subscription fails.
func (b *Redis) Subscribe(ctx context.Context, fn func(string)) error {
	sub := b.client.Subscribe(ctx, Channel)
	if _, err := sub.Receive(ctx); err != nil {
		_ = sub.Close()
		return fmt.Errorf("keyevents: subscribe: %w", err)
	}
	go func() {
		defer sub.Close()
		// Receive does not watch ctx: closing the subscription when ctx
		// ends unblocks it, so that the goroutine and the connection end
		// with ctx rather than at the next message.
		stop := context.AfterFunc(ctx, func() { _ = sub.Close() })
		defer stop()
		for {
			msg, err := sub.Receive(ctx)
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				// go-redis reconnects the PubSub on the next Receive; tell the
				// caller that messages may have been missed.
				if b.OnReconnect != nil {
					b.OnReconnect()
				}
				select {
				case <-ctx.Done():
					return
				case <-time.After(200 * time.Millisecond):
				}
				continue
			}
			if m, ok := msg.(*redis.Message); ok {
				fn(m.Payload)
			}
		}
	}()
	return nil
}
