package tenants

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

// run is the bootstrap job of tenant siteID: under the tenant's lock, it
// runs every step not done yet, saving the state before and after each, and
// stops at the first failure (state failed, with the step and why).
func (s *service) run(ctx context.Context, siteID int64) {
	unlock, err := s.Store.Lock(ctx, siteID, 0)
	if err != nil {
		if !errors.Is(err, errs.Conflict) && ctx.Err() == nil {
			s.Log.ErrorContext(ctx, "tenants: job cannot take the tenant's lock", "site_id", siteID, "err", err)
		}
		return // another instance runs it, or a teardown does
	}
	defer unlock()
	t, err := s.Store.Get(ctx, siteID)
	if err != nil || !t.State.Running() {
		return // deleted, finished or failed meanwhile
	}
	start := time.Now()
	for _, step := range Steps {
		if t.HasDone(step) {
			continue
		}
		t.State, t.Step, t.Error, t.DateModified = StateOf(step), step, "", s.clock()
		if err := s.Store.Save(ctx, &t); err != nil {
			s.stop(ctx, &t, step, err)
			return
		}
		began := time.Now()
		err := s.do(ctx, &t, step)
		if err == nil && s.AfterStep != nil {
			// After the step's effect, before it is recorded: a failure
			// here is a crash at the worst moment, and the step runs again.
			err = s.AfterStep(ctx, siteID, step)
		}
		if err != nil {
			s.stop(ctx, &t, step, err)
			return
		}
		t.Done = append(t.Done, step)
		s.Log.InfoContext(ctx, "tenants: step done", "site_id", siteID, "step", string(step), "took", time.Since(began).String())
	}
	t.State, t.Step, t.Error, t.DateModified = StateReady, "", "", s.clock()
	if err := s.Store.Save(ctx, &t, s.event(EventBootstrapped, &t)); err != nil {
		s.stop(ctx, &t, StepVerify, err)
		return
	}
	s.Metrics.ready(time.Since(start))
	s.Log.InfoContext(ctx, "tenants: tenant ready", "site_id", siteID, "server", t.Placement.Server, "took", time.Since(start).String())
}

// stop records a failed step. When the service is shutting down the job is
// left in its running state, to be resumed at the next start.
func (s *service) stop(ctx context.Context, t *Tenant, step Step, cause error) {
	if ctx.Err() != nil {
		s.Log.WarnContext(context.WithoutCancel(ctx), "tenants: job interrupted; it resumes at the next start", "site_id", t.SiteID, "step", string(step))
		return
	}
	t.State, t.Step, t.Error, t.DateModified = StateFailed, step, describe(cause), s.clock()
	s.Metrics.failed()
	s.Log.WarnContext(ctx, "tenants: step failed", "site_id", t.SiteID, "step", string(step), "err", t.Error)
	if err := s.Store.Save(ctx, t, s.event(EventFailed, t)); err != nil {
		s.Log.ErrorContext(ctx, "tenants: cannot record a failed step", "site_id", t.SiteID, "err", err)
	}
}

// describe is what an operator is told of a failure: the error's public
// message, with the cause of internal errors (never a password: adapters
// keep credentials out of their errors).
func describe(err error) string {
	e := errs.From(err)
	if e.Kind == errs.Internal && e.Err != nil {
		return e.Err.Error()
	}
	return errs.PublicMessage(e)
}

// do runs one step on t.
func (s *service) do(ctx context.Context, t *Tenant, step Step) error {
	p := t.Placement
	if !p.Placed() {
		return errs.New(errs.Internal, "tenant %d has no server", t.SiteID)
	}
	if !s.known(p.Server) {
		return errs.New(errs.Unavailable, "Tenant server %s is no longer configured (HOSTPLANE_TENANT_DATABASE_URLS).", p.Server)
	}
	switch step {
	case StepRole:
		password, err := s.password(ctx, t)
		if err != nil {
			return err
		}
		return s.Isolation.CreateRole(ctx, p, password)
	case StepDatabase:
		return s.Isolation.CreateDatabase(ctx, p)
	case StepCopy:
		c, err := s.Isolation.CopyTables(ctx, t.SiteID, p)
		for _, tb := range c.Tables {
			s.Log.InfoContext(ctx, "tenants: table copied", "site_id", t.SiteID, "table", tb.Name, "rows", tb.Rows)
		}
		return err
	case StepFiles:
		if s.Files == nil {
			return nil
		}
		return s.Files.Adopt(ctx, t.SiteRoot, t.TenantDir)
	case StepDropLegacy:
		return s.Isolation.DropLegacy(ctx, t.SiteID, p)
	case StepRouting:
		if s.Routing == nil {
			return nil
		}
		return s.Routing.Put(ctx, Route{
			SiteID: t.SiteID, IsolationModel: ModelSovereign, DatabaseHost: p.Host, DatabaseName: p.Database, DatabaseUser: p.Role,
		})
	case StepVerify:
		checks, detail := s.check(ctx, t)
		now := s.clock()
		t.Checks, t.VerifiedAt = checks, &now
		if !checks.AllPassed() {
			return errs.New(errs.Conflict, "Verification failed: %s", detail)
		}
		return nil
	}
	return fmt.Errorf("tenants: unknown step %q", step)
}

func (s *service) known(server string) bool {
	for _, sv := range s.Isolation.Servers() {
		if sv.Key == server {
			return true
		}
	}
	return false
}

// aad binds a sealed password to its tenant.
func aad(t *Tenant) []byte {
	return []byte("tenant:" + strconv.FormatInt(t.SiteID, 10) + ":" + t.Placement.Role)
}

// password returns the tenant's role password, generating and storing it
// (sealed) before first use, so that a crash never loses it.
func (s *service) password(ctx context.Context, t *Tenant) (string, error) {
	if len(t.SealedPassword) == 0 {
		var b [24]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("tenants: generate password: %w", err)
		}
		sealed, err := s.Sealer.Seal([]byte(base64.RawURLEncoding.EncodeToString(b[:])), aad(t))
		if err != nil {
			return "", fmt.Errorf("tenants: seal password: %w", err)
		}
		t.SealedPassword = sealed
		t.DateModified = s.clock()
		if err := s.Store.Save(ctx, t); err != nil {
			return "", err
		}
	}
	return s.open(t)
}

// open unseals the tenant's password.
func (s *service) open(t *Tenant) (string, error) {
	if s.Sealer == nil {
		return "", errNoKey
	}
	plain, err := s.Sealer.Open(t.SealedPassword, aad(t))
	if err != nil {
		return "", errs.Wrap(errs.Internal, err, "The tenant's password cannot be unsealed: was HOSTPLANE_TENANCY_KEY changed?")
	}
	return string(plain), nil
}
