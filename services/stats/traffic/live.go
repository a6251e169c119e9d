package traffic

import (
	"context"
	"time"
)

// LiveWindow is how long a visitor counts as live after its last event.
const LiveWindow = 5 * time.Minute

// Live counts each site's visitors seen recently (Redis, or memory in
// single-node mode).
type Live interface {
	// Touch records visitors seen at their times (a later time wins) and
	// may forget those seen before forgetBefore.
	Touch(ctx context.Context, siteID int64, seen []Seen, forgetBefore time.Time) error
	// Count is the number of distinct visitors seen since a time.
	Count(ctx context.Context, siteID int64, since time.Time) (int64, error)
}

// Seen is a visitor seen at a time.
type Seen struct {
	Visitor string
	At      time.Time
}

// seenIn lists the visitors of a batch's events recent enough to count as
// live, each once with its latest time.
func seenIn(evs []Event, since time.Time) []Seen {
	latest := map[string]time.Time{}
	for _, e := range evs {
		if e.Visitor == "" || e.At.Before(since) {
			continue
		}
		if t, ok := latest[e.Visitor]; !ok || e.At.After(t) {
			latest[e.Visitor] = e.At
		}
	}
	out := make([]Seen, 0, len(latest))
	for v, t := range latest {
		out = append(out, Seen{Visitor: v, At: t})
	}
	return out
}
