package memory

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/sites/idempotency"
	"github.com/hostplane/hostplane/services/sites/site"
)

// Sites is an in-memory site.Store.
type Sites struct{ db *DB }

func siteNotFound() error { return errs.NotFoundResource("site", "") }

func codeConflict() error {
	return &errs.Error{Kind: errs.Conflict, Message: "The code_site is already in use.", Params: map[string]string{"code_site": "Already in use."}}
}

func domainConflict() error {
	return &errs.Error{Kind: errs.Conflict, Message: "The domain is already in use.", Params: map[string]string{"domain": "Already in use."}}
}

func normalizeSite(s *site.Site) {
	s.DateCreated, s.DateModified = micro(s.DateCreated), micro(s.DateModified)
	s.Plan.ClosingDate, s.Plan.EndTrialDate = microPtr(s.Plan.ClosingDate), microPtr(s.Plan.EndTrialDate)
}

// domainPathTaken reports whether another site has s's domain and path.
func (db *DB) domainPathTaken(s *site.Site) bool {
	for _, o := range db.sites {
		if o.ID != s.ID && o.Domain == s.Domain && o.Path == s.Path {
			return true
		}
	}
	return false
}

// mappedElsewhere reports whether s's domain is a domain mapping of
// another site.
func (db *DB) mappedElsewhere(s *site.Site) bool {
	id, ok := db.byName[s.Domain]
	return ok && s.Domain != "" && db.domains[id].SiteID != s.ID
}

// hostOfOtherSite reports whether a site other than siteID has name as
// its own domain (a mapping cannot send it elsewhere).
func (db *DB) hostOfOtherSite(name string, siteID int64) bool {
	for _, o := range db.sites {
		if o.ID != siteID && o.Domain == name {
			return true
		}
	}
	return false
}

func siteEvent(typ string, s site.Site) ([]events.Event, error) {
	if typ == "" {
		return nil, nil
	}
	e, err := site.NewEvent(typ, s)
	return []events.Event{e}, err
}

// Create inserts s.
func (m *Sites) Create(_ context.Context, s *site.Site, idem *idempotency.Record, event string) error {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	if _, dup := db.byCode[s.Code]; dup {
		return codeConflict()
	}
	if db.domainPathTaken(s) || db.mappedElsewhere(s) {
		return domainConflict()
	}
	if idem != nil {
		if _, dup := db.idem[[2]string{idem.Scope, idem.Key}]; dup {
			return errs.New(errs.Conflict, "Idempotency key already used.")
		}
	}
	db.nextSite++
	s.ID = db.nextSite
	normalizeSite(s)
	evs, err := siteEvent(event, *s)
	if err != nil {
		return err
	}
	c := s.Clone()
	db.sites[s.ID] = &c
	db.byCode[s.Code] = s.ID
	if idem != nil {
		r := *idem
		r.RefID = s.ID
		db.idem[[2]string{r.Scope, r.Key}] = r
	}
	db.emit(evs...)
	return nil
}

// Get returns site id.
func (m *Sites) Get(_ context.Context, id int64) (site.Site, error) {
	m.db.mu.Lock()
	defer m.db.mu.Unlock()
	s, ok := m.db.sites[id]
	if !ok {
		return site.Site{}, siteNotFound()
	}
	return s.Clone(), nil
}

// GetByCode returns the site of code.
func (m *Sites) GetByCode(_ context.Context, code string) (site.Site, error) {
	m.db.mu.Lock()
	defer m.db.mu.Unlock()
	id, ok := m.db.byCode[code]
	if !ok {
		return site.Site{}, siteNotFound()
	}
	return m.db.sites[id].Clone(), nil
}

// List filters, orders and pages sites.
func (m *Sites) List(_ context.Context, f site.ListFilter) ([]site.Site, int, error) {
	m.db.mu.Lock()
	var all []site.Site
	term := strings.ToLower(f.Term)
	for _, s := range m.db.sites {
		if matches(s, f, term) {
			all = append(all, s.Clone())
		}
	}
	m.db.mu.Unlock()
	by := compareBy(f.OrderBy, term)
	slices.SortFunc(all, func(a, b site.Site) int {
		n := by(a, b)
		if n == 0 {
			n = cmp.Compare(a.ID, b.ID)
			if f.OrderBy == site.ByRelevance || f.OrderBy == site.ByCode {
				n = strings.Compare(a.Code, b.Code)
			}
		}
		if f.Desc {
			n = -n
		}
		return n
	})
	total := len(all)
	if f.Offset >= total {
		return []site.Site{}, total, nil
	}
	end := total
	if f.Limit > 0 && f.Offset+f.Limit < end {
		end = f.Offset + f.Limit
	}
	return all[f.Offset:end], total, nil
}

func matches(s *site.Site, f site.ListFilter, term string) bool {
	switch {
	case f.CustomerID != 0 && s.CustomerID != f.CustomerID,
		f.MembershipID != 0 && s.MembershipID != f.MembershipID,
		f.TemplateID != 0 && s.TemplateID != f.TemplateID,
		f.Type != "" && s.Type != f.Type,
		f.Status != "" && s.Status != f.Status,
		f.CreatedFrom != nil && s.DateCreated.Before(*f.CreatedFrom),
		f.CreatedTo != nil && s.DateCreated.After(*f.CreatedTo),
		term != "" && !strings.Contains(s.SearchText(), term):
		return false
	}
	switch f.Select {
	case site.SelectOpen:
		return s.Status == site.StatusOpen
	case site.SelectClosed:
		return s.Status != site.StatusOpen
	case site.SelectTrial:
		return s.Plan.IsTrial
	case site.SelectFree:
		return s.Plan.IsFree
	case site.SelectDemo:
		return s.Type == site.TypeDemo
	case site.SelectClosingSoon:
		c := s.Plan.ClosingDate
		return s.Status == site.StatusOpen && c != nil && !c.Before(f.Now) && !c.After(f.Now.Add(site.ClosingSoon))
	}
	return true
}

// relevance ranks a site for a term: 0 code is the term, 1 code starts
// with it, 2 title starts with it, 3 the rest.
func relevance(s site.Site, term string) int {
	switch {
	case term == "":
		return 3
	case s.Code == term:
		return 0
	case strings.HasPrefix(s.Code, term):
		return 1
	case strings.HasPrefix(strings.ToLower(s.Title), term):
		return 2
	}
	return 3
}

func compareBy(o site.Order, term string) func(a, b site.Site) int {
	switch o {
	case site.ByCode:
		return func(a, b site.Site) int { return strings.Compare(a.Code, b.Code) }
	case site.ByTitle:
		return func(a, b site.Site) int { return strings.Compare(a.Title, b.Title) }
	case site.ByDomain:
		return func(a, b site.Site) int { return strings.Compare(a.Domain, b.Domain) }
	case site.ByDateCreated:
		return func(a, b site.Site) int { return a.DateCreated.Compare(b.DateCreated) }
	case site.ByDateModified:
		return func(a, b site.Site) int { return a.DateModified.Compare(b.DateModified) }
	case site.ByClosingDate:
		return func(a, b site.Site) int {
			x, y := a.Plan.ClosingDate, b.Plan.ClosingDate
			switch {
			case x == nil && y == nil:
				return 0
			case x == nil:
				return 1
			case y == nil:
				return -1
			}
			return x.Compare(*y)
		}
	case site.ByRelevance:
		return func(a, b site.Site) int { return cmp.Compare(relevance(a, term), relevance(b, term)) }
	}
	return func(a, b site.Site) int { return cmp.Compare(a.ID, b.ID) }
}

// Update applies fn to site id atomically.
func (m *Sites) Update(_ context.Context, id int64, fn func(*site.Site) (string, error)) (site.Site, error) {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	old, ok := db.sites[id]
	if !ok {
		return site.Site{}, siteNotFound()
	}
	s := old.Clone()
	event, err := fn(&s)
	if err != nil {
		return site.Site{}, err
	}
	s.ID, s.Code, s.DateCreated = old.ID, old.Code, old.DateCreated
	if db.domainPathTaken(&s) || s.Domain != old.Domain && db.mappedElsewhere(&s) {
		return site.Site{}, domainConflict()
	}
	normalizeSite(&s)
	evs, err := siteEvent(event, s)
	if err != nil {
		return site.Site{}, err
	}
	c := s.Clone()
	db.sites[id] = &c
	db.emit(evs...)
	return s, nil
}

// Delete removes site id with its domains and backups.
func (m *Sites) Delete(_ context.Context, id int64, event string) (site.Site, error) {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	s, ok := db.sites[id]
	if !ok {
		return site.Site{}, siteNotFound()
	}
	evs, err := siteEvent(event, *s)
	if err != nil {
		return site.Site{}, err
	}
	delete(db.sites, id)
	delete(db.byCode, s.Code)
	for did, d := range db.domains {
		if d.SiteID == id {
			delete(db.domains, did)
			delete(db.byName, d.Name)
		}
	}
	delete(db.backups, id)
	db.emit(evs...)
	return s.Clone(), nil
}

// Apply runs fn on a membership's sites once per event.
func (m *Sites) Apply(_ context.Context, consumer, eventID string, membershipID, siteID int64, fn func(*site.Site) string) ([]site.Site, error) {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	if !db.seen.FirstTime(consumer, eventID) {
		return nil, nil
	}
	var ids []int64
	for id, s := range db.sites {
		if membershipID != 0 && s.MembershipID == membershipID || siteID != 0 && id == siteID {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var changed []site.Site
	for _, id := range ids {
		s := db.sites[id].Clone()
		event := fn(&s)
		if event == "" {
			continue
		}
		normalizeSite(&s)
		evs, err := siteEvent(event, s)
		if err != nil {
			return nil, err
		}
		c := s.Clone()
		db.sites[id] = &c
		db.emit(evs...)
		changed = append(changed, s)
	}
	return changed, nil
}

// Lookup finds an idempotency record.
func (m *Sites) Lookup(_ context.Context, scope, key string) (idempotency.Record, bool, error) {
	r, ok := m.db.lookup(scope, key)
	return r, ok, nil
}
