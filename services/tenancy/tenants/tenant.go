// Package tenants is the tenant aggregate of the tenancy service: the
// registry of sites that go sovereign, and the job that moves a site from
// the shared hosting database to isolation — a PostgreSQL database and login
// role of its own on one of the tenant servers, its tables copied and then
// dropped from the shared database, its files under a tenant directory and a
// routing entry for the hosting front-ends — with the checks that prove it
// (no_legacy, sovereign_push, tenant_users) and the teardown that undoes it.
//
// The service talks to the world through ports (store.go, ports.go): the
// registry Store, the Sites service, the Isolation of PostgreSQL servers,
// the Routing table, the Files of the data directory and the Sealer of
// stored passwords. A caller whose key is restricted to one customer sees
// only that customer's tenants: any other site is not found.
package tenants

import (
	"slices"
	"time"
)

// State is where a tenant's bootstrap job stands.
type State string

// States of a tenant. A bootstrap goes pending → provisioning → migrating
// → verifying → ready, or stops at failed with the failing step; Shared is
// a site that never asked (no registry entry), Deleting a teardown in
// progress.
const (
	StateShared       State = "shared"
	StatePending      State = "pending"
	StateProvisioning State = "provisioning"
	StateMigrating    State = "migrating"
	StateVerifying    State = "verifying"
	StateReady        State = "ready"
	StateFailed       State = "failed"
	StateDeleting     State = "deleting"
)

// Running reports whether a bootstrap job owns the tenant in state s.
func (s State) Running() bool {
	switch s {
	case StatePending, StateProvisioning, StateMigrating, StateVerifying:
		return true
	}
	return false
}

// Step is one step of a bootstrap job.
type Step string

// Steps of a bootstrap, in order (Steps). Each is idempotent: a job that
// stops in the middle of one runs it again when resumed.
const (
	// StepRole creates the tenant's login role with a generated password
	// (stored sealed).
	StepRole Step = "role"
	// StepDatabase creates the tenant's database, owned by the role, with
	// CONNECT revoked from PUBLIC.
	StepDatabase Step = "database"
	// StepCopy copies the site's s<id>_* tables into the tenant database
	// (COPY streaming; row counts and checksums compared) with the shared
	// tables locked against writers, and drops them once the copy committed.
	StepCopy Step = "copy"
	// StepFiles moves the site's root under the tenant directory (0750).
	StepFiles Step = "files"
	// StepDropLegacy makes sure no s<id>_* table is left in the shared
	// database: any left (a crash between the copy's two commits, or one
	// made since) is compared under lock with what the copy recorded,
	// copied again when it differs, and dropped.
	StepDropLegacy Step = "drop_legacy"
	// StepRouting writes the routing entry the hosting front-ends read.
	StepRouting Step = "routing"
	// StepVerify runs the checks; the tenant is ready when all pass.
	StepVerify Step = "verify"
)

// Steps lists the steps of a bootstrap in the order they run.
var Steps = []Step{StepRole, StepDatabase, StepCopy, StepFiles, StepDropLegacy, StepRouting, StepVerify}

// StateOf is the job state a step belongs to.
func StateOf(s Step) State {
	switch s {
	case StepRole, StepDatabase:
		return StateProvisioning
	case StepVerify:
		return StateVerifying
	}
	return StateMigrating
}

// Check is the outcome of one verification.
type Check string

// Check outcomes.
const (
	CheckPending Check = "pending"
	CheckPassed  Check = "passed"
	CheckFailed  Check = "failed"
)

// Checks are the three verifications of a sovereign tenant.
type Checks struct {
	// NoLegacy: no s<site_id>_* table remains in the shared database.
	NoLegacy Check
	// SovereignPush: the tenant role logs in to its own database and
	// writes and reads back a row.
	SovereignPush Check
	// TenantUsers: the role exists, can log in, and can connect neither to
	// the shared database nor to another tenant's.
	TenantUsers Check
}

// PendingChecks is the state before any verification.
var PendingChecks = Checks{NoLegacy: CheckPending, SovereignPush: CheckPending, TenantUsers: CheckPending}

// AllPassed reports whether every check passed.
func (c Checks) AllPassed() bool {
	return c.NoLegacy == CheckPassed && c.SovereignPush == CheckPassed && c.TenantUsers == CheckPassed
}

// Isolation models a status reports.
const (
	ModelShared    = "shared"
	ModelSovereign = "sovereign"
)

// Placement is where a tenant lives: a server of the tenant cluster, its
// database and its login role.
type Placement struct {
	// Server is the key of the tenant server (its host:port).
	Server string
	// Host is what front-ends connect to: the server's host, with ":port"
	// unless the port is PostgreSQL's default.
	Host     string
	Database string
	Role     string
}

// Placed reports whether a server was chosen.
func (p Placement) Placed() bool { return p.Server != "" }

// Tenant is a site on its way to (or in) sovereign isolation.
type Tenant struct {
	SiteID     int64
	CustomerID int64
	State      State
	// Step is the running step, or the failing one when State is failed.
	Step Step
	// Error says why the job failed (empty otherwise). It never holds a
	// password.
	Error string
	// Done lists the steps completed, in order.
	Done      []Step
	Placement Placement
	// SealedPassword is the role's password sealed by the Sealer; the
	// plaintext is never stored.
	SealedPassword []byte
	// SiteRoot is the site's filesystem root when the bootstrap began;
	// TenantDir the tenant directory its files move under.
	SiteRoot  string
	TenantDir string
	Checks    Checks
	// VerifiedAt is the time of the last verification (nil: never).
	VerifiedAt  *time.Time
	DateCreated time.Time
	// DateModified changes with every save.
	DateModified time.Time
}

// Clone returns a copy of t that shares no memory with it.
func (t Tenant) Clone() Tenant {
	t.Done = slices.Clone(t.Done)
	t.SealedPassword = slices.Clone(t.SealedPassword)
	if t.VerifiedAt != nil {
		v := *t.VerifiedAt
		t.VerifiedAt = &v
	}
	return t
}

// HasDone reports whether step s completed.
func (t *Tenant) HasDone(s Step) bool { return slices.Contains(t.Done, s) }

// Ready reports whether the tenant is sovereign and verified.
func (t *Tenant) Ready() bool { return t.State == StateReady && t.Checks.AllPassed() }

// Status is what migration-status shows of a site.
type Status struct {
	SiteID         int64
	IsolationModel string
	DatabaseHost   string
	Checks         Checks
	Ready          bool
	State          State
	Step           Step
	Error          string
}

// Status is t as migration-status shows it.
func (t *Tenant) Status() Status {
	return Status{
		SiteID: t.SiteID, IsolationModel: ModelSovereign, DatabaseHost: t.Placement.Host,
		Checks: t.Checks, Ready: t.Ready(), State: t.State, Step: t.Step, Error: t.Error,
	}
}

// SharedStatus is the status of a site that is not a tenant: its tables
// live in the shared database on host.
func SharedStatus(siteID int64, host string) Status {
	return Status{SiteID: siteID, IsolationModel: ModelShared, DatabaseHost: host, Checks: PendingChecks, State: StateShared}
}
