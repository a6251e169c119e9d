package discovery

import (
	"slices"
	"sync"
	"sync/atomic"
)

// table holds the current instances of each service for a resolver. Reads
// are one atomic load and a map lookup; writers (rare) copy the map.
type table struct {
	mu  sync.Mutex // serialises writers
	cur atomic.Pointer[map[string]*entry]
}

// entry is one service's instances, and the channel closed when a newer
// entry replaces it.
type entry struct {
	addrs   []string
	changed chan struct{}
}

func newTable() *table {
	t := &table{}
	m := map[string]*entry{}
	t.cur.Store(&m)
	return t
}

// instances is the current sorted address list of service (shared).
func (t *table) instances(service string) []string {
	if e := (*t.cur.Load())[service]; e != nil {
		return e.addrs
	}
	return nil
}

// changed is closed at the next change of service's instances.
func (t *table) changed(service string) <-chan struct{} {
	if e := (*t.cur.Load())[service]; e != nil {
		return e.changed
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	old := *t.cur.Load()
	if e := old[service]; e != nil {
		return e.changed
	}
	e := &entry{changed: make(chan struct{})}
	t.replace(old, service, e)
	return e.changed
}

// set makes addrs (copied, sorted, without duplicates) the instances of
// service and reports whether that changed anything.
func (t *table) set(service string, addrs []string) bool {
	next := slices.Compact(slices.Sorted(slices.Values(addrs)))
	t.mu.Lock()
	defer t.mu.Unlock()
	old := *t.cur.Load()
	prev := old[service]
	if prev != nil && slices.Equal(prev.addrs, next) {
		return false
	}
	if prev == nil && len(next) == 0 {
		// Unknown and still empty: record nothing, wake nobody.
		return false
	}
	t.replace(old, service, &entry{addrs: next, changed: make(chan struct{})})
	if prev != nil {
		close(prev.changed)
	}
	return true
}

// replace publishes a copy of old with service mapped to e; t.mu is held.
func (t *table) replace(old map[string]*entry, service string, e *entry) {
	m := make(map[string]*entry, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[service] = e
	t.cur.Store(&m)
}
