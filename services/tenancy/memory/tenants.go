// Package memory holds the tenancy service's in-memory store: the tenant
// registry of single-node mode without PostgreSQL, and of fast unit tests.
package memory

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// Tenants is an in-memory tenants.Store. Events go to Outbox.
type Tenants struct {
	Outbox *events.MemoryOutbox

	mu      sync.Mutex
	tenants map[int64]tenants.Tenant
	locks   map[int64]chan struct{}
	handled map[string]bool
	onceMu  sync.Mutex
}

// NewTenants returns an empty store.
func NewTenants() *Tenants {
	return &Tenants{Outbox: events.NewMemoryOutbox(), tenants: map[int64]tenants.Tenant{}, locks: map[int64]chan struct{}{}, handled: map[string]bool{}}
}

func notFound() error { return errs.NotFoundResource("tenant", "") }

// Get implements tenants.Store.
func (m *Tenants) Get(_ context.Context, siteID int64) (tenants.Tenant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tenants[siteID]
	if !ok {
		return tenants.Tenant{}, notFound()
	}
	return t.Clone(), nil
}

// Save implements tenants.Store.
func (m *Tenants) Save(_ context.Context, t *tenants.Tenant, evs ...events.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tenants[t.SiteID] = t.Clone()
	m.Outbox.Add(evs...)
	return nil
}

// Remove implements tenants.Store.
func (m *Tenants) Remove(_ context.Context, siteID int64, evs ...events.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tenants, siteID)
	m.Outbox.Add(evs...)
	return nil
}

// Place implements tenants.Store.
func (m *Tenants) Place(_ context.Context, siteID int64, servers []string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tenants[siteID]
	if !ok {
		return "", notFound()
	}
	if t.Placement.Server != "" {
		return t.Placement.Server, nil
	}
	if len(servers) == 0 {
		return "", errs.New(errs.Invalid, "no server to place tenant %d on", siteID)
	}
	counts := map[string]int{}
	for _, o := range m.tenants {
		counts[o.Placement.Server]++
	}
	best := servers[0]
	for _, s := range servers[1:] {
		if counts[s] < counts[best] {
			best = s
		}
	}
	t.Placement.Server = best
	m.tenants[siteID] = t
	return best, nil
}

// Unfinished implements tenants.Store.
func (m *Tenants) Unfinished(_ context.Context) ([]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []int64
	for id, t := range m.tenants {
		if t.State.Running() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// Lock implements tenants.Store.
func (m *Tenants) Lock(ctx context.Context, siteID int64, wait time.Duration) (func(), error) {
	m.mu.Lock()
	l, ok := m.locks[siteID]
	if !ok {
		l = make(chan struct{}, 1)
		m.locks[siteID] = l
	}
	m.mu.Unlock()
	var once sync.Once
	unlock := func() { once.Do(func() { <-l }) }
	select {
	case l <- struct{}{}:
		return unlock, nil
	default:
	}
	if wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case l <- struct{}{}:
			return unlock, nil
		case <-timer.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errs.New(errs.Conflict, "tenant %d is locked", siteID)
}

// Once implements tenants.Store. Handlings are serialised, so that a
// duplicate delivered while the first is in fn waits and is then dropped.
func (m *Tenants) Once(ctx context.Context, consumer, id string, fn func(context.Context) error) (bool, error) {
	m.onceMu.Lock()
	defer m.onceMu.Unlock()
	key := consumer + "\x00" + id
	m.mu.Lock()
	done := m.handled[key]
	m.mu.Unlock()
	if done {
		return false, nil
	}
	if err := fn(ctx); err != nil {
		return false, err
	}
	m.mu.Lock()
	m.handled[key] = true
	m.mu.Unlock()
	return true, nil
}
