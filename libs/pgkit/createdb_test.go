package pgkit

import (
	"context"
	"crypto/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestDatabaseURL(t *testing.T) {
	tests := []struct {
		base, name, want string
		wantErr          bool
	}{
		{"postgres://u:p@h:5432/postgres?sslmode=disable", "hostplane_auth", "postgres://u:p@h:5432/hostplane_auth?sslmode=disable", false},
		{"postgres://u@h", "hostplane_billing", "postgres://u@h/hostplane_billing", false},
		{"postgres://u@h/", "x", "postgres://u@h/x", false},
		{"postgresql://h/a/b", "c", "postgresql://h/c", false},
		{"postgres://u:p%40ss@h/db", "d", "postgres://u:p%40ss@h/d", false},
		{"://bad", "x", "", true},
	}
	for _, tt := range tests {
		got, err := DatabaseURL(tt.base, tt.name)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("DatabaseURL(%q, %q) = %q, %v; want %q (error %v)", tt.base, tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestServiceURL(t *testing.T) {
	tests := []struct {
		name                string
		own, shared, dbName string
		want                string
		wantDerived         bool
		wantErr             bool
	}{
		{"own wins", "postgres://own/a", "postgres://shared/postgres", "hostplane_auth", "postgres://own/a", false, false},
		{"own alone", "postgres://own/a", "", "hostplane_auth", "postgres://own/a", false, false},
		{"derived from shared", "", "postgres://u@shared:5432/postgres?sslmode=disable", "hostplane_auth", "postgres://u@shared:5432/hostplane_auth?sslmode=disable", true, false},
		{"none: in memory", "", "", "hostplane_auth", "", false, false},
		{"bad shared", "", "://bad", "x", "", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, derived, err := ServiceURL(tt.own, tt.shared, tt.dbName)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && (got != tt.want || derived != tt.wantDerived) {
				t.Errorf("ServiceURL = %q, %v; want %q, %v", got, derived, tt.want, tt.wantDerived)
			}
		})
	}
}

// uniqueDB returns a database name no other test uses, with a hyphen so
// that quoting matters, and drops it when t ends.
func uniqueDB(t *testing.T, admin, prefix string) string {
	t.Helper()
	name := prefix + "-" + strings.ToLower(rand.Text()[:10])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Logf("drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	return name
}

func databaseExists(t *testing.T, admin, name string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	return exists
}

func TestEnsureDatabase(t *testing.T) {
	t.Parallel() // each on databases of its own
	admin := testenv.NeedPostgres(t)
	name := uniqueDB(t, admin, "hp_test_ensure")
	dsn, err := DatabaseURL(admin, name)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if databaseExists(t, admin, name) {
		t.Fatalf("%s exists before the test", name)
	}
	// Concurrent first calls (instances starting at once) all succeed.
	var wg sync.WaitGroup
	errc := make(chan error, 3)
	for range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); errc <- EnsureDatabase(ctx, dsn) }()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Errorf("EnsureDatabase: %v", err)
		}
	}
	if !databaseExists(t, admin, name) {
		t.Fatalf("%s was not created", name)
	}
	// Idempotent, and the database is usable.
	if err := EnsureDatabase(ctx, dsn); err != nil {
		t.Errorf("second EnsureDatabase: %v", err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to the created database: %v", err)
	}
	conn.Close(ctx)
}

func TestEnsureDatabaseErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tests := []struct {
		dsn, want string
	}{
		{"postgres://u@127.0.0.1:1/", "no database name"},
		{"://bad", "parse url"},
		{"postgres://u@127.0.0.1:1/x?sslmode=disable&connect_timeout=2", "connect"},
	}
	for _, tt := range tests {
		if err := EnsureDatabase(ctx, tt.dsn); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("EnsureDatabase(%q) = %v, want an error with %q", tt.dsn, err, tt.want)
		}
	}
}

func TestOpenService(t *testing.T) {
	t.Parallel() // each on databases of its own
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	t.Run("no PostgreSQL", func(t *testing.T) {
		pool, err := OpenService(ctx, ServiceDatabase{Name: "hostplane_x", Migrations: testMigrations}, Options{}, nil)
		if pool != nil || err != nil {
			t.Errorf("OpenService without URLs = %v, %v; want nil pool, nil error", pool, err)
		}
	})
	t.Run("shared server", func(t *testing.T) {
		admin := testenv.NeedPostgres(t)
		name := uniqueDB(t, admin, "hp_test_service")
		pool, err := OpenService(ctx, ServiceDatabase{Shared: admin, Name: name, Migrations: testMigrations}, Options{}, nil)
		if err != nil {
			t.Fatalf("OpenService: %v", err)
		}
		defer pool.Close()
		var db string
		if err := pool.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil || db != name {
			t.Errorf("pool is on %q (%v), want %q", db, err, name)
		}
		if got := appliedCounts(t, pool); got[1] != 1 || got[2] != 1 {
			t.Errorf("applied = %v, want migrations applied", got)
		}
	})
	t.Run("own database", func(t *testing.T) {
		own := pgtest.Fresh(t)
		pool, err := OpenService(ctx, ServiceDatabase{Own: own, Shared: "postgres://unused@127.0.0.1:1/x", Name: "ignored", Migrations: testMigrations}, Options{}, nil)
		if err != nil {
			t.Fatalf("OpenService: %v", err)
		}
		defer pool.Close()
		if got := appliedCounts(t, pool); got[1] != 1 {
			t.Errorf("applied = %v, want migrations applied", got)
		}
	})
	t.Run("broken migrations close the pool", func(t *testing.T) {
		own := pgtest.Fresh(t)
		_, err := OpenService(ctx, ServiceDatabase{Own: own, Migrations: fstestBroken()}, Options{}, nil)
		if err == nil {
			t.Fatal("want the migration error")
		}
	})
}

func TestOpenErrorsAndPing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := Open(ctx, "not a url ::", Options{}); err == nil || !strings.Contains(err.Error(), "parse url") {
		t.Errorf("Open(bad url) = %v", err)
	}
	start := time.Now()
	if _, err := Open(ctx, "postgres://u@127.0.0.1:1/x?sslmode=disable", Options{}); err == nil || !strings.Contains(err.Error(), "ping") {
		t.Errorf("Open(refused) = %v, want a ping error", err)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("Open(refused) took %s", d)
	}

	pool := openPool(t, db.URL(t))
	detail, err := Ping(pool)(ctx)
	if err != nil || !strings.HasSuffix(detail, "/4 conns") {
		t.Errorf("Ping = %q, %v; want \"n/4 conns\"", detail, err)
	}
	pool.Close()
	if _, err := Ping(pool)(ctx); err == nil {
		t.Error("Ping of a closed pool: want an error")
	}
}

func TestQueryTracer(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())
	tracer := tp.Tracer("pgkit-test")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pool, err := Open(ctx, db.URL(t), Options{Tracer: tracer, MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	// Untraced queries make no span (Open's own ping included).
	var n int
	if err := pool.QueryRow(ctx, "SELECT 1").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if got := len(exp.GetSpans()); got != 0 {
		t.Fatalf("%d spans for untraced queries, want 0", got)
	}

	tctx, span := tracer.Start(ctx, "request")
	if err := pool.QueryRow(tctx, "SELECT $1::int", 2).Scan(&n); err != nil {
		t.Fatal(err)
	}
	_ = pool.QueryRow(tctx, "SELECT 1 WHERE false").Scan(&n)          // no rows: not an error
	_, _ = pool.Exec(tctx, "SELECT * FROM no_such_table_for_tracing") // an error
	span.End()

	var sql []string
	for _, s := range exp.GetSpans() {
		if s.Name != "SQL" {
			continue
		}
		if s.Parent.SpanID() != span.SpanContext().SpanID() {
			t.Errorf("SQL span parent = %v, want the request span", s.Parent.SpanID())
		}
		var stmt string
		for _, kv := range s.Attributes {
			if kv.Key == "db.statement" {
				stmt = kv.Value.AsString()
			}
		}
		sql = append(sql, stmt)
		wantErr := strings.Contains(stmt, "no_such_table")
		if (s.Status.Code == codes.Error) != wantErr {
			t.Errorf("span of %q has status %v", stmt, s.Status)
		}
	}
	if strings.Join(sql, "|") != "SELECT $1::int|SELECT 1 WHERE false|SELECT * FROM no_such_table_for_tracing" {
		t.Errorf("SQL spans = %q", sql)
	}
}
