// Package tenancytest gives tests of the tenancy service a PostgreSQL side
// of their own: a fresh shared hosting database, the tenant servers (the
// main test server and, when reachable, the second one deploy/local starts
// on port 5433) and a random name prefix, so that tests running at once
// never share a tenant database or role; everything named with the prefix
// is dropped when the test ends.
package tenancytest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/jackc/pgx/v5"
)

// Env is a test's PostgreSQL side.
type Env struct {
	// HostingURL is a fresh shared hosting database on the main server.
	HostingURL string
	// ServerURLs are admin URLs of the tenant servers: the main one, then
	// the second one when Second.
	ServerURLs []string
	Second     bool
	// Prefix names the test's tenant databases and roles.
	Prefix string
}

// SecondServerURL is the admin URL of the second test server
// (HOSTPLANE_TEST_DATABASE2_URL, default 127.0.0.1:5433).
func SecondServerURL() string {
	if u := os.Getenv("HOSTPLANE_TEST_DATABASE2_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5433/postgres?sslmode=disable"
}

// New prepares an Env, or skips t (fails it under HOSTPLANE_TEST_REQUIRE)
// without PostgreSQL. The second server is optional unless needSecond.
func New(t testing.TB, needSecond bool) *Env {
	t.Helper()
	admin := testenv.NeedPostgres(t)
	e := &Env{ServerURLs: []string{admin}, Prefix: "t" + randomHex(4) + "_"}
	second := SecondServerURL()
	if err := ping(second); err == nil {
		e.ServerURLs = append(e.ServerURLs, second)
		e.Second = true
	} else if needSecond {
		testenv.Unavailable(t, testenv.Postgres, err)
	}
	t.Cleanup(func() { e.Cleanup(t) })
	e.HostingURL = pgtest.Fresh(t) // dropped before Cleanup runs (LIFO)
	return e
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func ping(u string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	return c.Close(ctx)
}

// Cleanup drops every database and role named with the prefix.
func (e *Env) Cleanup(t testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pattern := strings.NewReplacer("_", `\_`).Replace(e.Prefix) + "%"
	for _, u := range e.ServerURLs {
		c, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Logf("tenancytest: cleanup %s: %v", Host(u), err)
			continue
		}
		dbs, _ := names(ctx, c, `SELECT datname FROM pg_database WHERE datname LIKE $1`, pattern)
		for _, d := range dbs {
			if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{d}.Sanitize()+" WITH (FORCE)"); err != nil {
				t.Logf("tenancytest: drop database %s: %v", d, err)
			}
		}
		roles, _ := names(ctx, c, `SELECT rolname FROM pg_roles WHERE rolname LIKE $1`, pattern)
		for _, r := range roles {
			id := pgx.Identifier{r}.Sanitize()
			_, _ = c.Exec(ctx, "DROP OWNED BY "+id)
			if _, err := c.Exec(ctx, "DROP ROLE IF EXISTS "+id); err != nil {
				t.Logf("tenancytest: drop role %s: %v", r, err)
			}
		}
		_ = c.Close(ctx)
	}
}

func names(ctx context.Context, c *pgx.Conn, q string, args ...any) ([]string, error) {
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// Host is host:port of a URL.
func Host(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Host
}

// DatabaseURL is admin URL u with database name.
func DatabaseURL(u, name string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.Path = "/" + name
	return p.String()
}

// Connect opens a connection closed at the end of t.
func Connect(t testing.TB, u string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatalf("connect %s: %v", Host(u), err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

// Exec runs statements on u, failing t on error.
func Exec(t testing.TB, u string, stmts ...string) {
	t.Helper()
	c := Connect(t, u)
	for _, s := range stmts {
		if _, err := c.Exec(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// Rows returns the text of every row of query on u, sorted by the query.
func Rows(t testing.TB, u, query string) []string {
	t.Helper()
	c := Connect(t, u)
	got, err := names(context.Background(), c, query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return got
}
