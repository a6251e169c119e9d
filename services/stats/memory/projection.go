package memory

import (
	"cmp"
	"context"
	"slices"

	"github.com/hostplane/hostplane/services/stats/activity"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/stats/directory"
	"github.com/hostplane/hostplane/services/stats/projection"
)

// Apply applies a change once per group and event id.
func (s *Store) Apply(_ context.Context, group, eventID string, c projection.Change) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.seen.FirstTime(group, eventID) {
		return false, nil
	}
	r := &s.records
	if v := c.Customer; v != nil {
		if old, ok := r.customers[v.ID]; !ok || replaces(old.Deleted, old.At.Compare(v.At)) {
			r.customers[v.ID] = *v
		}
	}
	if v := c.Membership; v != nil {
		if old, ok := r.memberships[v.ID]; !ok || replaces(old.Deleted, old.At.Compare(v.At)) {
			r.memberships[v.ID] = *v
		}
	}
	if v := c.Payment; v != nil {
		if old, ok := r.payments[v.ID]; !ok || replaces(old.Deleted, old.At.Compare(v.At)) {
			r.payments[v.ID] = *v
		}
	}
	if v := c.Site; v != nil {
		if old, ok := r.sites[v.ID]; !ok || replaces(old.Deleted, old.At.Compare(v.At)) {
			r.sites[v.ID] = *v
		}
	}
	if c.Entry != nil {
		s.addEntries([]activity.Entry{*c.Entry})
	}
	return true, nil
}

// replaces reports whether a record replaces the stored one: the stored
// one is not deleted and not more recent (cmp is stored.At vs new.At).
func replaces(deleted bool, cmp int) bool { return !deleted && cmp <= 0 }

func siteOf(v projection.Site) directory.Site {
	return directory.Site{ID: v.ID, Code: v.Code, CustomerID: v.CustomerID, Status: v.Status}
}

// SiteByCode returns the live site of code (the most recent if several).
func (s *Store) SiteByCode(_ context.Context, code string) (directory.Site, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var found *projection.Site
	for _, v := range s.records.sites {
		if v.Code == code && !v.Deleted && (found == nil || v.ID > found.ID) {
			found = &v
		}
	}
	if found == nil {
		return directory.Site{}, errs.NotFoundResource("site", "")
	}
	return siteOf(*found), nil
}

// SiteByID returns a live site.
func (s *Store) SiteByID(_ context.Context, id int64) (directory.Site, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.records.sites[id]
	if !ok || v.Deleted {
		return directory.Site{}, errs.NotFoundResource("site", "")
	}
	return siteOf(v), nil
}

// MembershipSite is the site of a membership.
func (s *Store) MembershipSite(_ context.Context, id int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.records.memberships[id].SiteID, nil
}

// Counts counts the live records.
func (s *Store) Counts(_ context.Context, customerID int64) (projection.Counts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := projection.Counts{Customers: map[string]int64{}, Services: map[string]int64{}, Revenue: []projection.Revenue{}}
	mine := func(id int64) bool { return customerID == 0 || id == customerID }
	for _, c := range s.records.customers {
		if !c.Deleted && mine(c.ID) {
			out.Customers[c.Status]++
			if c.EmailVerified {
				out.Confirmed++
			}
		}
	}
	for _, m := range s.records.memberships {
		if !m.Deleted && mine(m.CustomerID) {
			out.Services[m.Status]++
		}
	}
	revenue := map[string]*projection.Revenue{}
	for _, p := range s.records.payments {
		if p.Deleted || !mine(p.CustomerID) || p.Status != projection.PaymentCompleted {
			continue
		}
		r := revenue[p.Currency]
		if r == nil {
			r = &projection.Revenue{Currency: p.Currency}
			revenue[p.Currency] = r
		}
		r.Total += p.Total
		r.Payments++
	}
	for _, r := range revenue {
		out.Revenue = append(out.Revenue, *r)
	}
	slices.SortFunc(out.Revenue, func(a, b projection.Revenue) int { return cmp.Compare(a.Currency, b.Currency) })
	return out, nil
}
