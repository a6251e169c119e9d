package domains

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/sites/site"
)

// Service manages domain mappings. A caller whose key is restricted to one
// customer sees only the domains of that customer's sites.
type Service interface {
	Create(ctx context.Context, in NewDomain) (Domain, error)
	Get(ctx context.Context, id int64) (Domain, error)
	List(ctx context.Context, f ListFilter) ([]Domain, int, error)
	Update(ctx context.Context, id int64, p Patch) (Domain, error)
	Delete(ctx context.Context, id int64) (Domain, error)
}

// Sites finds the site a domain maps to, as the caller in ctx may see it.
type Sites interface {
	Get(ctx context.Context, id int64) (site.Site, error)
	List(ctx context.Context, f site.ListFilter) ([]site.Site, int, error)
}

// NewDomain is a mapping to create: the site is SiteID (wu blog_id), or
// the site of CustomerID when SiteID is 0.
type NewDomain struct {
	Name       string
	SiteID     int64
	CustomerID int64
	Active     *bool // default true
	Primary    bool
	Secure     bool
	Stage      string // default checking-dns; domain-mapping means the same
}

// Patch is a partial update of a domain.
type Patch struct {
	Name    *string
	SiteID  *int64
	Active  *bool
	Primary *bool
	Secure  *bool
	Stage   *string
}

type service struct {
	store Store
	sites Sites
	now   func() time.Time
}

// NewService returns the domain service.
func NewService(store Store, sites Sites, now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	return &service{store: store, sites: sites, now: now}
}

func (s *service) clock() time.Time { return s.now().UTC().Truncate(time.Second) }

func notFound() error { return errs.NotFoundResource("domain", "") }

func checkStage(c *errs.Collector, stage string) string {
	if stage == StageDomainMapping {
		return StageCheckingDNS
	}
	if !slices.Contains(Stages, stage) {
		c.Invalid("stage", "Must be one of: "+strings.Join(append(slices.Clone(Stages), StageDomainMapping), ", ")+".")
	}
	return stage
}

// site resolves the site of a new mapping, checking the caller may see it.
func (s *service) site(ctx context.Context, siteID, customerID int64, c *errs.Collector) (site.Site, bool, error) {
	if siteID != 0 {
		st, err := s.sites.Get(ctx, siteID)
		if errs.KindOf(err) == errs.NotFound {
			c.Invalid("blog_id", "No site has this id.")
			return site.Site{}, false, nil
		}
		return st, err == nil, err
	}
	if customerID <= 0 {
		c.Missing("blog_id")
		return site.Site{}, false, nil
	}
	if scope := principal.CustomerScope(ctx); scope != 0 && scope != customerID {
		c.Invalid("customer_id", "No customer has this id.")
		return site.Site{}, false, nil
	}
	// The customer's site: the first made, templates aside.
	ss, _, err := s.sites.List(ctx, site.ListFilter{CustomerID: customerID, OrderBy: site.ByID, Limit: 50})
	if err != nil {
		return site.Site{}, false, err
	}
	for _, st := range ss {
		if !st.IsTemplate() {
			return st, true, nil
		}
	}
	c.Invalid("customer_id", "This customer has no site: give blog_id.")
	return site.Site{}, false, nil
}

func (s *service) Create(ctx context.Context, in NewDomain) (Domain, error) {
	var c errs.Collector
	name := ""
	if strings.TrimSpace(in.Name) == "" {
		c.Missing("domain")
	} else if n, err := site.NormalizeDomain(in.Name); err != nil {
		c.Invalid("domain", err.Error())
	} else {
		name = n
	}
	if in.SiteID < 0 {
		c.Invalid("blog_id", "Must be a positive integer.")
	}
	stage := StageCheckingDNS
	if in.Stage != "" {
		stage = checkStage(&c, in.Stage)
	}
	st, ok, err := s.site(ctx, in.SiteID, in.CustomerID, &c)
	if err != nil {
		return Domain{}, err
	}
	if err := c.Err(); err != nil || !ok {
		return Domain{}, err
	}
	now := s.clock()
	d := Domain{
		SiteID: st.ID, CustomerID: st.CustomerID, Name: name, Active: in.Active == nil || *in.Active,
		Primary: in.Primary, Secure: in.Secure, SSLRequired: in.Secure, Stage: stage,
		NextCheck: now, DateCreated: now, DateModified: now,
	}
	if err := s.store.Create(ctx, &d); err != nil {
		return Domain{}, err
	}
	return d, nil
}

func (s *service) Get(ctx context.Context, id int64) (Domain, error) {
	d, err := s.store.Get(ctx, id)
	if err != nil {
		return Domain{}, err
	}
	if scope := principal.CustomerScope(ctx); scope != 0 && d.CustomerID != scope {
		return Domain{}, notFound()
	}
	return d, nil
}

// MaxSearch bounds the search term of lists.
const MaxSearch = 200

func (s *service) List(ctx context.Context, f ListFilter) ([]Domain, int, error) {
	if scope := principal.CustomerScope(ctx); scope != 0 {
		f.CustomerID = scope
	}
	var c errs.Collector
	if f.OrderBy == "" {
		f.OrderBy = ByID
	}
	if !slices.Contains(Orders, f.OrderBy) {
		c.Invalid("orderby", "Unknown sort key.")
	}
	if f.Stage != "" && !slices.Contains(Stages, f.Stage) {
		c.Invalid("stage", "Must be one of: "+strings.Join(Stages, ", ")+".")
	}
	if !utf8.ValidString(f.Search) || strings.ContainsRune(f.Search, 0) || utf8.RuneCountInString(f.Search) > MaxSearch {
		c.Invalid("search", fmt.Sprintf("Must be valid UTF-8 text of at most %d characters.", MaxSearch))
	}
	if f.Offset < 0 || f.Limit < 0 {
		c.Invalid("page", "Out of range.")
	}
	if err := c.Err(); err != nil {
		return nil, 0, err
	}
	return s.store.List(ctx, f)
}

func (s *service) Update(ctx context.Context, id int64, p Patch) (Domain, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return Domain{}, err
	}
	var c errs.Collector
	if p.Name != nil {
		if n, err := site.NormalizeDomain(*p.Name); err != nil {
			c.Invalid("domain", err.Error())
		} else {
			p.Name = &n
		}
	}
	if p.Stage != nil {
		st := checkStage(&c, *p.Stage)
		p.Stage = &st
	}
	if p.SiteID != nil {
		if _, err := s.sites.Get(ctx, *p.SiteID); errs.KindOf(err) == errs.NotFound {
			c.Invalid("blog_id", "No site has this id.")
		} else if err != nil {
			return Domain{}, err
		}
	}
	if err := c.Err(); err != nil {
		return Domain{}, err
	}
	now := s.clock()
	return s.store.Update(ctx, id, func(d *Domain) error {
		if p.Name != nil && *p.Name != d.Name {
			d.Name, d.Stage, d.Attempts, d.NextCheck = *p.Name, StageCheckingDNS, 0, now
		}
		if p.SiteID != nil {
			d.SiteID = *p.SiteID
		}
		setPtr(&d.Active, p.Active)
		setPtr(&d.Primary, p.Primary)
		if p.Secure != nil {
			d.Secure, d.SSLRequired = *p.Secure, *p.Secure
		}
		if p.Stage != nil && *p.Stage != d.Stage {
			d.Stage, d.Attempts, d.NextCheck = *p.Stage, 0, now
		}
		d.DateModified = now
		return nil
	})
}

func setPtr[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func (s *service) Delete(ctx context.Context, id int64) (Domain, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return Domain{}, err
	}
	return s.store.Delete(ctx, id)
}
