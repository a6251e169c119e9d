// Package memory holds the sites service's in-memory store adapters, used
// in single-node mode and fast tests. They honour the same contracts as the
// PostgreSQL adapters (see storetest): one DB holds every table under one
// lock, so that a site's deletion takes its domains and backups with it,
// and events go to a MemoryOutbox as the changes happen.
package memory

import (
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/sites/backups"
	"github.com/hostplane/hostplane/services/sites/domains"
	"github.com/hostplane/hostplane/services/sites/idempotency"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/hostplane/hostplane/services/sites/site"
)

// DB is the in-memory database of the sites service.
type DB struct {
	mu       sync.Mutex
	outbox   *events.MemoryOutbox
	seen     events.MemorySeen
	nextSite int64
	nextDom  int64
	nextJob  int64
	sites    map[int64]*site.Site
	byCode   map[string]int64
	domains  map[int64]*domains.Domain
	byName   map[string]int64
	jobs     map[int64]*jobs.Job
	backups  map[int64][]backups.Backup // site id → backups
	idem     map[[2]string]idempotency.Record
}

// New returns an empty database writing its events to outbox (nil: a new
// one, see Outbox).
func New(outbox *events.MemoryOutbox) *DB {
	if outbox == nil {
		outbox = events.NewMemoryOutbox()
	}
	return &DB{
		outbox: outbox, sites: map[int64]*site.Site{}, byCode: map[string]int64{},
		domains: map[int64]*domains.Domain{}, byName: map[string]int64{}, jobs: map[int64]*jobs.Job{},
		backups: map[int64][]backups.Backup{}, idem: map[[2]string]idempotency.Record{},
	}
}

// Outbox is where the database's events wait for the relay.
func (db *DB) Outbox() *events.MemoryOutbox { return db.outbox }

// Sites is the database's site.Store.
func (db *DB) Sites() *Sites { return &Sites{db} }

// Domains is the database's domains.Store.
func (db *DB) Domains() *Domains { return &Domains{db} }

// Jobs is the database's jobs.Store.
func (db *DB) Jobs() *Jobs { return &Jobs{db} }

// Backups is the database's backups.Store.
func (db *DB) Backups() *Backups { return &Backups{db} }

// Timestamps are kept to the microsecond, as PostgreSQL keeps them.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func microPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	m := micro(*t)
	return &m
}

// emit queues events; db.mu is held.
func (db *DB) emit(evs ...events.Event) { db.outbox.Add(evs...) }

// lookup finds an idempotency record; db.mu is not held.
func (db *DB) lookup(scope, key string) (idempotency.Record, bool) {
	db.mu.Lock()
	defer db.mu.Unlock()
	r, ok := db.idem[[2]string{scope, key}]
	return r, ok
}
