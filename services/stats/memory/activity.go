package memory

import (
	"context"
	"slices"

	"github.com/hostplane/hostplane/services/stats/activity"
)

// Add stores entries, skipping those already recorded.
func (s *Store) Add(_ context.Context, entries []activity.Entry) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addEntries(entries), nil
}

// List returns a page of a site's log, newest first.
func (s *Store) List(_ context.Context, f activity.Filter) ([]activity.Entry, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []activity.Entry
	for _, e := range s.entries {
		mine := e.SiteID == f.SiteID && f.SiteID != 0 ||
			e.SiteID == 0 && f.CustomerID != 0 && e.CustomerID == f.CustomerID
		if !mine || len(f.Types) > 0 && !slices.Contains(f.Types, e.Type) || !f.Since.IsZero() && e.At.Before(f.Since) {
			continue
		}
		all = append(all, e)
	}
	slices.SortFunc(all, func(a, b activity.Entry) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	total := len(all)
	if f.Offset >= total {
		return []activity.Entry{}, total, nil
	}
	end := total
	if f.Limit > 0 && f.Offset+f.Limit < end {
		end = f.Offset + f.Limit
	}
	return all[f.Offset:end], total, nil
}
