package tenancy_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/tenancy"
	"github.com/hostplane/hostplane/services/tenancy/tenancytest"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
	"github.com/jackc/pgx/v5"
)

const wu = "/wp-json/wu/v2/tenants/"

// TestSovereignLifecycle: bootstrap to ready on the least loaded server
// with every check passed and the data identical; the second tenant goes
// to the other server; tenants cannot read each other; delete leaves no
// database, role, directory or routing entry.
func TestSovereignLifecycle(t *testing.T) {
	s := newStack(t, true, tenancy.Deps{})
	ctx := context.Background()
	s.site(1, 10, 500)
	s.site(2, 20, 200)
	before1, before2 := snapshot(t, s.env.HostingURL, 1), snapshot(t, s.env.HostingURL, 2)

	code, m := s.do(http.MethodPost, wu+"1/bootstrap", "", root)
	if code != http.StatusAccepted || m["state"] != "pending" || m["isolation_model"] != "sovereign" || m["ready"] != false {
		t.Fatalf("bootstrap: %d %v", code, m)
	}
	ready := s.waitState(1, "ready", "failed")
	want := map[string]any{
		"site_id": float64(1), "isolation_model": "sovereign", "database_host": ready["database_host"], "ready": true,
		"state": "ready", "step": nil, "error": nil,
		"verification": map[string]any{"no_legacy": "passed", "sovereign_push": "passed", "tenant_users": "passed"},
	}
	if !reflect.DeepEqual(ready, want) {
		t.Fatalf("ready\n got %v\nwant %v", ready, want)
	}
	server1 := s.serverOf(1)
	if h := ready["database_host"].(string); !strings.HasPrefix(tenancytest.Host(server1), strings.TrimSuffix(h, ":5432")) {
		t.Fatalf("database_host %s for server %s", h, tenancytest.Host(server1))
	}
	if got := snapshot(t, tenancytest.DatabaseURL(server1, s.name(1)), 1); !reflect.DeepEqual(got, before1) {
		t.Fatalf("site 1's data changed: %d rows, was %d", len(got), len(before1))
	}
	if got := tenancytest.Rows(t, s.env.HostingURL, `SELECT tablename::text FROM pg_tables WHERE tablename LIKE 's1\_%'`); len(got) != 0 {
		t.Fatalf("legacy tables left: %v", got)
	}
	// Files under the tenant directory (0750), routing entry in Consul.
	dir := filepath.Join(s.dataDir, "tenants", s.name(1))
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o750 {
		t.Fatalf("tenant directory: %v %v", fi, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "site", "medias", "logo.png")); err != nil || string(b) != "logo of 1" {
		t.Fatalf("site files: %q %v", b, err)
	}
	r, err := s.kv.Get(ctx, 1)
	if err != nil || r.IsolationModel != "sovereign" || r.DatabaseName != s.name(1) || r.DatabaseHost != ready["database_host"] {
		t.Fatalf("routing %+v %v", r, err)
	}

	// Again: 200, the same state, nothing created.
	code, again := s.do(http.MethodPost, wu+"1/bootstrap", "", root)
	if code != 200 || !reflect.DeepEqual(again, want) {
		t.Fatalf("again: %d %v", code, again)
	}

	// The second tenant goes to the other server.
	if code, _ := s.do(http.MethodPost, wu+"2/bootstrap", `{"isolation_model":"sovereign"}`, root); code != 202 {
		t.Fatalf("bootstrap 2: %d", code)
	}
	if m := s.waitState(2, "ready", "failed"); m["state"] != "ready" {
		t.Fatalf("site 2: %v", m)
	}
	server2 := s.serverOf(2)
	if server2 == server1 {
		t.Fatalf("both tenants on %s", tenancytest.Host(server1))
	}
	if got := snapshot(t, tenancytest.DatabaseURL(server2, s.name(2)), 2); !reflect.DeepEqual(got, before2) {
		t.Fatal("site 2's data changed")
	}

	// Two tenants cannot read each other: each role is refused by the
	// other's database, and by the shared one.
	for _, c := range []struct {
		role, password, server, db string
	}{
		{s.name(1), s.password(1), server2, s.name(2)},
		{s.name(1), s.password(1), server1, s.name(2)},
		{s.name(2), s.password(2), server1, s.name(1)},
		{s.name(2), s.password(2), server2, s.name(1)},
		{s.name(1), s.password(1), s.env.HostingURL, dbName(s.env.HostingURL)},
	} {
		cfg, _ := pgx.ParseConfig(tenancytest.DatabaseURL(c.server, c.db))
		cfg.User, cfg.Password = c.role, c.password
		if conn, err := pgx.ConnectConfig(ctx, cfg); err == nil {
			conn.Close(ctx)
			t.Errorf("%s reached %s on %s", c.role, c.db, tenancytest.Host(c.server))
		}
	}
	// While each reaches its own.
	cfg, _ := pgx.ParseConfig(tenancytest.DatabaseURL(server1, s.name(1)))
	cfg.User, cfg.Password = s.name(1), s.password(1)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM s1_posts`).Scan(&n); err != nil || n != 500 {
		t.Fatalf("own posts: %d %v", n, err)
	}
	conn.Close(ctx)

	// Delete: nothing left, twice.
	code, del := s.do(http.MethodDelete, wu+"1", "", root)
	if code != 200 || del["deleted"] != true || !reflect.DeepEqual(del["previous"], want) {
		t.Fatalf("delete: %d %v", code, del)
	}
	for _, u := range s.env.ServerURLs {
		if got := tenancytest.Rows(t, u, fmt.Sprintf(`SELECT datname::text FROM pg_database WHERE datname = '%[1]s'
			UNION ALL SELECT rolname::text FROM pg_roles WHERE rolname = '%[1]s'`, s.name(1))); len(got) != 0 {
			t.Fatalf("left on %s: %v", tenancytest.Host(u), got)
		}
	}
	if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("tenant directory left: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(s.dataDir, "sites", "1")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("link to the old root left: %v", err)
	}
	if _, err := s.kv.Get(ctx, 1); !errors.Is(err, errs.NotFound) {
		t.Fatalf("routing entry left: %v", err)
	}
	code, del = s.do(http.MethodDelete, wu+"1", "", root)
	if code != 200 || del["deleted"] != true || del["previous"].(map[string]any)["isolation_model"] != "shared" {
		t.Fatalf("delete again: %d %v", code, del)
	}
	if code, m := s.do(http.MethodGet, wu+"1/migration-status", "", root); code != 200 || m["state"] != "shared" {
		t.Fatalf("status after delete: %d %v", code, m)
	}
	if code, _ := s.do(http.MethodDelete, wu+"2", "", root); code != 200 {
		t.Fatalf("delete 2: %d", code)
	}
}

func TestUnknownAndForeignSites(t *testing.T) {
	s := newStack(t, false, tenancy.Deps{})
	s.site(1, 10, 1)
	restricted := &principal.Principal{KeyID: 2, KeyName: "crm", CustomerID: 99, Permissions: []string{"tenants:*"}}
	for _, r := range []struct {
		method, path string
		p            *principal.Principal
	}{
		{http.MethodPost, wu + "77/bootstrap", root},
		{http.MethodGet, wu + "77/migration-status", root},
		{http.MethodPost, wu + "abc/bootstrap", root},
		{http.MethodDelete, wu + "-3", root},
		{http.MethodPost, wu + "1/bootstrap", restricted},
		{http.MethodGet, wu + "1/migration-status", restricted},
		{http.MethodPost, wu + "1/verify", restricted},
		{http.MethodDelete, wu + "1", restricted},
	} {
		code, m := s.do(r.method, r.path, "", r.p)
		if code != 404 || m["code"] != "wu_rest_tenant_invalid_id" {
			t.Errorf("%s %s as %s: %d %v", r.method, r.path, r.p.KeyName, code, m)
		}
	}
	// Nothing was provisioned for the refused bootstrap.
	if got := tenancytest.Rows(t, s.env.ServerURLs[0], `SELECT rolname::text FROM pg_roles WHERE rolname LIKE '`+s.env.Prefix+`%'`); len(got) != 0 {
		t.Fatalf("roles created: %v", got)
	}
	own := &principal.Principal{KeyID: 3, KeyName: "own", CustomerID: 10, Permissions: []string{"tenants:*"}}
	if code, m := s.do(http.MethodGet, wu+"1/migration-status", "", own); code != 200 || m["isolation_model"] != "shared" {
		t.Fatalf("own site: %d %v", code, m)
	}
}

func dbName(u string) string {
	name := u[strings.LastIndex(u, "/")+1:]
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	return name
}

// A site bootstrapped before tenancy has consumed its site.created (so
// before its shared tables exist) becomes a ready tenant with the
// template's empty tables, not a failed copy.
func TestBootstrapBeforeSiteCreatedIsConsumed(t *testing.T) {
	s := newStack(t, false, tenancy.Deps{})
	dir := filepath.Join(s.dataDir, "sites", "7")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s.sites.add(tenants.Site{ID: 7, CustomerID: 10, Code: "site-7", Root: dir})
	if code, _ := s.do(http.MethodPost, wu+"7/bootstrap", "", root); code != 202 {
		t.Fatal(code)
	}
	if m := s.waitState(7, "ready", "failed"); m["state"] != "ready" {
		t.Fatalf("bootstrap of a site without shared tables: %v", m)
	}
	if code, _ := s.do(http.MethodDelete, wu+"7", "", root); code != 200 {
		t.Fatal(code)
	}
}
