// Package memory holds the stats service's in-memory adapters, used in
// single-node mode and fast tests: Store (front-office events and
// rollups, activity logs, the records of other services' events) and Live
// (live visitors). They honour the same contracts as the PostgreSQL and
// Redis adapters (see storetest).
package memory

import (
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/projection"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

// Store is the in-memory traffic.Store, activity.Store and
// projection.Store: one lock over everything, so that a change and its
// activity entry are one step, as in a transaction.
type Store struct {
	mu    sync.Mutex
	sites map[int64]*site
	// customer hits by customer and day
	customerHits map[int64]map[time.Time]int64

	entries []activity.Entry
	deduped map[string]bool
	nextID  int64
	seen    events.MemorySeen
	records records
}

// site is one site's front-office data.
type site struct {
	events    []traffic.Event
	days      map[time.Time]*traffic.Day
	sales     map[saleKey]*traffic.Sale
	orders    map[string]traffic.OrderState
	responses map[string]traffic.Event
	stock     map[string]traffic.Event
	forms     map[string]bool
	users     map[string]bool
	keys      map[string]key
}

type saleKey struct {
	day      time.Time
	currency string
}

type key struct {
	fingerprint []byte
	accepted    int
}

type records struct {
	customers   map[int64]projection.Customer
	memberships map[int64]projection.Membership
	payments    map[int64]projection.Payment
	sites       map[int64]projection.Site
}

// New returns an empty store.
func New() *Store {
	return &Store{
		sites: map[int64]*site{}, customerHits: map[int64]map[time.Time]int64{}, deduped: map[string]bool{},
		records: records{customers: map[int64]projection.Customer{}, memberships: map[int64]projection.Membership{},
			payments: map[int64]projection.Payment{}, sites: map[int64]projection.Site{}},
	}
}

// site returns the data of site id, creating it. s.mu is held.
func (s *Store) site(id int64) *site {
	st := s.sites[id]
	if st == nil {
		st = &site{days: map[time.Time]*traffic.Day{}, sales: map[saleKey]*traffic.Sale{}, orders: map[string]traffic.OrderState{},
			responses: map[string]traffic.Event{}, stock: map[string]traffic.Event{}, forms: map[string]bool{}, users: map[string]bool{},
			keys: map[string]key{}}
		s.sites[id] = st
	}
	return st
}

// addEntries stores new entries and counts them. s.mu is held.
func (s *Store) addEntries(es []activity.Entry) int {
	n := 0
	for _, e := range es {
		if e.Dedupe != "" {
			if s.deduped[e.Dedupe] {
				continue
			}
			s.deduped[e.Dedupe] = true
		}
		s.nextID++
		e.ID = s.nextID
		e.At = e.At.UTC().Truncate(time.Microsecond)
		s.entries = append(s.entries, e)
		n++
	}
	return n
}
