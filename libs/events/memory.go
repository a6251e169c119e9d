package events

import (
	"context"
	"sync"
)

// MemoryOutbox is the outbox of in-memory stores: they Add events as they
// change, and the relay publishes them. One relay per outbox.
type MemoryOutbox struct {
	mu      sync.Mutex
	pending []Event
	wake    chan struct{}
}

// NewMemoryOutbox returns an empty outbox.
func NewMemoryOutbox() *MemoryOutbox { return &MemoryOutbox{wake: make(chan struct{}, 1)} }

// Add queues events for publication.
func (m *MemoryOutbox) Add(evs ...Event) {
	m.mu.Lock()
	m.pending = append(m.pending, evs...)
	m.mu.Unlock()
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Wake is signalled when events are added (the relay need not poll).
func (m *MemoryOutbox) Wake() <-chan struct{} { return m.wake }

// Pending returns up to limit queued events.
func (m *MemoryOutbox) Pending(_ context.Context, limit int) (*Batch, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := min(limit, len(m.pending))
	evs := append([]Event(nil), m.pending[:n]...)
	return &Batch{Events: evs, done: func(context.Context) error {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.pending = m.pending[n:]
		return nil
	}}, nil
}

// Len is the number of unpublished events.
func (m *MemoryOutbox) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pending)
}
