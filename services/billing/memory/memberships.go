package memory

import (
	"cmp"
	"context"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/memberships"
)

// Memberships is an in-memory memberships.Store.
type Memberships struct {
	t *table[memberships.Membership]
	// refs checks a membership's customer and plan (set by NewStores).
	refs func(m *memberships.Membership) error
	// deleted tells payments their membership is gone (set by NewStores).
	deleted func(id int64)
}

// NewMemberships returns an empty store writing its events to outbox.
func NewMemberships(outbox *events.MemoryOutbox) *Memberships {
	return &Memberships{t: newTable("membership", outbox, func(m *memberships.Membership) *int64 { return &m.ID },
		func(m memberships.Membership) memberships.Membership {
			m = m.Clone()
			m.DateCreated, m.DateModified = micro(m.DateCreated), micro(m.DateModified)
			m.DateActivated, m.DateTrialEnd, m.DateRenewed = microPtr(m.DateActivated), microPtr(m.DateTrialEnd), microPtr(m.DateRenewed)
			m.DateCancellation, m.DateExpiration = microPtr(m.DateCancellation), microPtr(m.DateExpiration)
			return m
		}, memberships.Events)}
}

func (s *Memberships) check(m *memberships.Membership, _ func(func(memberships.Membership) bool)) error {
	if s.refs != nil {
		return s.refs(m)
	}
	return nil
}

// Create inserts m.
func (s *Memberships) Create(ctx context.Context, m *memberships.Membership) error {
	return s.t.create(ctx, m, s.check)
}

// Get returns membership id.
func (s *Memberships) Get(_ context.Context, id int64) (memberships.Membership, error) {
	return s.t.get(id)
}

// List filters, orders and pages memberships.
func (s *Memberships) List(_ context.Context, f memberships.ListFilter) ([]memberships.Membership, int, error) {
	q := strings.ToLower(f.Search)
	by := func(a, b memberships.Membership) int {
		switch f.OrderBy {
		case memberships.ByDateCreated:
			return a.DateCreated.Compare(b.DateCreated)
		case memberships.ByDateModified:
			return a.DateModified.Compare(b.DateModified)
		case memberships.ByDateExpiration:
			switch {
			case a.DateExpiration == nil && b.DateExpiration == nil:
				return 0
			case a.DateExpiration == nil:
				if f.Desc {
					return -1 // NULLS LAST both ways, as the PostgreSQL adapter
				}
				return 1
			case b.DateExpiration == nil:
				if f.Desc {
					return 1
				}
				return -1
			}
			return a.DateExpiration.Compare(*b.DateExpiration)
		case memberships.ByAmount:
			return cmp.Compare(a.Amount, b.Amount)
		case memberships.ByStatus:
			return strings.Compare(a.Status, b.Status)
		}
		return 0
	}
	all := s.t.list(func(m memberships.Membership) bool {
		switch {
		case f.CustomerID != 0 && m.CustomerID != f.CustomerID,
			f.SiteID != 0 && m.SiteID != f.SiteID,
			f.PlanID != 0 && m.PlanID != f.PlanID,
			f.Status != "" && m.Status != f.Status,
			f.CreatedFrom != nil && m.DateCreated.Before(*f.CreatedFrom),
			f.CreatedTo != nil && m.DateCreated.After(*f.CreatedTo):
			return false
		}
		return q == "" || strings.Contains(strings.ToLower(m.Gateway), q) ||
			strings.Contains(strings.ToLower(m.GatewayCustomerID), q) || strings.Contains(strings.ToLower(m.GatewaySubscriptionID), q)
	}, func(a, b memberships.Membership) bool {
		n := cmp.Or(by(a, b), cmp.Compare(a.ID, b.ID))
		if f.Desc {
			return n > 0
		}
		return n < 0
	})
	p, n := page(all, f.Offset, f.Limit)
	return p, n, nil
}

// Update applies fn to membership id.
func (s *Memberships) Update(ctx context.Context, id int64, fn func(*memberships.Membership) error) (memberships.Membership, error) {
	return s.t.update(ctx, id, func(m *memberships.Membership) error {
		created := m.DateCreated
		if err := fn(m); err != nil {
			return err
		}
		m.DateCreated = created
		return nil
	}, s.check)
}

// Delete removes membership id.
func (s *Memberships) Delete(ctx context.Context, id int64) (memberships.Membership, error) {
	m, err := s.t.remove(ctx, id, nil)
	if err == nil && s.deleted != nil {
		s.deleted(id)
	}
	return m, err
}

// uses reports whether a membership matches pred.
func (s *Memberships) uses(pred func(memberships.Membership) bool) bool {
	_, err := s.t.find(pred)
	return err == nil
}

func refError(field string) error { return errs.InvalidField(field, "Does not exist.") }
