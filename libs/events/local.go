package events

import (
	"context"
	"errors"
	"sync"
)

// Local is an in-process bus for single-node mode without Redis: a Sink
// whose Publish hands every event to each subscribed group's handler. When
// a handler fails, Publish fails, the relay keeps the batch and sends it
// again later: at least once, in process (handlers drop duplicates by id,
// as with Redis).
type Local struct {
	mu   sync.Mutex
	subs map[string][]localSub
}

type localSub struct {
	group   string
	handler Handler
}

// NewLocal returns an empty bus.
func NewLocal() *Local { return &Local{subs: map[string][]localSub{}} }

// Subscribe registers a group's handler for stream.
func (l *Local) Subscribe(stream, group string, h Handler) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.subs[stream] = append(l.subs[stream], localSub{group: group, handler: h})
}

// Publish delivers evs to every group of stream.
func (l *Local) Publish(ctx context.Context, stream string, evs []Event) error {
	l.mu.Lock()
	subs := append([]localSub(nil), l.subs[stream]...)
	l.mu.Unlock()
	var errs []error
	for _, s := range subs {
		for _, e := range evs {
			if err := s.handler(ctx, e); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
