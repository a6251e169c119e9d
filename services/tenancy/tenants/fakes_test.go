package tenants_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/tenancy/memory"
	"github.com/hostplane/hostplane/services/tenancy/routing"
	"github.com/hostplane/hostplane/services/tenancy/secretbox"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// fakeSites knows sites by id.
type fakeSites struct {
	mu    sync.Mutex
	sites map[int64]tenants.Site
	err   error
}

func (f *fakeSites) Site(ctx context.Context, id int64) (tenants.Site, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return tenants.Site{}, f.err
	}
	s, ok := f.sites[id]
	if scope := principal.CustomerScope(ctx); !ok || scope != 0 && scope != s.CustomerID {
		return tenants.Site{}, errs.NotFoundResource("site", "")
	}
	return s, nil
}

// fakeIsolation records what it is asked and fails where told.
type fakeIsolation struct {
	mu        sync.Mutex
	calls     []string
	fail      map[string]error
	legacy    map[int64][]string
	passwords map[string]string // role → password
	dbs       map[string]bool
	block     chan struct{} // when set, CopyTables waits on it
}

func newFakeIsolation() *fakeIsolation {
	return &fakeIsolation{fail: map[string]error{}, legacy: map[int64][]string{}, passwords: map[string]string{}, dbs: map[string]bool{}}
}

func (f *fakeIsolation) record(call string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	return f.fail[call]
}

func (f *fakeIsolation) setFail(call string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[call] = err
}

func (f *fakeIsolation) callList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeIsolation) SharedHost() string { return "shared.example" }
func (f *fakeIsolation) Servers() []tenants.Server {
	return []tenants.Server{{Key: "a:5432", Host: "a"}, {Key: "b:5433", Host: "b:5433"}}
}
func (f *fakeIsolation) CreateSharedTables(_ context.Context, id int64) ([]string, error) {
	if err := f.record("shared"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	names := []string{fmt.Sprintf("s%d_options", id), fmt.Sprintf("s%d_posts", id), fmt.Sprintf("s%d_users", id)}
	f.legacy[id] = names
	return names, nil
}
func (f *fakeIsolation) LegacyTables(_ context.Context, id int64) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.legacy[id]...), f.fail["legacy"]
}
func (f *fakeIsolation) CreateRole(_ context.Context, p tenants.Placement, pw string) error {
	if err := f.record("role"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.passwords[p.Role] = pw
	return nil
}
func (f *fakeIsolation) CreateDatabase(_ context.Context, p tenants.Placement) error {
	if err := f.record("database"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dbs[p.Database] = true
	return nil
}
func (f *fakeIsolation) CopyTables(ctx context.Context, id int64, _ tenants.Placement) (tenants.Copied, error) {
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return tenants.Copied{}, ctx.Err()
		}
	}
	return tenants.Copied{Tables: []tenants.CopiedTable{{Name: fmt.Sprintf("s%d_posts", id), Rows: 3}}}, f.record("copy")
}
func (f *fakeIsolation) DropLegacy(_ context.Context, id int64, _ tenants.Placement) error {
	if err := f.record("drop"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.legacy, id)
	return nil
}
func (f *fakeIsolation) checkPassword(p tenants.Placement, pw string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.passwords[p.Role] != pw {
		return fmt.Errorf("role %s: wrong password", p.Role)
	}
	return nil
}
func (f *fakeIsolation) CheckPush(_ context.Context, p tenants.Placement, pw string) error {
	if err := f.record("push"); err != nil {
		return err
	}
	return f.checkPassword(p, pw)
}
func (f *fakeIsolation) CheckUsers(_ context.Context, p tenants.Placement, pw string) error {
	if err := f.record("users"); err != nil {
		return err
	}
	return f.checkPassword(p, pw)
}
func (f *fakeIsolation) Teardown(_ context.Context, p tenants.Placement) error {
	if err := f.record("teardown"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.dbs, p.Database)
	delete(f.passwords, p.Role)
	return nil
}

// fakeFiles records moves.
type fakeFiles struct {
	mu    sync.Mutex
	calls []string
}

func (f *fakeFiles) Dir(name string) string { return "/data/tenants/" + name }
func (f *fakeFiles) add(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}
func (f *fakeFiles) Adopt(_ context.Context, root, dir string) error {
	f.add("adopt " + root + " " + dir)
	return nil
}
func (f *fakeFiles) Release(_ context.Context, root, dir string) error {
	f.add("release " + root + " " + dir)
	return nil
}
func (f *fakeFiles) Remove(_ context.Context, root, dir string) error {
	f.add("remove " + root + " " + dir)
	return nil
}
func (f *fakeFiles) list() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// world is a service over fakes.
type world struct {
	svc     tenants.Service
	store   *memory.Tenants
	iso     *fakeIsolation
	sites   *fakeSites
	routes  *routing.Memory
	files   *fakeFiles
	jobs    *tenants.Jobs
	logs    *bytes.Buffer
	logMu   *sync.Mutex
	crashAt tenants.Step
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

var clock = time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC)

type option func(*tenants.Options)

func newWorld(t *testing.T, opts ...option) *world {
	t.Helper()
	box, err := secretbox.New(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	w := &world{
		store: memory.NewTenants(), iso: newFakeIsolation(), routes: &routing.Memory{}, files: &fakeFiles{},
		sites: &fakeSites{sites: map[int64]tenants.Site{
			1: {ID: 1, CustomerID: 10, Code: "one", Root: "/data/sites/1"},
			2: {ID: 2, CustomerID: 20, Code: "two", Root: "/data/sites/2"},
			3: {ID: 3, CustomerID: 10, Code: "three"},
		}},
		jobs: tenants.NewJobs(2), logs: &bytes.Buffer{}, logMu: &sync.Mutex{},
	}
	t.Cleanup(w.jobs.Close)
	o := tenants.Options{
		Store: w.store, Sites: w.sites, Isolation: w.iso, Routing: w.routes, Files: w.files, Sealer: box,
		Jobs: w.jobs, Prefix: "tenant_", DeleteWait: 50 * time.Millisecond,
		Now: func() time.Time { return clock },
		Log: slog.New(slog.NewJSONHandler(lockedWriter{w.logMu, w.logs}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, opt := range opts {
		opt(&o)
	}
	w.svc = tenants.LoggingMiddleware(o.Log)(tenants.NewService(o))
	return w
}

func (w *world) logText() string { w.logMu.Lock(); defer w.logMu.Unlock(); return w.logs.String() }

// bootstrapReady bootstraps site id and waits for the job.
func (w *world) bootstrapReady(t *testing.T, id int64) tenants.Status {
	t.Helper()
	ctx := context.Background()
	if _, err := w.svc.CreateSharedTables(ctx, id); err != nil {
		t.Fatal(err)
	}
	st, accepted, err := w.svc.Bootstrap(ctx, id)
	if err != nil || !accepted || st.State != tenants.StatePending {
		t.Fatalf("bootstrap: %+v %v %v", st, accepted, err)
	}
	w.jobs.Wait()
	st, err = w.svc.Status(ctx, id)
	if err != nil || st.State != tenants.StateReady || !st.Ready {
		t.Fatalf("after the job: %+v %v", st, err)
	}
	return st
}
