package site

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/services/sites/idempotency"
)

// Store is the persistence port of sites. Adapters map their errors to
// libs/errs: a missing site is errs.NotFound with resource "site"; a taken
// code or domain and path is errs.Conflict whose Params name the field
// (code_site, domain). Every change writes its event (Event) in the same
// transaction, when one is named.
type Store interface {
	// Create inserts s, sets its ID, and records idem (if any) pointing at
	// it. event ("" for none) is written with it.
	Create(ctx context.Context, s *Site, idem *idempotency.Record, event string) error
	Get(ctx context.Context, id int64) (Site, error)
	GetByCode(ctx context.Context, code string) (Site, error)
	// List returns one page of the sites f selects, in f's order, and how
	// many f selects in all.
	List(ctx context.Context, f ListFilter) ([]Site, int, error)
	// Update loads site id, lets fn change it and saves it atomically; fn
	// returns the event to write ("" for none). IDs, codes and creation
	// dates cannot change. An error from fn is returned as is.
	Update(ctx context.Context, id int64, fn func(*Site) (event string, err error)) (Site, error)
	// Delete removes site id with its domains, writes event, and returns it
	// as it was.
	Delete(ctx context.Context, id int64, event string) (Site, error)
	// Apply runs fn on the sites of a membership (every site whose
	// MembershipID is membershipID, and site siteID when not 0) once per
	// (consumer, eventID): a redelivered event changes nothing. fn returns
	// the event to write for that site ("" when it changed nothing). It
	// returns the sites changed.
	Apply(ctx context.Context, consumer, eventID string, membershipID, siteID int64, fn func(*Site) string) ([]Site, error)
	idempotency.Store
}

// ListFilter selects, orders and pages sites.
type ListFilter struct {
	// CustomerID keeps only that customer's sites (a restricted caller);
	// 0 keeps all.
	CustomerID   int64
	MembershipID int64
	TemplateID   int64
	Type         string // wu type ("" all)
	Status       string // open|suspended|closed ("" all)
	// Select is an sb type: open|trial|closed|closing_soon|demo|free.
	Select string
	// Term keeps sites whose code, title or domain contains it,
	// case-insensitively ("" keeps all).
	Term                   string
	CreatedFrom, CreatedTo *time.Time
	OrderBy                Order // "" is ByID
	Desc                   bool
	Offset, Limit          int // Limit 0: no limit
	// Now dates closing_soon (zero: time.Now).
	Now time.Time
}
