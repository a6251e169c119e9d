package postgres

import "sync"

// maxTotals bounds the totals kept: past it, they are all dropped.
const maxTotals = 4096

// totals keeps the totals of term searches by filter, each with the
// version of the search data (site_search_version) it was counted at: a
// total is given back as an answer only to a statement that read the same
// version, so it is the total that statement would have counted.
type totals struct {
	mu sync.Mutex
	n  map[string]counted
}

type counted struct {
	version int64
	n       int
}

// get returns the total of key at version.
func (t *totals) get(key string, version int64) (int, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.n[key]
	return c.n, ok && c.version == version
}

// hint returns the last total of key, whatever its version.
func (t *totals) hint(key string) (int, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.n[key]
	return c.n, ok
}

// put keeps n as the total of key at version, unless one of a newer
// version is kept.
func (t *totals) put(key string, version int64, n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c, ok := t.n[key]; ok && c.version > version {
		return
	}
	if t.n == nil || len(t.n) >= maxTotals {
		t.n = map[string]counted{}
	}
	t.n[key] = counted{version, n}
}
