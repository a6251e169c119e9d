package site

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/sites/idempotency"
	"github.com/hostplane/hostplane/services/sites/jobs"
)

// Service manages sites. A caller whose key is restricted to one customer
// sees only that customer's sites (any other is not found, never
// forbidden) and creates sites only for that customer.
type Service interface {
	// Create makes a site and its files now (wu, internal API).
	Create(ctx context.Context, in NewSite) (Site, error)
	// Enqueue validates in and queues a job that makes the site (sb).
	Enqueue(ctx context.Context, in NewSite) (jobs.Job, error)
	// Provision runs a creation job queued by Enqueue.
	Provision(ctx context.Context, j jobs.Job, p *jobs.Progress) (any, error)
	Get(ctx context.Context, id int64) (Site, error)
	GetByCode(ctx context.Context, code string) (Site, error)
	List(ctx context.Context, f ListFilter) ([]Site, int, error)
	Update(ctx context.Context, id int64, p Patch) (Site, error)
	// Delete removes a site, its domains, files and backups.
	Delete(ctx context.Context, id int64) (Site, error)
	// ApplyMembership suspends, closes or reactivates the sites of a
	// membership as billing's event says, once per event id.
	ApplyMembership(ctx context.Context, ev MembershipEvent) error
	// EnsureTemplate makes the default template when there is no template.
	EnsureTemplate(ctx context.Context) (Site, error)
	// Detail returns the site of code with its plan as billing says it now
	// (the stored snapshot when billing cannot say) and the codes of the
	// add-ons of its membership.
	Detail(ctx context.Context, code string) (Site, []string, error)
}

// MembershipEvent is a billing event about a membership.
type MembershipEvent struct {
	ID           string // event id: applied once
	Type         string // membership.suspended, …
	MembershipID int64
	SiteID       int64
	PlanID       int64
	Status       string
}

// Options configure the service.
type Options struct {
	// BaseDomain names sites without a domain: <code>.<BaseDomain>.
	BaseDomain string
	// Now dates every change (nil: time.Now).
	Now func() time.Time
}

type service struct {
	store   Store
	files   Files
	billing Billing // nil: no billing to check against
	jobs    jobs.Service
	opts    Options
}

// NewService returns the site service. billing may be nil (single-node
// mode without billing): customers, memberships and plans are then taken
// as given.
func NewService(store Store, files Files, billing Billing, js jobs.Service, o Options) Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BaseDomain == "" {
		o.BaseDomain = "localhost"
	}
	return &service{store: store, files: files, billing: billing, jobs: js, opts: o}
}

func (s *service) clock() time.Time { return s.opts.Now().UTC().Truncate(time.Second) }

func notFound() error { return errs.NotFoundResource("site", "") }

// visible reports whether the caller in ctx may see st.
func visible(ctx context.Context, st Site) bool {
	scope := principal.CustomerScope(ctx)
	return scope == 0 || scope == st.CustomerID
}

func (s *service) Get(ctx context.Context, id int64) (Site, error) {
	st, err := s.store.Get(ctx, id)
	if err != nil {
		return Site{}, err
	}
	if !visible(ctx, st) {
		return Site{}, notFound()
	}
	return st, nil
}

func (s *service) GetByCode(ctx context.Context, code string) (Site, error) {
	if !ValidCode(code) {
		return Site{}, notFound()
	}
	st, err := s.store.GetByCode(ctx, code)
	if err != nil {
		return Site{}, err
	}
	if !visible(ctx, st) {
		return Site{}, notFound()
	}
	return st, nil
}

// MaxTerm bounds the search term of lists.
const MaxTerm = 200

func (s *service) List(ctx context.Context, f ListFilter) ([]Site, int, error) {
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
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		c.Invalid("status", "Must be one of: "+strings.Join(Statuses, ", ")+".")
	}
	if f.Type != "" && !slices.Contains(Types, f.Type) {
		c.Invalid("type", "Must be one of: "+strings.Join(Types, ", ")+".")
	}
	if f.Select != "" && !slices.Contains(Selections, f.Select) {
		c.Invalid("type", "Must be one of: "+strings.Join(Selections, ", ")+".")
	}
	if !utf8.ValidString(f.Term) || strings.ContainsRune(f.Term, 0) {
		c.Invalid("term", "Must be valid UTF-8 text.")
	} else if utf8.RuneCountInString(f.Term) > MaxTerm {
		c.Invalid("term", fmt.Sprintf("Must be at most %d characters.", MaxTerm))
	}
	if f.Offset < 0 || f.Limit < 0 {
		c.Invalid("page", "Out of range.")
	}
	if err := c.Err(); err != nil {
		return nil, 0, err
	}
	if f.Now.IsZero() {
		f.Now = s.opts.Now()
	}
	return s.store.List(ctx, f)
}

// prepared is a validated creation: the site to insert and where its files
// come from.
type prepared struct {
	Site Site  `json:"site"`
	From int64 `json:"from"` // site whose files are copied (0: empty)
}

// prepare validates in, resolves its references and builds the site.
func (s *service) prepare(ctx context.Context, in NewSite) (prepared, error) {
	in.normalize()
	scope := principal.CustomerScope(ctx)
	if scope != 0 && in.CustomerID == 0 {
		in.CustomerID = scope
	}
	var c errs.Collector
	if e := errs.From(in.validate()); e != nil {
		// Named together with what the lookups below find.
		for _, f := range e.Fields() {
			if e.Kind == errs.Missing {
				c.Missing(f)
			} else {
				c.Invalid(f, e.Params[f])
			}
		}
	}
	if scope != 0 && in.CustomerID != scope {
		c.Invalid("customer_id", "Your key is restricted to another customer.")
	}
	st := Site{
		Code: in.Code, CustomerID: in.CustomerID, MembershipID: in.MembershipID, TemplateID: in.TemplateID,
		PlanID: in.PlanID, Title: in.Title, Description: in.Description, Domain: in.Domain, Path: or(in.Path, "/"),
		Type: in.Type, Active: deref(in.Active, true), Public: deref(in.Public, true), Archived: deref(in.Archived, false),
		Status: StatusOpen, Contact: in.Contact,
	}
	var from int64
	switch {
	case in.TemplateID > 0:
		t, err := s.store.Get(ctx, in.TemplateID)
		switch {
		case errs.KindOf(err) == errs.NotFound || err == nil && !t.IsTemplate():
			c.Invalid("template_id", "No template has this id.")
		case err != nil:
			return prepared{}, err
		case t.Provisioning:
			c.Invalid("template_id", "This template is still being created.")
		default:
			from = t.ID
		}
	case in.CopySite != "" && !c.Has("copy_site"):
		src, err := s.GetByCode(ctx, in.CopySite)
		switch {
		case errs.KindOf(err) == errs.NotFound:
			c.Invalid("copy_site", "No site has this code.")
		case err != nil:
			return prepared{}, err
		case src.Provisioning:
			c.Invalid("copy_site", "This site is still being created.")
		default:
			from = src.ID
		}
	}
	switch {
	case in.Trusted:
		s.snapshot(ctx, &st)
	case st.CustomerID < 0 || st.MembershipID < 0 || st.PlanID < 0:
	default:
		if err := s.resolveBilling(ctx, &st, &c); err != nil {
			return prepared{}, err
		}
	}
	if err := c.Err(); err != nil {
		return prepared{}, err
	}
	if st.Type == "" {
		st.Type = TypeDefault
		if st.CustomerID != 0 {
			st.Type = TypeCustomerOwned
		}
	}
	if st.Code == "" {
		code, err := s.freeCode(ctx, or(firstLabel(st.Domain), Slug(st.Title)))
		if err != nil {
			return prepared{}, err
		}
		st.Code = code
	} else if _, err := s.store.GetByCode(ctx, st.Code); err == nil {
		return prepared{}, codeTaken()
	} else if errs.KindOf(err) != errs.NotFound {
		return prepared{}, err
	}
	if st.Title == "" {
		st.Title = st.Code
	}
	if st.Domain == "" {
		st.Domain = st.Code + "." + s.opts.BaseDomain
	}
	if !st.Active {
		st.Status = StatusSuspended
	}
	return prepared{Site: st, From: from}, nil
}

func codeTaken() error {
	return &errs.Error{Kind: errs.Conflict, Message: "The code_site is already in use.", Params: map[string]string{"code_site": "Already in use."}}
}

// resolveBilling checks the customer, membership and plan of st against
// billing and takes the plan snapshot and status from the membership.
func (s *service) resolveBilling(ctx context.Context, st *Site, c *errs.Collector) error {
	if s.billing == nil {
		return nil
	}
	if st.MembershipID != 0 {
		m, err := s.billing.Membership(ctx, st.MembershipID)
		switch {
		case errs.KindOf(err) == errs.NotFound || errs.KindOf(err) == errs.NoRoute:
			c.Invalid("membership_id", "No membership has this id.")
			return nil
		case err != nil:
			return err
		}
		if st.CustomerID == 0 {
			st.CustomerID = m.CustomerID
		} else if m.CustomerID != st.CustomerID {
			c.Invalid("membership_id", "This membership belongs to another customer.")
			return nil
		}
		if st.PlanID == 0 {
			st.PlanID = m.PlanID
		}
		st.Status = statusOf(m.Status)
		if p, err := s.billing.Product(ctx, m.PlanID); err == nil {
			st.Plan = planOf(m, p)
		} else {
			st.Plan = planOf(m, Product{})
		}
	}
	if st.CustomerID != 0 {
		if err := s.billing.CustomerExists(ctx, st.CustomerID); err != nil {
			if k := errs.KindOf(err); k == errs.NotFound || k == errs.NoRoute {
				c.Invalid("customer_id", "No customer has this id.")
				return nil
			}
			return err
		}
	}
	if st.PlanID != 0 && st.MembershipID == 0 {
		p, err := s.billing.Product(ctx, st.PlanID)
		switch {
		case errs.KindOf(err) == errs.NotFound || errs.KindOf(err) == errs.NoRoute || err == nil && p.Type != "" && p.Type != "plan":
			c.Invalid("plan_id", "No plan has this id.")
			return nil
		case err != nil:
			return err
		}
		st.Plan = Plan{Name: p.Name, IsFree: p.Free}
	}
	return nil
}

// snapshot takes the plan and status of st's membership when billing can
// tell, and leaves st as it is otherwise.
func (s *service) snapshot(ctx context.Context, st *Site) {
	if s.billing == nil || st.MembershipID == 0 {
		return
	}
	m, err := s.billing.Membership(ctx, st.MembershipID)
	if err != nil {
		return
	}
	if st.PlanID == 0 {
		st.PlanID = m.PlanID
	}
	p, _ := s.billing.Product(ctx, m.PlanID)
	st.Plan, st.Status = planOf(m, p), statusOf(m.Status)
}

// freeCode returns base, or base-2, base-3… the first no site has.
func (s *service) freeCode(ctx context.Context, base string) (string, error) {
	if base == "" {
		base = "site"
	}
	base = strings.Trim(base, "-")
	if len(base) > MaxCode-6 {
		base = strings.Trim(base[:MaxCode-6], "-")
	}
	for i := 1; i < 1000; i++ {
		code := base
		if i > 1 {
			code = base + "-" + strconv.Itoa(i)
		}
		_, err := s.store.GetByCode(ctx, code)
		if errs.KindOf(err) == errs.NotFound {
			return code, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", codeTaken()
}

func firstLabel(domain string) string {
	label, _, _ := strings.Cut(domain, ".")
	if strings.HasPrefix(label, "xn--") {
		return ""
	}
	return Slug(label)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func deref(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

func (s *service) Create(ctx context.Context, in NewSite) (Site, error) {
	rec, err := idempotency.New(ctx, in.IdempotencyKey, "site", in)
	if err != nil {
		return Site{}, err
	}
	if id, found, err := idempotency.Replay(ctx, s.store, rec); err != nil {
		return Site{}, err
	} else if found {
		return s.store.Get(ctx, id)
	}
	p, err := s.prepare(ctx, in)
	if err != nil {
		return Site{}, err
	}
	st, err := s.make(ctx, p, rec, nil)
	if err != nil && rec != nil && errs.KindOf(err) == errs.Conflict {
		if id, found, rerr := idempotency.Replay(ctx, s.store, rec); rerr == nil && found {
			return s.store.Get(ctx, id)
		}
	}
	return st, err
}

// make inserts the site (provisioning), makes its files and announces it;
// on failure it removes what it made.
func (s *service) make(ctx context.Context, p prepared, rec *idempotency.Record, progress *jobs.Progress) (Site, error) {
	st := p.Site.Clone()
	now := s.clock()
	st.DateCreated, st.DateModified, st.Provisioning = now, now, true
	if err := s.store.Create(ctx, &st, rec, ""); err != nil {
		return Site{}, err
	}
	var report func(int)
	if progress != nil {
		if err := progress.SetSite(ctx, st.ID); err != nil {
			s.undo(st.ID)
			return Site{}, err
		}
		report = progress.Func(ctx, "copying files", 5, 95)
	}
	if err := s.files.Make(ctx, st.ID, p.From, report); err != nil {
		s.undo(st.ID)
		return Site{}, fmt.Errorf("site: make the files of %s: %w", st.Code, err)
	}
	return s.store.Update(ctx, st.ID, func(x *Site) (string, error) {
		x.Provisioning = false
		return EventCreated, nil
	})
}

// undo removes a site whose creation failed (its files, then its row).
func (s *service) undo(id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = s.files.Remove(ctx, id)
	_, _ = s.store.Delete(ctx, id, "")
}

func (s *service) Enqueue(ctx context.Context, in NewSite) (jobs.Job, error) {
	p, err := s.prepare(ctx, in)
	if err != nil {
		return jobs.Job{}, err
	}
	kind := jobs.KindSiteCreate
	if strings.TrimSpace(in.CopySite) != "" {
		kind = jobs.KindSiteCopy
	}
	return s.jobs.Enqueue(ctx, jobs.New{
		Kind: kind, SiteCode: p.Site.Code, CustomerID: p.Site.CustomerID, Params: p,
		IdempotencyKey: in.IdempotencyKey, Request: in,
	})
}

func (s *service) Provision(ctx context.Context, j jobs.Job, progress *jobs.Progress) (any, error) {
	var p prepared
	if err := json.Unmarshal(j.Params, &p); err != nil {
		return nil, fmt.Errorf("site: job %d params: %w", j.ID, err)
	}
	// A previous attempt (its worker died) may have left its site.
	if j.SiteID != 0 {
		if old, err := s.store.Get(ctx, j.SiteID); err == nil {
			if !old.Provisioning {
				return provisioned(old), nil
			}
			s.undo(old.ID)
		}
	}
	_ = progress.Set(ctx, 0, "checking")
	if p.From != 0 {
		if _, err := s.store.Get(ctx, p.From); err != nil {
			if errs.KindOf(err) == errs.NotFound {
				return nil, errs.InvalidField("copy_site", "The site to copy no longer exists.")
			}
			return nil, err
		}
	}
	st, err := s.make(ctx, p, nil, progress)
	if err != nil {
		return nil, err
	}
	_ = progress.Set(ctx, 100, "done")
	return provisioned(st), nil
}

func provisioned(st Site) any {
	return map[string]any{"site_id": st.ID, "code_site": st.Code}
}

func (s *service) Update(ctx context.Context, id int64, p Patch) (Site, error) {
	old, err := s.Get(ctx, id)
	if err != nil {
		return Site{}, err
	}
	p.normalize()
	if err := p.validate(); err != nil {
		return Site{}, err
	}
	if p.Empty() {
		return old, nil
	}
	var c errs.Collector
	if p.CustomerID != nil {
		if scope := principal.CustomerScope(ctx); scope != 0 && *p.CustomerID != scope {
			c.Invalid("customer_id", "Your key is restricted to another customer.")
		} else if *p.CustomerID != 0 && s.billing != nil {
			if err := s.billing.CustomerExists(ctx, *p.CustomerID); err != nil {
				if k := errs.KindOf(err); k != errs.NotFound && k != errs.NoRoute {
					return Site{}, err
				}
				c.Invalid("customer_id", "No customer has this id.")
			}
		}
	}
	if p.MembershipID != nil && *p.MembershipID != 0 && s.billing != nil {
		m, err := s.billing.Membership(ctx, *p.MembershipID)
		if k := errs.KindOf(err); k == errs.NotFound || k == errs.NoRoute {
			c.Invalid("membership_id", "No membership has this id.")
		} else if err != nil {
			return Site{}, err
		} else if cust := old.CustomerID; p.CustomerID != nil && *p.CustomerID != m.CustomerID || p.CustomerID == nil && cust != m.CustomerID {
			c.Invalid("membership_id", "This membership belongs to another customer.")
		}
	}
	if p.TemplateID != nil && *p.TemplateID != 0 {
		t, err := s.store.Get(ctx, *p.TemplateID)
		if errs.KindOf(err) == errs.NotFound || err == nil && !t.IsTemplate() {
			c.Invalid("template_id", "No template has this id.")
		} else if err != nil {
			return Site{}, err
		}
	}
	if err := c.Err(); err != nil {
		return Site{}, err
	}
	now := s.clock()
	return s.store.Update(ctx, id, func(st *Site) (string, error) {
		setPtr(&st.Title, p.Title)
		setPtr(&st.Description, p.Description)
		setPtr(&st.Domain, p.Domain)
		setPtr(&st.Path, p.Path)
		setPtr(&st.Type, p.Type)
		setPtr(&st.Public, p.Public)
		setPtr(&st.Archived, p.Archived)
		setPtr(&st.CustomerID, p.CustomerID)
		setPtr(&st.MembershipID, p.MembershipID)
		setPtr(&st.TemplateID, p.TemplateID)
		event := EventUpdated
		if p.Active != nil && *p.Active != st.Active {
			st.Active = *p.Active
			switch {
			case !st.Active && st.Status == StatusOpen:
				st.Status, event = StatusSuspended, EventSuspended
			case st.Active && st.Status != StatusOpen:
				st.Status, event = StatusOpen, EventReactivated
			}
		}
		st.DateModified = now
		return event, nil
	})
}

func setPtr[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func (s *service) Delete(ctx context.Context, id int64) (Site, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return Site{}, err
	}
	st, err := s.store.Delete(ctx, id, EventDeleted)
	if err != nil {
		return Site{}, err
	}
	if err := s.files.Remove(ctx, id); err != nil {
		return st, fmt.Errorf("site: remove the files of %s: %w", st.Code, err)
	}
	return st, nil
}

// Membership event types and what they do to a site.
var membershipActions = map[string]string{
	"membership.suspended":   StatusSuspended,
	"membership.expired":     StatusClosed,
	"membership.cancelled":   StatusClosed,
	"membership.unsuspended": StatusOpen,
	"membership.activated":   StatusOpen,
	"membership.active":      StatusOpen,
	"membership.renewed":     StatusOpen,
}

// HandlesMembership reports whether a billing event type changes sites.
func HandlesMembership(typ string) bool { _, ok := membershipActions[typ]; return ok }

// Consumer names the sites service in dedupe records and consumer groups.
const Consumer = "sites"

func (s *service) ApplyMembership(ctx context.Context, ev MembershipEvent) error {
	status, ok := membershipActions[ev.Type]
	if !ok || ev.MembershipID == 0 && ev.SiteID == 0 {
		return nil
	}
	// The plan snapshot, when billing can say (best effort: the status
	// change does not wait for it).
	var plan *Plan
	planID := ev.PlanID
	if s.billing != nil && ev.MembershipID != 0 {
		if m, err := s.billing.Membership(ctx, ev.MembershipID); err == nil {
			pr, _ := s.billing.Product(ctx, m.PlanID)
			pl := planOf(m, pr)
			plan, planID = &pl, m.PlanID
		}
	}
	now := s.clock()
	_, err := s.store.Apply(ctx, Consumer, ev.ID, ev.MembershipID, ev.SiteID, func(st *Site) string {
		if plan != nil {
			st.Plan = plan.Clone()
		}
		if planID != 0 {
			st.PlanID = planID
		}
		event := ""
		if st.Status != status {
			switch status {
			case StatusOpen:
				event = EventReactivated
			default:
				event = EventSuspended
			}
			st.Status, st.Active = status, status == StatusOpen
			if status == StatusClosed && st.Plan.ClosingDate == nil {
				t := now
				st.Plan.ClosingDate = &t
			}
		} else if plan != nil {
			event = EventUpdated
		}
		if event != "" {
			st.DateModified = now
		}
		return event
	})
	return err
}

// Clone returns a copy of p sharing no memory with it.
func (p Plan) Clone() Plan {
	p.ClosingDate, p.EndTrialDate = clonePtr(p.ClosingDate), clonePtr(p.EndTrialDate)
	return p
}

// DefaultTemplateCode is the code of the template made at first start.
const DefaultTemplateCode = "default-template"

func (s *service) EnsureTemplate(ctx context.Context) (Site, error) {
	ts, n, err := s.store.List(ctx, ListFilter{Type: TypeTemplate, Limit: 1, OrderBy: ByID})
	if err != nil {
		return Site{}, err
	}
	if n > 0 {
		return ts[0], nil
	}
	st, err := s.Create(ctx, NewSite{Code: DefaultTemplateCode, Title: "Default template", Type: TypeTemplate,
		Description: "The template sites are made from unless another is named."})
	if errs.KindOf(err) == errs.Conflict {
		return s.store.GetByCode(ctx, DefaultTemplateCode)
	}
	return st, err
}

func (s *service) Detail(ctx context.Context, code string) (Site, []string, error) {
	st, err := s.GetByCode(ctx, code)
	if err != nil || s.billing == nil || st.MembershipID == 0 {
		return st, []string{}, err
	}
	m, err := s.billing.Membership(ctx, st.MembershipID)
	if err != nil {
		return st, []string{}, nil
	}
	p, err := s.billing.Product(ctx, m.PlanID)
	if err == nil {
		st.Plan, st.PlanID = planOf(m, p), m.PlanID
	}
	opts := m.Options
	if opts == nil {
		opts = []string{}
	}
	return st, opts, nil
}
