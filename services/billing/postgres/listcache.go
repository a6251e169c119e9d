package postgres

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// listCache keeps the expensive parts of recent customer lists — the
// ordered ids of every customer a search matches, and the totals of large
// filters — so that paging through them (page 1, 2, … 500) costs a slice
// and twenty primary-key lookups instead of a scan of every match.
//
// Every write through the store clears it: an instance reads its own
// writes at once. Another instance's writes show after at most stale: an
// entry older than fresh is still served, and refreshed in the background
// (one refresh per key at a time); older than stale it is recomputed
// before answering.
type listCache struct {
	mu       sync.Mutex
	entries  map[string]*list.Element
	lru      *list.List
	gen      uint64 // bumped by every write; entries of older generations are dropped
	max      int
	fresh    time.Duration
	stale    time.Duration
	now      func() time.Time
	inflight map[string]bool
}

type cacheEntry struct {
	key   string
	gen   uint64
	at    time.Time
	ids   []int64 // nil for a total alone
	total int
}

func newListCache() *listCache {
	return &listCache{entries: map[string]*list.Element{}, lru: list.New(), max: 128, fresh: 2 * time.Second,
		stale: 10 * time.Second, now: time.Now, inflight: map[string]bool{}}
}

// invalidate drops every entry (a local write).
func (c *listCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = map[string]*list.Element{}
	c.lru.Init()
}

// has reports whether key has an entry get would serve without loading.
func (c *listCache) has(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	return ok && c.now().Sub(el.Value.(*cacheEntry).at) < c.stale
}

// get returns the entry of key, computing it with load when it is missing
// or too old, and refreshing it in the background when it is merely old.
func (c *listCache) get(ctx context.Context, key string, load func(context.Context) (cacheEntry, error)) (cacheEntry, error) {
	c.mu.Lock()
	gen := c.gen
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*cacheEntry)
		age := c.now().Sub(e.at)
		if age < c.stale {
			c.lru.MoveToFront(el)
			if age >= c.fresh && !c.inflight[key] {
				c.inflight[key] = true
				go c.refresh(key, gen, load)
			}
			out := *e
			c.mu.Unlock()
			return out, nil
		}
	}
	c.mu.Unlock()
	at := c.now()
	e, err := load(ctx)
	if err != nil {
		return cacheEntry{}, err
	}
	c.put(key, gen, at, e)
	return e, nil
}

func (c *listCache) refresh(key string, gen uint64, load func(context.Context) (cacheEntry, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	at := c.now()
	e, err := load(ctx)
	c.mu.Lock()
	delete(c.inflight, key)
	c.mu.Unlock()
	if err == nil {
		c.put(key, gen, at, e)
	}
}

// put stores e, loaded from a snapshot taken at at, unless a write
// happened since its load began.
func (c *listCache) put(key string, gen uint64, at time.Time, e cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	e.key, e.gen, e.at = key, gen, at
	if el, ok := c.entries[key]; ok {
		el.Value = &e
		c.lru.MoveToFront(el)
		return
	}
	c.entries[key] = c.lru.PushFront(&e)
	for c.lru.Len() > c.max {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.entries, old.Value.(*cacheEntry).key)
	}
}
