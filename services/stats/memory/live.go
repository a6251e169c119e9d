package memory

import (
	"context"
	"sync"
	"time"

	"github.com/hostplane/hostplane/services/stats/traffic"
)

// Live is the in-memory traffic.Live of single-node mode without Redis.
type Live struct {
	mu     sync.Mutex
	sites  map[int64]map[string]time.Time
	pruned map[int64]time.Time // when each site was last pruned
}

// NewLive returns an empty counter.
func NewLive() *Live {
	return &Live{sites: map[int64]map[string]time.Time{}, pruned: map[int64]time.Time{}}
}

// Touch records visitors; those seen before forgetBefore are dropped
// (now and then).
func (l *Live) Touch(_ context.Context, siteID int64, seen []traffic.Seen, forgetBefore time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.sites[siteID]
	if m == nil {
		m = map[string]time.Time{}
		l.sites[siteID] = m
	}
	for _, s := range seen {
		if t, ok := m[s.Visitor]; !ok || s.At.After(t) {
			m[s.Visitor] = s.At
		}
	}
	// Pruning walks every visitor: at most every ten seconds.
	if forgetBefore.Sub(l.pruned[siteID]) >= 10*time.Second {
		for v, t := range m {
			if t.Before(forgetBefore) {
				delete(m, v)
			}
		}
		l.pruned[siteID] = forgetBefore
	}
	return nil
}

// Count counts the visitors seen since a time.
func (l *Live) Count(_ context.Context, siteID int64, since time.Time) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var n int64
	for _, t := range l.sites[siteID] {
		if !t.Before(since) {
			n++
		}
	}
	return n, nil
}
