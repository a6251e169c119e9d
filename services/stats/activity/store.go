package activity

import (
	"context"
	"time"
)

// Store is the persistence port of activity logs.
type Store interface {
	// Add stores entries (setting nothing on them) and returns how many
	// were new: one whose Dedupe is already stored is skipped.
	Add(ctx context.Context, entries []Entry) (int, error)
	// List returns a site's entries, newest first (then by id, highest
	// first), and how many match: those of SiteID, plus, when CustomerID
	// is not 0, those of that customer that name no site.
	List(ctx context.Context, f Filter) ([]Entry, int, error)
}

// Filter selects and pages entries.
type Filter struct {
	SiteID     int64
	CustomerID int64
	Types      []string  // empty: all
	Since      time.Time // zero: all
	Offset     int
	Limit      int
}
