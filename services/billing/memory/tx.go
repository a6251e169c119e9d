package memory

import (
	"context"
	"sync"

	"github.com/hostplane/hostplane/libs/events"
)

// Runner is the txn.Runner of the memory stores: changes made inside a
// transaction apply at once and are undone, in reverse order, when it
// fails; their events wait in the transaction and reach the outbox only
// when it succeeds.
type Runner struct{ Outbox *events.MemoryOutbox }

type txKey struct{}

// tx is one memory transaction.
type tx struct {
	mu     sync.Mutex
	undo   []func()
	end    []func()
	events []events.Event
}

func txOf(ctx context.Context) *tx {
	t, _ := ctx.Value(txKey{}).(*tx)
	return t
}

// InTx runs fn in a transaction (or in the one ctx carries).
func (r Runner) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if txOf(ctx) != nil {
		return fn(ctx)
	}
	t := &tx{}
	defer func() {
		t.mu.Lock()
		end := t.end
		t.mu.Unlock()
		for _, f := range end {
			f()
		}
	}()
	if err := fn(context.WithValue(ctx, txKey{}, t)); err != nil {
		t.mu.Lock()
		undo := t.undo
		t.undo = nil
		t.mu.Unlock()
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
		return err
	}
	t.mu.Lock()
	evs := t.events
	t.mu.Unlock()
	if len(evs) > 0 && r.Outbox != nil {
		r.Outbox.Add(evs...)
	}
	return nil
}

// publish hands evs to the transaction of ctx, or to outbox at once.
func publish(ctx context.Context, outbox *events.MemoryOutbox, evs []events.Event) {
	if len(evs) == 0 {
		return
	}
	if t := txOf(ctx); t != nil {
		t.mu.Lock()
		t.events = append(t.events, evs...)
		t.mu.Unlock()
		return
	}
	if outbox != nil {
		outbox.Add(evs...)
	}
}

// onRollback registers f to undo a change if the transaction of ctx
// fails; outside a transaction it does nothing. f runs without the
// store's lock held and must take it.
func onRollback(ctx context.Context, f func()) {
	if t := txOf(ctx); t != nil {
		t.mu.Lock()
		t.undo = append(t.undo, f)
		t.mu.Unlock()
	}
}

// afterTx registers f to run when the transaction of ctx ends, committed
// or not; it reports false outside a transaction.
func afterTx(ctx context.Context, f func()) bool {
	t := txOf(ctx)
	if t == nil {
		return false
	}
	t.mu.Lock()
	t.end = append(t.end, f)
	t.mu.Unlock()
	return true
}
