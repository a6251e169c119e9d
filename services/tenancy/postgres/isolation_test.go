package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/services/tenancy/postgres"
	"github.com/hostplane/hostplane/services/tenancy/tenancytest"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
	"github.com/jackc/pgx/v5"
)

// isolation is an Isolation over a test Env, with its servers in order.
func isolation(t *testing.T, e *tenancytest.Env) *postgres.Isolation {
	t.Helper()
	return isolationWith(t, e, nil)
}

func isolationWith(t *testing.T, e *tenancytest.Env, beforeDrop func(int64) error) *postgres.Isolation {
	t.Helper()
	iso, err := postgres.NewIsolation(context.Background(), postgres.IsolationConfig{
		HostingURL: e.HostingURL, ServerURLs: e.ServerURLs, Prefix: e.Prefix, MaxConns: 4, BeforeDrop: beforeDrop,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iso.Close)
	return iso
}

// placement of site id on server i of iso.
func placement(e *tenancytest.Env, iso *postgres.Isolation, i int, id int64) tenants.Placement {
	sv := iso.Servers()[i]
	name := fmt.Sprint(e.Prefix, id)
	return tenants.Placement{Server: sv.Key, Host: sv.Host, Database: name, Role: name}
}

// provision creates p's role and database.
func provision(t *testing.T, iso *postgres.Isolation, p tenants.Placement, password string) {
	t.Helper()
	ctx := context.Background()
	for i := range 2 { // twice: idempotent
		if err := iso.CreateRole(ctx, p, password); err != nil {
			t.Fatalf("create role (%d): %v", i, err)
		}
		if err := iso.CreateDatabase(ctx, p); err != nil {
			t.Fatalf("create database (%d): %v", i, err)
		}
	}
}

// serverURL is the admin URL of p's server in e, on database db.
func serverURL(t *testing.T, e *tenancytest.Env, iso *postgres.Isolation, p tenants.Placement, db string) string {
	t.Helper()
	for i, sv := range iso.Servers() {
		if sv.Key == p.Server {
			return tenancytest.DatabaseURL(e.ServerURLs[i], db)
		}
	}
	t.Fatalf("no server %s", p.Server)
	return ""
}

// edgeSchema is a table with every kind of column the copy must carry.
const edgeSchema = `
CREATE TABLE s7_parents (id SERIAL PRIMARY KEY, name TEXT COLLATE "C" NOT NULL UNIQUE, code TEXT UNIQUE DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE s7_things (
    id        BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY,
    parent_id INT REFERENCES s7_parents (id) ON DELETE CASCADE,
    label     VARCHAR(40) NOT NULL DEFAULT 'x' CHECK (label <> ''),
    price     NUMERIC(12, 2),
    ratio     DOUBLE PRECISION,
    doubled   NUMERIC GENERATED ALWAYS AS (price * 2) STORED,
    tags      TEXT[],
    data      JSONB,
    blob      BYTEA,
    at        TIMESTAMPTZ DEFAULT now(),
    span      INTERVAL,
    body      TEXT
);
CREATE INDEX s7_things_label_idx ON s7_things (lower(label));
CREATE UNIQUE INDEX s7_things_body_key ON s7_things (md5(body)) WHERE body IS NOT NULL;
INSERT INTO s7_parents (name) VALUES ('a'), ('B'), ('c');
INSERT INTO s7_things (parent_id, label, price, ratio, tags, data, blob, at, span, body) VALUES
    (1, 'one', 1.25, 0.1, '{a,"b c",NULL}', '{"k": [1, 2.5, null]}', '\x00ff10', '2026-01-02 03:04:05.678901+02', '1 day 02:03:04', E'tab\there\nnewline \\ backslash'),
    (2, 'two', NULL, 1e300, '{}', 'null', NULL, NULL, NULL, NULL),
    (NULL, 'three', -0.5, -0.0, NULL, '[]', '', 'infinity', '-3 months', 'é ☃ 😀');
DELETE FROM s7_parents WHERE id = 3;
`

func TestCopyCarriesStructureRowsAndSequences(t *testing.T) {
	e := tenancytest.New(t, false)
	crash := true
	iso := isolationWith(t, e, func(int64) error {
		if crash {
			crash = false
			return errors.New("killed between the copy and the drop")
		}
		return nil
	})
	ctx := context.Background()
	tenancytest.Exec(t, e.HostingURL, edgeSchema)
	p := placement(e, iso, 0, 7)
	provision(t, iso, p, "pw-copy")
	tenantURL := serverURL(t, e, iso, p, p.Database)

	const rows = `SELECT hp::text FROM s7_things hp ORDER BY id`
	const parents = `SELECT hp::text FROM s7_parents hp ORDER BY id`
	// A crash after the copy committed, before the drop: the shared tables
	// stay, the site goes on writing to them.
	if _, err := iso.CopyTables(ctx, 7, p); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("crash: %v", err)
	}
	if got := tenancytest.Rows(t, tenantURL, `SELECT count(*)::text FROM s7_things`); got[0] != "3" {
		t.Fatalf("the first copy: %v", got)
	}
	tenancytest.Exec(t, e.HostingURL, `INSERT INTO s7_things (label, body) VALUES ('late', 'written after the crash')`)
	want := tenancytest.Rows(t, e.HostingURL, rows)
	wantParents := tenancytest.Rows(t, e.HostingURL, parents)
	// The resumed copy replaces the first one: no loss, no duplicate.
	copied, err := iso.CopyTables(ctx, 7, p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(copied.Tables, []tenants.CopiedTable{{Name: "s7_parents", Rows: 2}, {Name: "s7_things", Rows: 4}}) {
		t.Fatalf("copied %+v", copied)
	}
	if got := tenancytest.Rows(t, tenantURL, rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %q\nwant %q", got, want)
	}
	if got := tenancytest.Rows(t, tenantURL, parents); !reflect.DeepEqual(got, wantParents) {
		t.Fatalf("parents\n got %q\nwant %q", got, wantParents)
	}
	if legacy, err := iso.LegacyTables(ctx, 7); err != nil || len(legacy) != 0 {
		t.Fatalf("legacy %v %v", legacy, err)
	}
	// The definition came along: sequences where they were, constraints,
	// indexes, generated column, collation, owner.
	tenancytest.Exec(t, e.ServerURLs[0], "CREATE DATABASE "+p.Database+"_ref TEMPLATE template0")
	defer tenancytest.Exec(t, e.ServerURLs[0], "DROP DATABASE "+p.Database+"_ref WITH (FORCE)")
	refURL := serverURL(t, e, iso, p, p.Database+"_ref")
	tenancytest.Exec(t, refURL, edgeSchema, `INSERT INTO s7_things (label, body) VALUES ('late', 'written after the crash')`)
	for _, q := range []string{
		`SELECT nextval(pg_get_serial_sequence('s7_things', 'id'))::text`,
		`SELECT nextval(pg_get_serial_sequence('s7_parents', 'id'))::text`,
		`SELECT string_agg(indexdef, ' | ' ORDER BY indexname) FROM pg_indexes WHERE tablename IN ('s7_things', 's7_parents')`,
		`SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ' | ' ORDER BY conname) FROM pg_constraint WHERE conrelid IN ('s7_things'::regclass, 's7_parents'::regclass)`,
		`SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') || ' ' || is_identity || ' ' || identity_generation || ' ' || is_generated || ' ' || coalesce(collation_name, ''), ' | ' ORDER BY table_name, ordinal_position) FROM information_schema.columns WHERE table_name IN ('s7_things', 's7_parents')`,
	} {
		ref, dst := tenancytest.Rows(t, refURL, q), tenancytest.Rows(t, tenantURL, q)
		if !reflect.DeepEqual(ref, dst) {
			t.Errorf("%s\nsource %q\n  copy %q", q, ref, dst)
		}
	}
	if got := tenancytest.Rows(t, tenantURL, `SELECT DISTINCT tableowner::text FROM pg_tables WHERE tablename LIKE 's7\_%'`); !reflect.DeepEqual(got, []string{p.Role}) {
		t.Errorf("owners %v, want %s", got, p.Role)
	}
	if got := tenancytest.Rows(t, tenantURL, `SELECT table_name || ' ' || rows FROM hostplane_copy ORDER BY 1`); !reflect.DeepEqual(got, []string{"s7_parents 2", "s7_things 4"}) {
		t.Errorf("recorded %v", got)
	}

	// Once done, a copy changes nothing, a drop finds nothing.
	if _, err := iso.CopyTables(ctx, 7, p); err != nil {
		t.Fatalf("copy after the move: %v", err)
	}
	if err := iso.DropLegacy(ctx, 7, p); err != nil {
		t.Fatal(err)
	}
	if got := tenancytest.Rows(t, tenantURL, rows); !reflect.DeepEqual(got, want) {
		t.Fatal("a copy after the move changed the tenant's tables")
	}

	// A table of the site that shows up in the shared database afterwards
	// is carried over by the drop, then dropped.
	tenancytest.Exec(t, e.HostingURL, `CREATE TABLE s7_extra (k TEXT PRIMARY KEY, v INT)`, `INSERT INTO s7_extra VALUES ('a', 1), ('b', 2)`)
	if err := iso.DropLegacy(ctx, 7, p); err != nil {
		t.Fatal(err)
	}
	if got := tenancytest.Rows(t, tenantURL, `SELECT k || v FROM s7_extra ORDER BY 1`); !reflect.DeepEqual(got, []string{"a1", "b2"}) {
		t.Fatalf("extra %v", got)
	}
	if legacy, _ := iso.LegacyTables(ctx, 7); len(legacy) != 0 {
		t.Fatalf("legacy %v", legacy)
	}
	if got := tenancytest.Rows(t, tenantURL, rows); !reflect.DeepEqual(got, want) {
		t.Fatal("the drop changed the other tables")
	}
}

// TestDropLegacyOfAnUnchangedTable drops a straggler identical to what the
// copy recorded without copying it again, and copies a changed one.
func TestDropLegacyComparesWithTheCopy(t *testing.T) {
	e := tenancytest.New(t, false)
	iso := isolationWith(t, e, func(int64) error { return errors.New("killed") })
	ctx := context.Background()
	if _, err := iso.CreateSharedTables(ctx, 9); err != nil {
		t.Fatal(err)
	}
	tenancytest.Exec(t, e.HostingURL, `INSERT INTO s9_users (user_login) SELECT 'u' || g FROM generate_series(1, 50) g`)
	p := placement(e, iso, 0, 9)
	provision(t, iso, p, "pw")
	tenantURL := serverURL(t, e, iso, p, p.Database)
	if _, err := iso.CopyTables(ctx, 9, p); err == nil {
		t.Fatal("no crash")
	}
	// Unchanged since the copy: dropped as is.
	before := tenancytest.Rows(t, tenantURL, `SELECT copied_at::text FROM hostplane_copy WHERE table_name = 's9_users'`)
	if err := iso.DropLegacy(ctx, 9, p); err != nil {
		t.Fatal(err)
	}
	if after := tenancytest.Rows(t, tenantURL, `SELECT copied_at::text FROM hostplane_copy WHERE table_name = 's9_users'`); !reflect.DeepEqual(after, before) {
		t.Fatal("an unchanged table was copied again")
	}
	if got := tenancytest.Rows(t, tenantURL, `SELECT count(*)::text FROM s9_users`); got[0] != "50" {
		t.Fatalf("users %v", got)
	}
}

func TestCopyRefusesWhatItCannotMove(t *testing.T) {
	e := tenancytest.New(t, false)
	iso := isolation(t, e)
	ctx := context.Background()
	p := placement(e, iso, 0, 8)
	provision(t, iso, p, "pw")
	if _, err := iso.CopyTables(ctx, 8, p); err == nil || !strings.Contains(err.Error(), "no tables") {
		t.Fatalf("nothing to copy: %v", err)
	}
	if _, err := iso.CreateSharedTables(ctx, 8); err != nil {
		t.Fatal(err)
	}
	tenancytest.Exec(t, e.HostingURL, `CREATE VIEW s8_recent AS SELECT * FROM s8_posts`)
	_, err := iso.CopyTables(ctx, 8, p)
	if err == nil || !strings.Contains(err.Error(), "s8_recent (not an ordinary table)") {
		t.Fatalf("view: %v", err)
	}
	if legacy, _ := iso.LegacyTables(ctx, 8); !reflect.DeepEqual(legacy, []string{"s8_options", "s8_posts", "s8_recent", "s8_users"}) {
		t.Fatalf("legacy %v", legacy)
	}
}

func TestSharedTablesFromTheTemplate(t *testing.T) {
	e := tenancytest.New(t, false)
	iso := isolation(t, e)
	ctx := context.Background()
	errc := make(chan error, 4)
	for range 4 { // concurrent calls do not collide
		go func() { _, err := iso.CreateSharedTables(ctx, 12); errc <- err }()
	}
	for range 4 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	got, err := iso.LegacyTables(ctx, 12)
	if err != nil || !reflect.DeepEqual(got, []string{"s12_options", "s12_posts", "s12_users"}) {
		t.Fatalf("tables %v %v", got, err)
	}
	// s1_ is not a prefix of s12_.
	if got, _ := iso.LegacyTables(ctx, 1); len(got) != 0 {
		t.Fatalf("site 1 sees %v", got)
	}
	tenancytest.Exec(t, e.HostingURL, `INSERT INTO s12_users (user_login) VALUES ('admin')`,
		`INSERT INTO s12_posts (post_author, post_title) VALUES (1, 'Hello world!')`,
		`INSERT INTO s12_options (option_name, option_value) VALUES ('blogname', 'Site 12')`)
}

func TestChecks(t *testing.T) {
	e := tenancytest.New(t, false)
	iso := isolation(t, e)
	ctx := context.Background()
	a, b := placement(e, iso, 0, 21), placement(e, iso, 0, 22)
	provision(t, iso, a, "pw-a")
	provision(t, iso, b, "pw-b")
	for _, p := range []tenants.Placement{a, b} {
		if err := iso.CheckPush(ctx, p, "pw"); err != nil {
			t.Fatalf("push %s: %v", p.Role, err)
		}
		if err := iso.CheckUsers(ctx, p, "pw"); err != nil {
			t.Fatalf("users %s: %v", p.Role, err)
		}
	}
	admin := e.ServerURLs[0]
	shared := dbName(e.HostingURL)

	// A role granted access to the shared database, or to another tenant's.
	tenancytest.Exec(t, admin, `GRANT CONNECT ON DATABASE `+shared+` TO `+a.Role)
	err := iso.CheckUsers(ctx, a, "pw")
	if err == nil || !strings.Contains(err.Error(), "the shared database") {
		t.Fatalf("shared database reachable: %v", err)
	}
	tenancytest.Exec(t, admin, `REVOKE CONNECT ON DATABASE `+shared+` FROM `+a.Role, `GRANT CONNECT ON DATABASE `+b.Database+` TO `+a.Role)
	if err := iso.CheckUsers(ctx, a, "pw"); err == nil || !strings.Contains(err.Error(), "may connect to "+b.Database) {
		t.Fatalf("another tenant reachable: %v", err)
	}
	tenancytest.Exec(t, admin, `REVOKE CONNECT ON DATABASE `+b.Database+` FROM `+a.Role, `ALTER ROLE `+a.Role+` NOLOGIN`)
	if err := iso.CheckUsers(ctx, a, "pw"); err == nil || !strings.Contains(err.Error(), "cannot log in") {
		t.Fatalf("nologin: %v", err)
	}
	if err := iso.CheckPush(ctx, a, "pw"); err == nil || !strings.Contains(err.Error(), "cannot log in") {
		t.Fatalf("push without login: %v", err)
	}
	tenancytest.Exec(t, admin, `ALTER ROLE `+a.Role+` LOGIN`)

	// A tenant database that refuses writes.
	tenancytest.Exec(t, admin, `ALTER DATABASE `+a.Database+` SET default_transaction_read_only = on`)
	if err := iso.CheckPush(ctx, a, "pw"); err == nil || !strings.Contains(err.Error(), "refuses writes") {
		t.Fatalf("read-only: %v", err)
	}
	tenancytest.Exec(t, admin, `ALTER DATABASE `+a.Database+` RESET default_transaction_read_only`)
	if err := iso.CheckPush(ctx, a, "pw"); err != nil {
		t.Fatal(err)
	}

	// Teardown leaves nothing, twice.
	for range 2 {
		if err := iso.Teardown(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if got := tenancytest.Rows(t, admin, `SELECT datname::text FROM pg_database WHERE datname = '`+a.Database+`' UNION ALL SELECT rolname::text FROM pg_roles WHERE rolname = '`+a.Role+`'`); len(got) != 0 {
		t.Fatalf("left behind: %v", got)
	}
	if err := iso.CheckUsers(ctx, a, "pw"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("after teardown: %v", err)
	}
}

// TestTeardownWithGrantsInTheSharedDatabase: privileges the role holds in
// the shared database are revoked with it.
func TestTeardownWithGrantsInTheSharedDatabase(t *testing.T) {
	e := tenancytest.New(t, false)
	iso := isolation(t, e)
	ctx := context.Background()
	p := placement(e, iso, 0, 31)
	provision(t, iso, p, "pw")
	if _, err := iso.CreateSharedTables(ctx, 31); err != nil {
		t.Fatal(err)
	}
	tenancytest.Exec(t, e.HostingURL, `GRANT SELECT ON s31_posts TO `+p.Role, `GRANT CONNECT ON DATABASE `+dbName(e.HostingURL)+` TO `+p.Role)
	if err := iso.Teardown(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got := tenancytest.Rows(t, e.ServerURLs[0], `SELECT rolname::text FROM pg_roles WHERE rolname = '`+p.Role+`'`); len(got) != 0 {
		t.Fatal("role left")
	}
}

// TestSharedDatabaseRefusesPublic: tenant roles on the hosting server
// cannot connect to the shared database by default.
func TestSharedDatabaseRefusesPublic(t *testing.T) {
	e := tenancytest.New(t, false)
	isolation(t, e)
	got := tenancytest.Rows(t, e.HostingURL, `SELECT has_database_privilege('public', current_database(), 'CONNECT')::text`)
	if !reflect.DeepEqual(got, []string{"false"}) {
		t.Fatalf("PUBLIC may connect: %v", got)
	}
	// Opening it again changes nothing.
	isolation(t, e)
}

func TestPlacementErrors(t *testing.T) {
	e := tenancytest.New(t, false)
	iso := isolation(t, e)
	p := tenants.Placement{Server: "10.0.0.1:1", Database: "x", Role: "x"}
	if err := iso.CreateDatabase(context.Background(), p); err == nil || !strings.Contains(err.Error(), "not configured") {
		t.Fatalf("unknown server: %v", err)
	}
	if _, err := postgres.NewIsolation(context.Background(), postgres.IsolationConfig{HostingURL: e.HostingURL}); err == nil {
		t.Fatal("no server accepted")
	}
	_, err := postgres.NewIsolation(context.Background(), postgres.IsolationConfig{HostingURL: e.HostingURL, ServerURLs: []string{e.ServerURLs[0], e.ServerURLs[0]}})
	if err == nil || !errors.Is(err, err) || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("a server twice: %v", err)
	}
}

func dbName(u string) string {
	i := strings.LastIndex(u, "/")
	name := u[i+1:]
	if j := strings.IndexByte(name, '?'); j >= 0 {
		name = name[:j]
	}
	return name
}

// TestDatabaseClosedUntilPublicRevoked: a tenant database is created
// refusing connections and opened only once CONNECT is revoked from
// PUBLIC, so another tenant's role can never connect to it, not even in
// the moment between CREATE DATABASE and the REVOKE (where a concurrent
// bootstrap's tenant_users check once caught it). A crash in that moment
// leaves it closed, and the next attempt opens it correctly.
func TestDatabaseClosedUntilPublicRevoked(t *testing.T) {
	e := tenancytest.New(t, false)
	iso := isolation(t, e)
	ctx := context.Background()
	a, c := placement(e, iso, 0, 31), placement(e, iso, 0, 32)
	provision(t, iso, a, "pw-a")
	if err := iso.CreateRole(ctx, c, "pw-c"); err != nil {
		t.Fatal(err)
	}
	admin := e.ServerURLs[0]
	state := func() string {
		t.Helper()
		got := tenancytest.Rows(t, admin, `SELECT datallowconn::text || ' ' || has_database_privilege('`+a.Role+`', oid, 'CONNECT')::text
			FROM pg_database WHERE datname = '`+c.Database+`'`)
		return strings.Join(got, ",")
	}
	// What the first statement leaves when the process dies right after it:
	// PUBLIC still holds CONNECT, but the database refuses everyone.
	tenancytest.Exec(t, admin, `CREATE DATABASE `+c.Database+` OWNER `+c.Role+` TEMPLATE template0 ALLOW_CONNECTIONS false`)
	if got := state(); got != "false true" {
		t.Fatalf("half-created: allowconn, a's CONNECT = %q", got)
	}
	asA, err := url.Parse(tenancytest.DatabaseURL(admin, c.Database))
	if err != nil {
		t.Fatal(err)
	}
	asA.User = url.User(a.Role)
	if conn, err := pgx.Connect(ctx, asA.String()); err == nil {
		conn.Close(ctx)
		t.Fatalf("role %s connected to the half-created %s", a.Role, c.Database)
	}
	if err := iso.CheckUsers(ctx, a, "pw-a"); err != nil {
		t.Fatalf("a's check during c's creation: %v", err)
	}
	// The next attempt finishes: open, and not to a.
	if err := iso.CreateDatabase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got := state(); got != "true false" {
		t.Fatalf("created: allowconn, a's CONNECT = %q", got)
	}
	if err := iso.CheckUsers(ctx, c, "pw-c"); err != nil {
		t.Fatalf("c: %v", err)
	}
}
