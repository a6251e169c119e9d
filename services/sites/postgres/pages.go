package postgres

import (
	"sync"

	"github.com/hostplane/hostplane/services/sites/site"
)

const (
	// keptMin is how many ordered matches a term search keeps at least:
	// its first five pages of 20.
	keptMin = 100
	// keptMax is the deepest match kept: a page past it is read afresh.
	keptMax = 1000
	// maxKeptIDs bounds the ids kept over all searches (8 bytes each),
	// each search counted keptCost more for its key and entry: past it,
	// searches are dropped at random until the new one fits (about 1 MB
	// in all).
	maxKeptIDs = 100_000
	keptCost   = 32
)

// pages keeps the first matches, in order, of term searches by filter and
// order, each with the version of the search data (site_search_version)
// they were read at: a page is answered from them only by a statement
// that reads the page's sites at the same version, so they are the ids
// that statement would have found. Reading a search's matches is what a
// term search costs (every match is checked against its text); a page
// kept costs one look-up of its sites by id.
type pages struct {
	mu  sync.Mutex
	m   map[string]kept
	ids int // the cost of m: its ids, and keptCost a search
}

// kept is the start of a search's ordered matches.
type kept struct {
	version int64
	ids     []int64 // the first len(ids) matches in order
	all     bool    // ids are every match
	total   int     // the number of matches
}

// keptFor is how many ordered matches to keep of a term search f: at least
// keptMin, none for a page past keptMax, a whole list, or a search whose
// filter holds the time (closing soon: its key would not be seen again).
func keptFor(f site.ListFilter) int {
	end := f.Offset + f.Limit
	if f.Limit <= 0 || end > keptMax || f.Select == site.SelectClosingSoon {
		return 0
	}
	return max(keptMin, end)
}

// page returns the ids of the page [offset, offset+limit) of key, the
// version they were read at and the total, if kept and not empty.
func (p *pages) page(key string, offset, limit int) ([]int64, int64, int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k, ok := p.m[key]
	end := offset + limit
	switch {
	case !ok, offset >= len(k.ids), end > len(k.ids) && !k.all:
		return nil, 0, 0, false
	}
	return k.ids[offset:min(end, len(k.ids))], k.version, k.total, true
}

// put keeps k for key, unless a newer version is kept.
func (p *pages) put(key string, k kept) {
	if k.cost() > maxKeptIDs {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.m[key]; ok {
		if old.version > k.version {
			return
		}
		p.ids -= old.cost()
		delete(p.m, key)
	}
	if p.m == nil {
		p.m = map[string]kept{}
	}
	for victim, v := range p.m { // map order: at random
		if p.ids+k.cost() <= maxKeptIDs {
			break
		}
		p.ids -= v.cost()
		delete(p.m, victim)
	}
	p.m[key] = k
	p.ids += k.cost()
}

// drop forgets key if kept at version (the data changed since).
func (p *pages) drop(key string, version int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if k, ok := p.m[key]; ok && k.version == version {
		p.ids -= k.cost()
		delete(p.m, key)
	}
}

// cost is what k counts against maxKeptIDs.
func (k kept) cost() int { return len(k.ids) + keptCost }
