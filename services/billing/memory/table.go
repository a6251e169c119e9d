package memory

import (
	"context"
	"reflect"
	"sort"
	"sync"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
)

// table is the in-memory storage every aggregate but customers shares:
// rows by id under one lock, copies in and out, events and undo on every
// change.
type table[T any] struct {
	mu       sync.RWMutex
	next     int64
	rows     map[int64]T
	resource string
	outbox   *events.MemoryOutbox
	id       func(*T) *int64
	clone    func(T) T
	events   func(before, after *T) []events.Event
}

func newTable[T any](resource string, outbox *events.MemoryOutbox, id func(*T) *int64, clone func(T) T,
	evs func(before, after *T) []events.Event) *table[T] {
	return &table[T]{rows: map[int64]T{}, resource: resource, outbox: outbox, id: id, clone: clone, events: evs}
}

func (t *table[T]) notFound() error { return errs.NotFoundResource(t.resource, "") }

// check validates a row against the others (uniqueness, references)
// under the table's lock; self is the row's id (0 for a new one).
type check[T any] func(v *T, others func(func(T) bool)) error

func (t *table[T]) others(self int64) func(func(T) bool) {
	return func(yield func(T) bool) {
		for id, r := range t.rows {
			if id != self && !yield(r) {
				return
			}
		}
	}
}

// create inserts a copy of *v with the next id, which it sets on v.
func (t *table[T]) create(ctx context.Context, v *T, ok check[T]) error {
	*v = t.clone(*v)
	t.mu.Lock()
	if ok != nil {
		if err := ok(v, t.others(0)); err != nil {
			t.mu.Unlock()
			return err
		}
	}
	t.next++
	id := t.next
	*t.id(v) = id
	t.rows[id] = t.clone(*v)
	t.mu.Unlock()
	onRollback(ctx, func() {
		t.mu.Lock()
		delete(t.rows, id)
		t.mu.Unlock()
	})
	if t.events != nil {
		publish(ctx, t.outbox, t.events(nil, v))
	}
	return nil
}

func (t *table[T]) get(id int64) (T, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	v, ok := t.rows[id]
	if !ok {
		var zero T
		return zero, t.notFound()
	}
	return t.clone(v), nil
}

// find returns the first row pred accepts.
func (t *table[T]) find(pred func(T) bool) (T, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, v := range t.rows {
		if pred(v) {
			return t.clone(v), nil
		}
	}
	var zero T
	return zero, t.notFound()
}

// list returns copies of the rows keep accepts, sorted by less.
func (t *table[T]) list(keep func(T) bool, less func(a, b T) bool) []T {
	t.mu.RLock()
	out := []T{}
	for _, v := range t.rows {
		if keep == nil || keep(v) {
			out = append(out, t.clone(v))
		}
	}
	t.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

// update lets fn change row id and saves it when it changed.
func (t *table[T]) update(ctx context.Context, id int64, fn func(*T) error, ok check[T]) (T, error) {
	var zero T
	t.mu.Lock()
	old, found := t.rows[id]
	if !found {
		t.mu.Unlock()
		return zero, t.notFound()
	}
	v := t.clone(old)
	if err := fn(&v); err != nil {
		t.mu.Unlock()
		return zero, err
	}
	v = t.clone(v)
	*t.id(&v) = id
	if reflect.DeepEqual(old, v) {
		t.mu.Unlock()
		return v, nil
	}
	if ok != nil {
		if err := ok(&v, t.others(id)); err != nil {
			t.mu.Unlock()
			return zero, err
		}
	}
	t.rows[id] = t.clone(v)
	t.mu.Unlock()
	onRollback(ctx, func() {
		t.mu.Lock()
		t.rows[id] = old
		t.mu.Unlock()
	})
	if t.events != nil {
		publish(ctx, t.outbox, t.events(&old, &v))
	}
	return v, nil
}

// remove deletes row id unless ok refuses.
func (t *table[T]) remove(ctx context.Context, id int64, ok func(T) error) (T, error) {
	var zero T
	t.mu.Lock()
	old, found := t.rows[id]
	if !found {
		t.mu.Unlock()
		return zero, t.notFound()
	}
	if ok != nil {
		if err := ok(old); err != nil {
			t.mu.Unlock()
			return zero, err
		}
	}
	delete(t.rows, id)
	t.mu.Unlock()
	onRollback(ctx, func() {
		t.mu.Lock()
		t.rows[id] = old
		t.mu.Unlock()
	})
	if t.events != nil {
		publish(ctx, t.outbox, t.events(&old, nil))
	}
	return t.clone(old), nil
}

// page cuts one page out of a list.
func page[T any](all []T, offset, limit int) ([]T, int) {
	total := len(all)
	if offset >= total {
		return []T{}, total
	}
	end := total
	if limit > 0 && offset+limit < end {
		end = offset + limit
	}
	return all[offset:end], total
}

// quietly changes row id without an event or undo: what PostgreSQL's ON
// DELETE SET NULL does to the rows that named a deleted one.
func (t *table[T]) quietly(id int64, fn func(*T)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if v, ok := t.rows[id]; ok {
		fn(&v)
		t.rows[id] = v
	}
}

// drop deletes row id without an event or undo (ON DELETE CASCADE).
func (t *table[T]) drop(id int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.rows, id)
}
