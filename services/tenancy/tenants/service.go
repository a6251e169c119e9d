package tenants

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
)

// Service manages tenants. Every call first asks the sites service for the
// site with the caller's principal: an unknown site, or another customer's
// for a restricted key, is not found (resource "tenant").
type Service interface {
	// Bootstrap starts (or resumes) the bootstrap job of site siteID and
	// returns its status; accepted is false when the tenant was ready
	// already and nothing was started.
	Bootstrap(ctx context.Context, siteID int64) (st Status, accepted bool, err error)
	// Status returns the site's status without changing anything.
	Status(ctx context.Context, siteID int64) (Status, error)
	// Verify runs the checks now and records their outcome.
	Verify(ctx context.Context, siteID int64) (Status, error)
	// Delete tears the tenant down and returns its status before; a site
	// that is no tenant is left as it is.
	Delete(ctx context.Context, siteID int64) (Status, error)
	// CreateSharedTables creates the site's tables in the shared hosting
	// database (idempotent); a sovereign site's are refused (conflict).
	CreateSharedTables(ctx context.Context, siteID int64) ([]string, error)
}

// Options are what a Service works with.
type Options struct {
	Store Store
	Sites Sites
	// Isolation is nil without PostgreSQL (in-memory single-node mode):
	// bootstrap and verify are then refused.
	Isolation Isolation
	Routing   Routing
	Files     Files
	// Sealer is nil without HOSTPLANE_TENANCY_KEY: bootstrap is refused.
	Sealer Sealer
	Jobs   *Jobs
	// Prefix names tenant databases and roles: Prefix + site id.
	Prefix string
	// DeleteWait is how long a teardown waits for a running job's lock
	// before answering 409 (default 5 s).
	DeleteWait time.Duration
	Now        func() time.Time
	Log        *slog.Logger
	// AfterStep, when set, runs after each step's effect and before the
	// step is recorded as done; an error stops the job there as a crash
	// would, and the step runs again on resume (tests).
	AfterStep func(ctx context.Context, siteID int64, s Step) error
	// Metrics, when set, counts bootstraps and verifications.
	Metrics *Metrics
}

type service struct {
	Options
}

// NewService returns the tenant service.
func NewService(o Options) Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.DeleteWait <= 0 {
		o.DeleteWait = 5 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Jobs == nil {
		o.Jobs = NewJobs(1)
	}
	return &service{Options: o}
}

// Errors of the modes that cannot isolate.
var (
	errMemoryMode = &errs.Error{Kind: errs.Conflict, Reason: "memory_mode",
		Message: "Sovereign isolation needs PostgreSQL: this installation keeps its data in memory. Set HOSTPLANE_DATABASE_URL (and HOSTPLANE_TENANCY_KEY) and restart."}
	errNoKey = &errs.Error{Kind: errs.Conflict, Reason: "no_tenancy_key",
		Message: "Sovereign isolation needs HOSTPLANE_TENANCY_KEY (32 bytes, hex or base64) to store tenant database passwords. Set it and restart."}
)

// bootstrapWait is how long a bootstrap request waits for another
// request on the same tenant.
const bootstrapWait = 2 * time.Second

func notFound() error {
	return errs.NotFoundResource("tenant", "Unknown site: no tenant with this id.")
}

func (s *service) clock() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// Name is the database and role name of tenant siteID.
func (s *service) name(siteID int64) string { return s.Prefix + strconv.FormatInt(siteID, 10) }

func (s *service) sharedHost() string {
	if s.Isolation == nil {
		return ""
	}
	return s.Isolation.SharedHost()
}

// find authorizes the caller for site siteID and loads its tenant (nil
// when the site is no tenant). A site the sites service no longer knows
// keeps its tenant reachable for unrestricted callers, so that an orphan
// can still be inspected and torn down.
func (s *service) find(ctx context.Context, siteID int64) (Site, *Tenant, error) {
	if siteID <= 0 {
		return Site{}, nil, notFound()
	}
	site, serr := s.Sites.Site(ctx, siteID)
	if serr != nil && !errors.Is(serr, errs.NotFound) {
		return Site{}, nil, serr
	}
	t, err := s.Store.Get(ctx, siteID)
	var tenant *Tenant
	switch {
	case err == nil:
		tenant = &t
	case !errors.Is(err, errs.NotFound):
		return Site{}, nil, err
	}
	scope := principal.CustomerScope(ctx)
	if serr != nil && (tenant == nil || scope != 0) {
		return Site{}, nil, notFound()
	}
	if tenant != nil && scope != 0 && tenant.CustomerID != scope {
		return Site{}, nil, notFound()
	}
	return site, tenant, nil
}

func (s *service) Status(ctx context.Context, siteID int64) (Status, error) {
	_, t, err := s.find(ctx, siteID)
	if err != nil {
		return Status{}, err
	}
	if t == nil {
		return SharedStatus(siteID, s.sharedHost()), nil
	}
	return t.Status(), nil
}

func (s *service) Bootstrap(ctx context.Context, siteID int64) (Status, bool, error) {
	site, _, err := s.find(ctx, siteID)
	if err != nil {
		return Status{}, false, err
	}
	if s.Isolation == nil {
		return Status{}, false, errMemoryMode
	}
	if s.Sealer == nil {
		return Status{}, false, errNoKey
	}
	unlock, err := s.Store.Lock(ctx, siteID, 0)
	if errors.Is(err, errs.Conflict) {
		// A job (here or in another instance), a teardown, or a concurrent
		// request holds it: a running job is the answer, else wait a little.
		if t, gerr := s.Store.Get(ctx, siteID); gerr == nil && t.State.Running() {
			return t.Status(), true, nil
		}
		unlock, err = s.Store.Lock(ctx, siteID, bootstrapWait)
		if errors.Is(err, errs.Conflict) {
			if t, gerr := s.Store.Get(ctx, siteID); gerr == nil && t.State.Running() {
				return t.Status(), true, nil
			}
			return Status{}, false, errs.New(errs.Conflict, "Tenant %d is being torn down or changed by another request; retry in a moment.", siteID)
		}
	}
	if err != nil {
		return Status{}, false, err
	}
	t, err := s.prepare(ctx, site)
	unlock()
	if err != nil {
		return Status{}, false, err
	}
	if t.State == StateReady {
		return t.Status(), false, nil
	}
	s.Jobs.Submit(siteID, s.run)
	return t.Status(), true, nil
}

// prepare creates, resumes or leaves the tenant of site, under its lock.
func (s *service) prepare(ctx context.Context, site Site) (Tenant, error) {
	t, err := s.Store.Get(ctx, site.ID)
	switch {
	case errors.Is(err, errs.NotFound):
		return s.create(ctx, site)
	case err != nil:
		return Tenant{}, err
	}
	switch t.State {
	case StateFailed:
		t.State, t.Error = StatePending, ""
		t.DateModified = s.clock()
		if err := s.Store.Save(ctx, &t); err != nil {
			return Tenant{}, err
		}
	case StateDeleting:
		return Tenant{}, errs.New(errs.Conflict, "The teardown of tenant %d did not finish: DELETE it again before bootstrapping.", t.SiteID)
	}
	return t, nil
}

func (s *service) create(ctx context.Context, site Site) (Tenant, error) {
	servers := s.Isolation.Servers()
	if len(servers) == 0 {
		return Tenant{}, errs.New(errs.Unavailable, "No tenant database server is configured (HOSTPLANE_TENANT_DATABASE_URLS).")
	}
	// A site bootstrapped right after its creation may not have its shared
	// tables yet (site.created is consumed asynchronously): make them from
	// the template now; it changes nothing for a site that has them.
	if _, err := s.Isolation.CreateSharedTables(ctx, site.ID); err != nil {
		return Tenant{}, err
	}
	now := s.clock()
	name := s.name(site.ID)
	t := Tenant{
		SiteID: site.ID, CustomerID: site.CustomerID, State: StatePending, Checks: PendingChecks,
		SiteRoot: site.Root, DateCreated: now, DateModified: now,
		Placement: Placement{Database: name, Role: name},
	}
	if s.Files != nil {
		t.TenantDir = s.Files.Dir(name)
	}
	if err := s.Store.Save(ctx, &t); err != nil {
		return Tenant{}, err
	}
	keys := make([]string, len(servers))
	for i, sv := range servers {
		keys[i] = sv.Key
	}
	key, err := s.Store.Place(ctx, site.ID, keys)
	if err != nil {
		return Tenant{}, err
	}
	for _, sv := range servers {
		if sv.Key == key {
			t.Placement.Server, t.Placement.Host = sv.Key, sv.Host
		}
	}
	t.DateModified = s.clock()
	if err := s.Store.Save(ctx, &t); err != nil {
		return Tenant{}, err
	}
	return t, nil
}

// Resume queues the jobs a crash left running: at start, every tenant
// whose job is running but whose lock nobody holds.
func (s *service) Resume(ctx context.Context) error {
	ids, err := s.Store.Unfinished(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.Jobs.Submit(id, s.run)
	}
	return nil
}

// Resume queues the unfinished jobs of svc (a Service from NewService,
// possibly wrapped: middlewares pass it through).
func Resume(ctx context.Context, svc Service) error {
	if r, ok := svc.(interface{ Resume(context.Context) error }); ok {
		return r.Resume(ctx)
	}
	return fmt.Errorf("tenants: %T cannot resume jobs", svc)
}

func (s *service) Verify(ctx context.Context, siteID int64) (Status, error) {
	if _, _, err := s.find(ctx, siteID); err != nil {
		return Status{}, err
	}
	if s.Isolation == nil {
		return Status{}, errMemoryMode
	}
	unlock, err := s.Store.Lock(ctx, siteID, 0)
	if errors.Is(err, errs.Conflict) {
		// A running job is the answer; a job that has just written its last
		// state still holds the lock a moment: wait for it a little.
		if t, gerr := s.Store.Get(ctx, siteID); gerr == nil && t.State.Running() {
			return Status{}, errs.New(errs.Conflict, "A bootstrap or teardown of tenant %d is running; verify when it is done (see migration-status).", siteID)
		}
		unlock, err = s.Store.Lock(ctx, siteID, bootstrapWait)
		if errors.Is(err, errs.Conflict) {
			return Status{}, errs.New(errs.Conflict, "A bootstrap or teardown of tenant %d is running; verify when it is done (see migration-status).", siteID)
		}
	}
	if err != nil {
		return Status{}, err
	}
	defer unlock()
	t, err := s.Store.Get(ctx, siteID)
	if errors.Is(err, errs.NotFound) {
		st := SharedStatus(siteID, s.sharedHost())
		st.Checks.NoLegacy, _ = s.checkLegacy(ctx, siteID)
		return st, nil
	}
	if err != nil {
		return Status{}, err
	}
	checks, detail := s.check(ctx, &t)
	now := s.clock()
	t.Checks, t.VerifiedAt, t.DateModified = checks, &now, now
	if t.State == StateReady || t.State == StateFailed && t.Step == StepVerify {
		if checks.AllPassed() {
			t.State, t.Step, t.Error = StateReady, "", ""
		} else {
			t.State, t.Step, t.Error = StateFailed, StepVerify, "Verification failed: "+detail
		}
	}
	if err := s.Store.Save(ctx, &t, s.event(EventVerified, &t)); err != nil {
		return Status{}, err
	}
	return t.Status(), nil
}

func (s *service) Delete(ctx context.Context, siteID int64) (Status, error) {
	if _, _, err := s.find(ctx, siteID); err != nil {
		return Status{}, err
	}
	unlock, err := s.Store.Lock(ctx, siteID, s.DeleteWait)
	if errors.Is(err, errs.Conflict) {
		return Status{}, errs.New(errs.Conflict, "A bootstrap of tenant %d is running; delete it when it is done (see migration-status).", siteID)
	}
	if err != nil {
		return Status{}, err
	}
	defer unlock()
	t, err := s.Store.Get(ctx, siteID)
	if errors.Is(err, errs.NotFound) {
		return SharedStatus(siteID, s.sharedHost()), nil
	}
	if err != nil {
		return Status{}, err
	}
	previous := t.Status()
	t.State, t.Step, t.Error, t.DateModified = StateDeleting, "", "", s.clock()
	if err := s.Store.Save(ctx, &t); err != nil {
		return Status{}, err
	}
	if err := s.teardown(ctx, &t); err != nil {
		t.Error = "Teardown failed: " + describe(err)
		t.DateModified = s.clock()
		if serr := s.Store.Save(context.WithoutCancel(ctx), &t); serr != nil {
			s.Log.ErrorContext(ctx, "tenants: cannot record a failed teardown", "site_id", siteID, "err", serr)
		}
		return Status{}, err
	}
	if err := s.Store.Remove(ctx, siteID, s.event(EventDeleted, &t)); err != nil {
		return Status{}, err
	}
	return previous, nil
}

// teardown removes what the tenant holds. While the site's tables are still
// in the shared database the bootstrap never finished: the site goes back
// to the shared model (its files move back). Otherwise the tenant's data
// goes with it.
func (s *service) teardown(ctx context.Context, t *Tenant) error {
	rollback := true
	if s.Isolation != nil && t.Placement.Placed() {
		legacy, err := s.Isolation.LegacyTables(ctx, t.SiteID)
		if err != nil {
			return err
		}
		rollback = len(legacy) > 0
		if err := s.Isolation.Teardown(ctx, t.Placement); err != nil {
			return err
		}
	}
	if s.Routing != nil {
		if err := s.Routing.Delete(ctx, t.SiteID); err != nil {
			return err
		}
	}
	if s.Files != nil && t.TenantDir != "" {
		if rollback {
			return s.Files.Release(ctx, t.SiteRoot, t.TenantDir)
		}
		return s.Files.Remove(ctx, t.SiteRoot, t.TenantDir)
	}
	return nil
}

func (s *service) CreateSharedTables(ctx context.Context, siteID int64) ([]string, error) {
	if siteID <= 0 {
		return nil, notFound()
	}
	if s.Isolation == nil {
		return nil, errMemoryMode
	}
	if _, err := s.Store.Get(ctx, siteID); err == nil {
		return nil, errs.New(errs.Conflict, "Site %d is a sovereign tenant: its tables live in its own database.", siteID)
	} else if !errors.Is(err, errs.NotFound) {
		return nil, err
	}
	return s.Isolation.CreateSharedTables(ctx, siteID)
}
