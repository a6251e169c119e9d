package traffic

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/stats/activity"
)

// Store is the persistence port of front-office events and their rollups.
// Adapters map their errors to libs/errs.
type Store interface {
	// Append stores a batch in one transaction: the raw events, their day
	// totals (b.Days) added to the site's daily rollup, the orders' states
	// and the sales they make (ApplyOrders over the stored states), the
	// latest form responses and stock levels (Latest: an older event than
	// the stored one changes nothing), the forms and users seen, and the
	// batch's activity entries. With a key, a batch whose key the site
	// already used stores nothing and answers the first batch's Accepted
	// with Replayed set, or an errs.Conflict when its fingerprint differs.
	Append(ctx context.Context, b Batch) (Appended, error)
	// AddHits adds API hits to sites' daily rollups and customers' daily
	// counts.
	AddHits(ctx context.Context, hits []Hits) error
	// Days returns a site's rollup between two days (inclusive), only the
	// days that have some, in day order, and the sales of those days by
	// day then currency.
	Days(ctx context.Context, siteID int64, from, to time.Time) ([]Day, []Sale, error)
	// Snapshot returns a site's order, form and stock figures now, with
	// the sales and visits of the days since a time's day.
	Snapshot(ctx context.Context, siteID int64, since time.Time) (Snapshot, error)
	// Counters returns what a site used since a day (bandwidth, API hits)
	// and how many forms, products and users it has.
	Counters(ctx context.Context, siteID int64, since time.Time) (Counters, error)
	// Events returns a site's raw events in the order they were stored.
	Events(ctx context.Context, siteID int64) ([]Event, error)
}

// Batch is a validated batch of one site's events.
type Batch struct {
	SiteID   int64
	Events   []Event
	Days     []Day // DayTotals(Events)
	Activity []activity.Entry
	Key      *IdempotencyKey
}

// IdempotencyKey makes a batch a client may send again count once.
type IdempotencyKey struct {
	Key         string
	Fingerprint []byte // of the request: the same key with another body is a conflict
	At          time.Time
}

// Appended is the outcome of Append.
type Appended struct {
	Accepted int
	Replayed bool
}

// Hits counts API requests of a site (SiteID) or, for requests that name
// no site, of a customer (CustomerID) on one UTC day.
type Hits struct {
	SiteID     int64
	CustomerID int64
	Day        time.Time
	Count      int64
}

// Money is a count of orders and their amount in one currency.
type Money struct {
	Currency string
	Orders   int64
	Amount   int64 // minor units
}

// Snapshot is a site's dashboard figures.
type Snapshot struct {
	Pending         []Money // orders waiting, by currency
	Paid            []Money // sales of the days since the snapshot's time, by currency
	Visits          int64   // visits of the days since the snapshot's time
	UnreadResponses int64
	StockShortage   int64 // products whose quantity is 0 or less
	Refillable      int64 // products at or under their threshold
}

// Counters is what a site consumed and holds.
type Counters struct {
	Bytes    int64 // pageview bytes since the day asked
	APIHits  int64 // API hits since the day asked
	Forms    int64
	Products int64
	Users    int64
}

// ErrKeyReused is Append's answer to an idempotency key used before with
// another request.
var ErrKeyReused = &errs.Error{Kind: errs.Conflict, Reason: "idempotency_key_reused",
	Message: "This Idempotency-Key was used with another request: use a new key for a new request.",
	Params:  map[string]string{"Idempotency-Key": "Already used with another request body."}}
