package txn

import (
	"context"
	"sync"
)

// Memo keeps the rows one unit of work (a registration) has read or
// written, by kind and id, so that the services it goes through, each
// checking the references it is given, do not read again what the unit
// of work already holds. A row the unit of work wrote inside its
// transaction is what that transaction would read back, locked by it; a
// row it only read is the version it read. Stores keep copies. A nil Memo
// keeps nothing.
type Memo struct {
	mu   sync.Mutex
	rows map[memoKey]memoRow
}

type memoKey struct {
	kind string
	id   int64
}

type memoRow struct {
	v       any
	written bool
}

type memoCtxKey struct{}

// WithMemo returns ctx carrying a new Memo.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoCtxKey{}, &Memo{rows: map[memoKey]memoRow{}})
}

// MemoOf returns the Memo of ctx, or nil.
func MemoOf(ctx context.Context) *Memo {
	m, _ := ctx.Value(memoCtxKey{}).(*Memo)
	return m
}

// Get returns the row of kind and id, and whether the unit of work wrote
// it (in its transaction).
func (m *Memo) Get(kind string, id int64) (v any, written, ok bool) {
	if m == nil {
		return nil, false, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.rows[memoKey{kind, id}]
	return r.v, r.written, ok
}

// Put keeps v as the row of kind and id; written marks a row the unit of
// work wrote (a row once written stays so).
func (m *Memo) Put(kind string, id int64, v any, written bool) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memoKey{kind, id}
	m.rows[k] = memoRow{v: v, written: written || m.rows[k].written}
}

// Forget drops the row of kind and id.
func (m *Memo) Forget(kind string, id int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.rows, memoKey{kind, id})
}
