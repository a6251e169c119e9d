package pgtest

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/jackc/pgx/v5"
)

var db = New()

func TestMain(m *testing.M) { os.Exit(db.Main(m)) }

func dbName(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func exists(t *testing.T, admin, name string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestPackageDatabase(t *testing.T) {
	admin := testenv.NeedPostgres(t)
	u := db.URL(t)
	name := dbName(t, u)
	if !strings.HasPrefix(name, "hp_test_") || !exists(t, admin, name) {
		t.Fatalf("package database %q does not exist", name)
	}
	if u2 := db.URL(t); u2 != u {
		t.Errorf("URL changed between calls: %q then %q", u, u2)
	}
}

func TestFresh(t *testing.T) {
	admin := testenv.NeedPostgres(t)
	var names []string
	var conns []*pgx.Conn
	defer func() {
		for _, c := range conns {
			c.Close(context.Background())
		}
	}()
	t.Run("inner", func(t *testing.T) {
		a, b := Fresh(t), Fresh(t)
		if a == b {
			t.Fatalf("Fresh returned %q twice", a)
		}
		for _, u := range []string{a, b} {
			name := dbName(t, u)
			names = append(names, name)
			if !exists(t, admin, name) {
				t.Errorf("%s does not exist", name)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			conn, err := pgx.Connect(ctx, u)
			cancel()
			if err != nil {
				t.Fatalf("connect %s: %v", name, err)
			}
			// The connection stays open past the test: the drop must not
			// be blocked by it.
			conns = append(conns, conn)
			if _, err := conn.Exec(context.Background(), "CREATE TABLE t (id int)"); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		if names[0] == names[1] {
			t.Errorf("same database twice: %s", names[0])
		}
		if u := db.URL(t); dbName(t, u) == names[0] || dbName(t, u) == names[1] {
			t.Errorf("Fresh returned the package database")
		}
	})
	if len(names) != 2 {
		t.Fatal("inner test did not create two databases")
	}
	for _, name := range names {
		if exists(t, admin, name) {
			t.Errorf("%s still exists after its test", name)
		}
	}
}

func TestURLWithoutMain(t *testing.T) {
	t.Setenv("HOSTPLANE_TEST_REQUIRE", "")
	var skipped bool
	t.Run("skips", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		New().URL(t)
	})
	if !skipped {
		t.Error("URL of a DB whose Main did not run: want a skip when PostgreSQL is not required")
	}
}
