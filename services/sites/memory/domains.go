package memory

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/sites/domains"
)

// Domains is an in-memory domains.Store.
type Domains struct{ db *DB }

func domainNotFound() error { return errs.NotFoundResource("domain", "") }

func normalizeDomain(d *domains.Domain) {
	d.DateCreated, d.DateModified, d.NextCheck = micro(d.DateCreated), micro(d.DateModified), micro(d.NextCheck)
}

// read returns domain id with its site's customer; db.mu is held.
func (db *DB) readDomain(id int64) (domains.Domain, bool) {
	d, ok := db.domains[id]
	if !ok {
		return domains.Domain{}, false
	}
	out := *d
	if s, ok := db.sites[d.SiteID]; ok {
		out.CustomerID = s.CustomerID
	}
	return out, true
}

// demote makes every other domain of d's site not primary; db.mu is held.
func (db *DB) demote(d domains.Domain) ([]events.Event, error) {
	if !d.Primary {
		return nil, nil
	}
	var evs []events.Event
	for id, o := range db.domains {
		if id != d.ID && o.SiteID == d.SiteID && o.Primary {
			o.Primary = false
			o.DateModified = d.DateModified
			e, err := domains.NewEvent(domains.EventUpdated, *o)
			if err != nil {
				return nil, err
			}
			evs = append(evs, e)
		}
	}
	return evs, nil
}

// Create inserts d.
func (m *Domains) Create(_ context.Context, d *domains.Domain) error {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	s, ok := db.sites[d.SiteID]
	if !ok {
		return errs.InvalidField("blog_id", "No site has this id.")
	}
	if _, dup := db.byName[d.Name]; dup || db.hostOfOtherSite(d.Name, d.SiteID) {
		return domainConflict()
	}
	db.nextDom++
	d.ID = db.nextDom
	d.CustomerID = s.CustomerID
	normalizeDomain(d)
	e, err := domains.NewEvent(domains.EventCreated, *d)
	if err != nil {
		return err
	}
	evs, err := db.demote(*d)
	if err != nil {
		return err
	}
	c := *d
	db.domains[d.ID] = &c
	db.byName[d.Name] = d.ID
	db.emit(append(evs, e)...)
	return nil
}

// Get returns domain id.
func (m *Domains) Get(_ context.Context, id int64) (domains.Domain, error) {
	m.db.mu.Lock()
	defer m.db.mu.Unlock()
	d, ok := m.db.readDomain(id)
	if !ok {
		return domains.Domain{}, domainNotFound()
	}
	return d, nil
}

// List filters, orders and pages domains.
func (m *Domains) List(_ context.Context, f domains.ListFilter) ([]domains.Domain, int, error) {
	m.db.mu.Lock()
	var all []domains.Domain
	search := strings.ToLower(f.Search)
	for id := range m.db.domains {
		d, _ := m.db.readDomain(id)
		switch {
		case f.CustomerID != 0 && d.CustomerID != f.CustomerID,
			f.SiteID != 0 && d.SiteID != f.SiteID,
			f.Stage != "" && d.Stage != f.Stage,
			f.CreatedFrom != nil && d.DateCreated.Before(*f.CreatedFrom),
			f.CreatedTo != nil && d.DateCreated.After(*f.CreatedTo),
			search != "" && !strings.Contains(d.Name, search):
			continue
		}
		all = append(all, d)
	}
	m.db.mu.Unlock()
	slices.SortFunc(all, func(a, b domains.Domain) int {
		var n int
		switch f.OrderBy {
		case domains.ByDomain:
			n = strings.Compare(a.Name, b.Name)
		case domains.ByDateCreated:
			n = a.DateCreated.Compare(b.DateCreated)
		case domains.ByBlogID:
			n = cmp.Compare(a.SiteID, b.SiteID)
		}
		if n == 0 {
			n = cmp.Compare(a.ID, b.ID)
		}
		if f.Desc {
			n = -n
		}
		return n
	})
	total := len(all)
	if f.Offset >= total {
		return []domains.Domain{}, total, nil
	}
	end := total
	if f.Limit > 0 && f.Offset+f.Limit < end {
		end = f.Offset + f.Limit
	}
	return all[f.Offset:end], total, nil
}

// Update applies fn to domain id atomically.
func (m *Domains) Update(_ context.Context, id int64, fn func(*domains.Domain) error) (domains.Domain, error) {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	old, ok := db.readDomain(id)
	if !ok {
		return domains.Domain{}, domainNotFound()
	}
	d := old
	if err := fn(&d); err != nil {
		return domains.Domain{}, err
	}
	d.ID, d.DateCreated = old.ID, old.DateCreated
	s, ok := db.sites[d.SiteID]
	if !ok {
		return domains.Domain{}, errs.InvalidField("blog_id", "No site has this id.")
	}
	d.CustomerID = s.CustomerID
	if d.Name != old.Name {
		if _, dup := db.byName[d.Name]; dup {
			return domains.Domain{}, domainConflict()
		}
	}
	if (d.Name != old.Name || d.SiteID != old.SiteID) && db.hostOfOtherSite(d.Name, d.SiteID) {
		return domains.Domain{}, domainConflict()
	}
	normalizeDomain(&d)
	var evs []events.Event
	if !domains.SameView(d, old) {
		e, err := domains.NewEvent(domains.EventUpdated, d)
		if err != nil {
			return domains.Domain{}, err
		}
		evs = append(evs, e)
	}
	more, err := db.demote(d)
	if err != nil {
		return domains.Domain{}, err
	}
	delete(db.byName, old.Name)
	db.byName[d.Name] = id
	c := d
	db.domains[id] = &c
	db.emit(append(more, evs...)...)
	return d, nil
}

// Delete removes domain id.
func (m *Domains) Delete(_ context.Context, id int64) (domains.Domain, error) {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	d, ok := db.readDomain(id)
	if !ok {
		return domains.Domain{}, domainNotFound()
	}
	e, err := domains.NewEvent(domains.EventDeleted, d)
	if err != nil {
		return domains.Domain{}, err
	}
	delete(db.domains, id)
	delete(db.byName, d.Name)
	db.emit(e)
	return d, nil
}

// Due claims domains whose check is due.
func (m *Domains) Due(_ context.Context, now time.Time, lease time.Duration, limit int) ([]domains.Domain, error) {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	var out []domains.Domain
	var ids []int64
	for id, d := range db.domains {
		if d.Checking() && !d.NextCheck.After(now) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		if len(out) >= limit {
			break
		}
		db.domains[id].NextCheck = micro(now.Add(lease))
		d, _ := db.readDomain(id)
		out = append(out, d)
	}
	return out, nil
}
