package tenants

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/events"
)

// Store is the tenant registry's persistence port. Adapters map their
// errors to libs/errs: a missing tenant is errs.NotFound with resource
// "tenant"; a lock held elsewhere is errs.Conflict.
type Store interface {
	// Get returns tenant siteID.
	Get(ctx context.Context, siteID int64) (Tenant, error)
	// Save inserts t or replaces the tenant of t.SiteID, and queues evs in
	// the outbox in the same transaction.
	Save(ctx context.Context, t *Tenant, evs ...events.Event) error
	// Remove deletes tenant siteID (a missing one is no error) and queues
	// evs in the same transaction.
	Remove(ctx context.Context, siteID int64, evs ...events.Event) error
	// Place records on tenant siteID the server of servers that holds the
	// fewest tenants (the first listed on a tie) and returns it; concurrent
	// placements see each other. A tenant placed already keeps its server.
	Place(ctx context.Context, siteID int64, servers []string) (string, error)
	// Unfinished lists the tenants whose bootstrap job is running (State
	// Running): after a crash nobody works on them until resumed.
	Unfinished(ctx context.Context) ([]int64, error)
	// Lock takes tenant siteID's lock, shared by every instance of the
	// service, waiting at most wait (0: not at all); errs.Conflict when it
	// stays held. unlock releases it.
	Lock(ctx context.Context, siteID int64, wait time.Duration) (unlock func(), err error)
	// Once runs fn unless consumer already handled event id; the id is
	// recorded only when fn succeeds. It reports whether fn ran.
	Once(ctx context.Context, consumer, id string, fn func(context.Context) error) (bool, error)
}
