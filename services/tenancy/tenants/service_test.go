package tenants_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

func TestBootstrapRunsEveryStepToReady(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	st := w.bootstrapReady(t, 1)
	want := tenants.Status{
		SiteID: 1, IsolationModel: "sovereign", DatabaseHost: "a", Ready: true, State: tenants.StateReady,
		Checks: tenants.Checks{NoLegacy: "passed", SovereignPush: "passed", TenantUsers: "passed"},
	}
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("status\n got %+v\nwant %+v", st, want)
	}
	// The site's shared tables when the world was made, then again (a no-op)
	// when its tenant is created: bootstrap does not wait for site.created.
	if got := w.iso.callList(); !reflect.DeepEqual(got, []string{"shared", "shared", "role", "database", "copy", "drop", "push", "users"}) {
		t.Fatalf("calls %v", got)
	}
	if got := w.files.list(); !reflect.DeepEqual(got, []string{"adopt /data/sites/1 /data/tenants/tenant_1"}) {
		t.Fatalf("files %v", got)
	}
	r, err := w.routes.Get(ctx, 1)
	if err != nil || r != (tenants.Route{SiteID: 1, IsolationModel: "sovereign", DatabaseHost: "a", DatabaseName: "tenant_1", DatabaseUser: "tenant_1"}) {
		t.Fatalf("route %+v %v", r, err)
	}
	tn, _ := w.store.Get(ctx, 1)
	if !reflect.DeepEqual(tn.Done, tenants.Steps) || tn.CustomerID != 10 || tn.VerifiedAt == nil || len(tn.SealedPassword) == 0 {
		t.Fatalf("tenant %+v", tn)
	}

	// A second bootstrap answers the same state, and creates nothing.
	again, accepted, err := w.svc.Bootstrap(ctx, 1)
	w.jobs.Wait()
	if err != nil || accepted || !reflect.DeepEqual(again, want) {
		t.Fatalf("again: %+v %v %v", again, accepted, err)
	}
	if n := len(w.iso.callList()); n != 8 {
		t.Fatalf("a ready tenant was worked on again: %v", w.iso.callList())
	}
	if _, err := w.svc.CreateSharedTables(ctx, 1); !errors.Is(err, errs.Conflict) {
		t.Fatalf("shared tables of a sovereign site: %v", err)
	}
}

func TestEventsOfABootstrap(t *testing.T) {
	w := newWorld(t)
	w.bootstrapReady(t, 1)
	b, _ := w.store.Outbox.Pending(context.Background(), 10)
	if len(b.Events) != 1 || b.Events[0].Type != tenants.EventBootstrapped || b.Events[0].Subject != "tenant:1" {
		t.Fatalf("events %+v", b.Events)
	}
	var d tenants.EventData
	if err := b.Events[0].Decode(&d); err != nil {
		t.Fatal(err)
	}
	if d.SiteID != 1 || d.CustomerID != 10 || !d.Ready || d.State != "ready" || d.DatabaseName != "tenant_1" || d.Verification["tenant_users"] != "passed" {
		t.Fatalf("data %+v", d)
	}
}

func TestUnknownOrForeignSiteIsNotFound(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	other := principal.With(ctx, &principal.Principal{KeyID: 2, CustomerID: 20, Permissions: []string{"*"}})
	calls := map[string]func(context.Context, int64) error{
		"bootstrap": func(ctx context.Context, id int64) error { _, _, err := w.svc.Bootstrap(ctx, id); return err },
		"status":    func(ctx context.Context, id int64) error { _, err := w.svc.Status(ctx, id); return err },
		"verify":    func(ctx context.Context, id int64) error { _, err := w.svc.Verify(ctx, id); return err },
		"delete":    func(ctx context.Context, id int64) error { _, err := w.svc.Delete(ctx, id); return err },
	}
	for name, call := range calls {
		for _, tc := range []struct {
			ctx context.Context
			id  int64
		}{{ctx, 99}, {ctx, 0}, {ctx, -4}, {other, 1}} {
			err := call(tc.ctx, tc.id)
			if !errors.Is(err, errs.NotFound) || errs.From(err).Resource != "tenant" {
				t.Errorf("%s %d: %v", name, tc.id, err)
			}
		}
	}
	if _, err := w.svc.Status(other, 2); err != nil {
		t.Fatalf("own site: %v", err)
	}
	w.jobs.Wait()
	if n := len(w.iso.callList()); n != 0 {
		t.Fatalf("work done for refused calls: %v", w.iso.callList())
	}
}

// A tenant whose site the sites service no longer knows stays reachable
// for unrestricted callers (to tear it down), never for restricted ones.
func TestOrphanTenant(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.bootstrapReady(t, 1)
	w.sites.mu.Lock()
	delete(w.sites.sites, 1)
	w.sites.mu.Unlock()
	own := principal.With(ctx, &principal.Principal{KeyID: 2, CustomerID: 10, Permissions: []string{"*"}})
	if _, err := w.svc.Status(own, 1); !errors.Is(err, errs.NotFound) {
		t.Fatalf("restricted: %v", err)
	}
	if _, err := w.svc.Delete(ctx, 1); err != nil {
		t.Fatalf("root deletes the orphan: %v", err)
	}
}

func TestSitesUnavailable(t *testing.T) {
	w := newWorld(t)
	w.sites.err = errs.New(errs.Unavailable, "sites is unavailable.")
	if _, err := w.svc.Status(context.Background(), 1); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("err %v", err)
	}
}

func TestMemoryModeAndMissingKeyRefuse(t *testing.T) {
	ctx := context.Background()
	memoryMode := newWorld(t, func(o *tenants.Options) { o.Isolation = nil })
	_, _, err := memoryMode.svc.Bootstrap(ctx, 1)
	if !errors.Is(err, errs.Conflict) || !strings.Contains(errs.PublicMessage(err), "HOSTPLANE_DATABASE_URL") {
		t.Fatalf("memory mode: %v", err)
	}
	if _, err := memoryMode.svc.Verify(ctx, 1); !errors.Is(err, errs.Conflict) {
		t.Fatalf("verify in memory mode: %v", err)
	}
	if _, err := memoryMode.svc.CreateSharedTables(ctx, 1); !errors.Is(err, errs.Conflict) {
		t.Fatalf("shared tables in memory mode: %v", err)
	}
	st, err := memoryMode.svc.Status(ctx, 1)
	if err != nil || st != tenants.SharedStatus(1, "") {
		t.Fatalf("status in memory mode: %+v %v", st, err)
	}
	if prev, err := memoryMode.svc.Delete(ctx, 1); err != nil || prev.State != tenants.StateShared {
		t.Fatalf("delete in memory mode: %+v %v", prev, err)
	}
	noKey := newWorld(t, func(o *tenants.Options) { o.Sealer = nil })
	if _, _, err := noKey.svc.Bootstrap(ctx, 1); !errors.Is(err, errs.Conflict) || !strings.Contains(errs.PublicMessage(err), "HOSTPLANE_TENANCY_KEY") {
		t.Fatalf("no key: %v", err)
	}
}

func TestSharedSiteStatusAndVerify(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.svc.CreateSharedTables(ctx, 2); err != nil {
		t.Fatal(err)
	}
	st, err := w.svc.Status(ctx, 2)
	if err != nil || st != tenants.SharedStatus(2, "shared.example") {
		t.Fatalf("status %+v %v", st, err)
	}
	st, err = w.svc.Verify(ctx, 2)
	if err != nil || st.Checks.NoLegacy != tenants.CheckFailed || st.Checks.SovereignPush != tenants.CheckPending || st.Ready {
		t.Fatalf("verify of a shared site: %+v %v", st, err)
	}
	if _, err := w.store.Get(ctx, 2); !errors.Is(err, errs.NotFound) {
		t.Fatal("verify registered a shared site")
	}
}

func TestFailedStepResumes(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.svc.CreateSharedTables(ctx, 1); err != nil {
		t.Fatal(err)
	}
	w.iso.setFail("copy", errors.New("COPY failed: disk full"))
	if _, _, err := w.svc.Bootstrap(ctx, 1); err != nil {
		t.Fatal(err)
	}
	w.jobs.Wait()
	st, _ := w.svc.Status(ctx, 1)
	if st.State != tenants.StateFailed || st.Step != tenants.StepCopy || st.Error != "COPY failed: disk full" || st.Ready {
		t.Fatalf("failed: %+v", st)
	}
	b, _ := w.store.Outbox.Pending(ctx, 10)
	if len(b.Events) != 1 || b.Events[0].Type != tenants.EventFailed {
		t.Fatalf("events %+v", b.Events)
	}
	_ = b.Done(ctx)

	w.iso.setFail("copy", nil)
	st, accepted, err := w.svc.Bootstrap(ctx, 1)
	if err != nil || !accepted || st.State != tenants.StatePending || st.Error != "" {
		t.Fatalf("resume: %+v %v %v", st, accepted, err)
	}
	w.jobs.Wait()
	if st, _ := w.svc.Status(ctx, 1); st.State != tenants.StateReady {
		t.Fatalf("after resume: %+v", st)
	}
	// The steps done before the failure were not run again.
	if got := w.iso.callList(); !reflect.DeepEqual(got, []string{"shared", "shared", "role", "database", "copy", "copy", "drop", "push", "users"}) {
		t.Fatalf("calls %v", got)
	}
}

// A crash after a step's effect but before it is recorded runs the step
// again: here the copy, whose second run replaces the first.
func TestCrashBetweenCopyAndDrop(t *testing.T) {
	crash := true
	w := newWorld(t, func(o *tenants.Options) {
		o.AfterStep = func(_ context.Context, _ int64, s tenants.Step) error {
			if s == tenants.StepCopy && crash {
				crash = false
				return errors.New("killed")
			}
			return nil
		}
	})
	ctx := context.Background()
	if _, err := w.svc.CreateSharedTables(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.Bootstrap(ctx, 1); err != nil {
		t.Fatal(err)
	}
	w.jobs.Wait()
	if st, _ := w.svc.Status(ctx, 1); st.State != tenants.StateFailed || st.Step != tenants.StepCopy {
		t.Fatalf("crashed: %+v", st)
	}
	if _, _, err := w.svc.Bootstrap(ctx, 1); err != nil {
		t.Fatal(err)
	}
	w.jobs.Wait()
	if st, _ := w.svc.Status(ctx, 1); st.State != tenants.StateReady {
		t.Fatalf("resumed: %+v", st)
	}
	if got := w.iso.callList(); !reflect.DeepEqual(got, []string{"shared", "shared", "role", "database", "copy", "copy", "drop", "push", "users"}) {
		t.Fatalf("calls %v", got)
	}
}

func TestVerifyFailsThenPasses(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.bootstrapReady(t, 1)
	_ = drain(w)
	w.iso.mu.Lock()
	w.iso.legacy[1] = []string{"s1_planted"}
	w.iso.mu.Unlock()
	w.iso.setFail("users", errors.New("role tenant_1 may connect to hostplane_hosting (the shared database)"))
	st, err := w.svc.Verify(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if st.Ready || st.State != tenants.StateFailed || st.Step != tenants.StepVerify ||
		st.Checks != (tenants.Checks{NoLegacy: "failed", SovereignPush: "passed", TenantUsers: "failed"}) ||
		!strings.Contains(st.Error, "s1_planted") || !strings.Contains(st.Error, "shared database") {
		t.Fatalf("verify: %+v", st)
	}
	w.iso.mu.Lock()
	delete(w.iso.legacy, 1)
	w.iso.mu.Unlock()
	w.iso.setFail("users", nil)
	st, err = w.svc.Verify(ctx, 1)
	if err != nil || !st.Ready || st.State != tenants.StateReady || st.Error != "" {
		t.Fatalf("verify again: %+v %v", st, err)
	}
	if got := drain(w); !reflect.DeepEqual(got, []string{tenants.EventVerified, tenants.EventVerified}) {
		t.Fatalf("events %v", got)
	}
}

func drain(w *world) []string {
	ctx := context.Background()
	b, _ := w.store.Outbox.Pending(ctx, 100)
	var types []string
	for _, e := range b.Events {
		types = append(types, e.Type)
	}
	_ = b.Done(ctx)
	return types
}

func TestVerifyFailureDuringBootstrap(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.svc.CreateSharedTables(ctx, 1); err != nil {
		t.Fatal(err)
	}
	w.iso.setFail("push", errors.New("database tenant_1 refuses writes: read-only transaction"))
	if _, _, err := w.svc.Bootstrap(ctx, 1); err != nil {
		t.Fatal(err)
	}
	w.jobs.Wait()
	st, _ := w.svc.Status(ctx, 1)
	if st.State != tenants.StateFailed || st.Step != tenants.StepVerify || st.Checks.SovereignPush != tenants.CheckFailed ||
		!strings.Contains(st.Error, "refuses writes") {
		t.Fatalf("status %+v", st)
	}
}

func TestDeleteTearsDownAndIsIdempotent(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	ready := w.bootstrapReady(t, 1)
	_ = drain(w)
	prev, err := w.svc.Delete(ctx, 1)
	if err != nil || !reflect.DeepEqual(prev, ready) {
		t.Fatalf("delete: %+v %v", prev, err)
	}
	if _, err := w.routes.Get(ctx, 1); !errors.Is(err, errs.NotFound) {
		t.Fatal("route left")
	}
	if got := w.files.list(); got[len(got)-1] != "remove /data/sites/1 /data/tenants/tenant_1" {
		t.Fatalf("files %v", got)
	}
	if st, _ := w.svc.Status(ctx, 1); st.IsolationModel != "shared" || st.State != tenants.StateShared {
		t.Fatalf("after delete: %+v", st)
	}
	if got := drain(w); !reflect.DeepEqual(got, []string{tenants.EventDeleted}) {
		t.Fatalf("events %v", got)
	}
	again, err := w.svc.Delete(ctx, 1)
	if err != nil || again.State != tenants.StateShared {
		t.Fatalf("again: %+v %v", again, err)
	}
	// It can be bootstrapped again.
	w.bootstrapReady(t, 1)
}

// Deleting a tenant whose bootstrap never dropped the shared tables puts
// the site back: files move back, nothing is removed.
func TestDeleteOfAnUnfinishedTenantRollsBack(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.svc.CreateSharedTables(ctx, 1); err != nil {
		t.Fatal(err)
	}
	w.iso.setFail("drop", errors.New("lock timeout"))
	if _, _, err := w.svc.Bootstrap(ctx, 1); err != nil {
		t.Fatal(err)
	}
	w.jobs.Wait()
	if _, err := w.svc.Delete(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if got := w.files.list(); !reflect.DeepEqual(got, []string{"adopt /data/sites/1 /data/tenants/tenant_1", "release /data/sites/1 /data/tenants/tenant_1"}) {
		t.Fatalf("files %v", got)
	}
	if legacy, _ := w.iso.LegacyTables(ctx, 1); len(legacy) != 3 {
		t.Fatalf("shared tables %v", legacy)
	}
}

func TestConcurrentBootstrapAndDelete(t *testing.T) {
	w := newWorld(t)
	w.iso.block = make(chan struct{})
	ctx := context.Background()
	if _, err := w.svc.CreateSharedTables(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.Bootstrap(ctx, 1); err != nil {
		t.Fatal(err)
	}
	waitState(t, w, 1, tenants.StateMigrating)
	// While the job runs: delete waits, then is refused; bootstrap answers
	// the running job; verify is refused.
	if _, err := w.svc.Delete(ctx, 1); !errors.Is(err, errs.Conflict) {
		t.Fatalf("delete during the job: %v", err)
	}
	st, accepted, err := w.svc.Bootstrap(ctx, 1)
	if err != nil || !accepted || st.State != tenants.StateMigrating || st.Step != tenants.StepCopy {
		t.Fatalf("bootstrap during the job: %+v %v %v", st, accepted, err)
	}
	if _, err := w.svc.Verify(ctx, 1); !errors.Is(err, errs.Conflict) {
		t.Fatalf("verify during the job: %v", err)
	}
	close(w.iso.block)
	w.jobs.Wait()
	if _, err := w.svc.Delete(ctx, 1); err != nil {
		t.Fatalf("delete after the job: %v", err)
	}
}

func waitState(t *testing.T, w *world, id int64, want tenants.State) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, _ := w.svc.Status(context.Background(), id)
		if st.State == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("state %s, want %s", st.State, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPlacementSpreadsTenants(t *testing.T) {
	w := newWorld(t)
	var hosts []string
	for id := int64(1); id <= 3; id++ {
		hosts = append(hosts, w.bootstrapReady(t, id).DatabaseHost)
	}
	if !reflect.DeepEqual(hosts, []string{"a", "b:5433", "a"}) {
		t.Fatalf("hosts %v", hosts)
	}
}

// Resume picks up jobs a crash left running.
func TestResumeUnfinishedJobs(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.svc.CreateSharedTables(ctx, 1); err != nil {
		t.Fatal(err)
	}
	tn := tenants.Tenant{SiteID: 1, CustomerID: 10, State: tenants.StateMigrating, Step: tenants.StepCopy,
		Done: []tenants.Step{}, Checks: tenants.PendingChecks, SiteRoot: "/data/sites/1", TenantDir: "/data/tenants/tenant_1",
		Placement: tenants.Placement{Server: "b:5433", Host: "b:5433", Database: "tenant_1", Role: "tenant_1"}}
	if err := w.store.Save(ctx, &tn); err != nil {
		t.Fatal(err)
	}
	if err := tenants.Resume(ctx, w.svc); err != nil {
		t.Fatal(err)
	}
	w.jobs.Wait()
	if st, _ := w.svc.Status(ctx, 1); st.State != tenants.StateReady || st.DatabaseHost != "b:5433" {
		t.Fatalf("resumed: %+v", st)
	}
}

// The role's password never shows in logs, statuses, events or errors.
func TestPasswordNeverShows(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	st := w.bootstrapReady(t, 1)
	w.iso.mu.Lock()
	password := w.iso.passwords["tenant_1"]
	w.iso.mu.Unlock()
	if len(password) < 24 {
		t.Fatalf("password %q", password)
	}
	verified, _ := w.svc.Verify(ctx, 1)
	b, _ := w.store.Outbox.Pending(ctx, 100)
	body, _ := json.Marshal([]any{st, verified, b.Events})
	tn, _ := w.store.Get(ctx, 1)
	for name, text := range map[string]string{"logs": w.logText(), "statuses and events": string(body), "sealed": string(tn.SealedPassword)} {
		if strings.Contains(text, password) {
			t.Errorf("the password shows in %s", name)
		}
	}
	// Each tenant has its own.
	w.bootstrapReady(t, 2)
	w.iso.mu.Lock()
	defer w.iso.mu.Unlock()
	if w.iso.passwords["tenant_2"] == password {
		t.Fatal("two tenants share a password")
	}
}

func TestCreateSharedTables(t *testing.T) {
	w := newWorld(t)
	tables, err := w.svc.CreateSharedTables(context.Background(), 3)
	if err != nil || !reflect.DeepEqual(tables, []string{"s3_options", "s3_posts", "s3_users"}) {
		t.Fatalf("%v %v", tables, err)
	}
	if _, err := w.svc.CreateSharedTables(context.Background(), 0); !errors.Is(err, errs.NotFound) {
		t.Fatalf("site 0: %v", err)
	}
}

func TestJobsBoundConcurrency(t *testing.T) {
	j := tenants.NewJobs(2)
	defer j.Close()
	var running, peak int
	mu := make(chan struct{}, 1)
	mu <- struct{}{}
	release := make(chan struct{})
	for id := int64(1); id <= 6; id++ {
		j.Submit(id, func(ctx context.Context, _ int64) {
			<-mu
			running++
			peak = max(peak, running)
			mu <- struct{}{}
			<-release
			<-mu
			running--
			mu <- struct{}{}
		})
	}
	if j.Submit(1, func(context.Context, int64) {}) {
		t.Fatal("a second job of one tenant was queued")
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	j.Wait()
	if peak != 2 {
		t.Fatalf("peak %d, want 2", peak)
	}
}
