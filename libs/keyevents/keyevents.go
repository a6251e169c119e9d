// Package keyevents broadcasts API key revocations so that every gateway
// drops a revoked key from its verification cache at once: over Redis
// pub/sub between processes, or in process in single-node mode.
package keyevents

import (
	"context"
	"sync"
)

// Channel is the Redis pub/sub channel of revocations.
const Channel = "hostplane:keys:revoked"

// Bus publishes and delivers revoked api_key values.
type Bus interface {
	Publish(ctx context.Context, apiKey string) error
	// Subscribe calls fn for every revocation until ctx ends. It returns
	// once the subscription is active.
	Subscribe(ctx context.Context, fn func(apiKey string)) error
}

// Local is an in-process Bus.
type Local struct {
	mu   sync.RWMutex
	subs map[int]func(string)
	next int
}

// NewLocal returns an in-process bus.
func NewLocal() *Local { return &Local{subs: map[int]func(string){}} }

// Publish delivers apiKey to every subscriber synchronously.
func (b *Local) Publish(_ context.Context, apiKey string) error {
	b.mu.RLock()
	fns := make([]func(string), 0, len(b.subs))
	for _, f := range b.subs {
		fns = append(fns, f)
	}
	b.mu.RUnlock()
	for _, f := range fns {
		f(apiKey)
	}
	return nil
}

// Subscribe registers fn until ctx ends.
func (b *Local) Subscribe(ctx context.Context, fn func(string)) error {
	b.mu.Lock()
	id := b.next
	b.next++
	b.subs[id] = fn
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		delete(b.subs, id)
		b.mu.Unlock()
	}()
	return nil
}
