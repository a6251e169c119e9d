package e2e

import (
	"context"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/jackc/pgx/v5"
)

// tenancyStack is what a stack's tenancy service is configured with.
type tenancyStack struct {
	tenancyDB, hostingDB string
	servers              []string // admin URLs of the tenant servers
	key                  []byte
	prefix, kvPrefix     string
}

// tenancyConfigs remembers each test's tenancy configuration.
var (
	tenancyMu      sync.Mutex
	tenancyConfigs = map[testing.TB]*tenancyStack{}
)

// tenancyOf is the tenancy configuration of t's stack.
func tenancyOf(t testing.TB) *tenancyStack {
	tenancyMu.Lock()
	defer tenancyMu.Unlock()
	return tenancyConfigs[t]
}

// secondServerURL is the second PostgreSQL deploy/local starts (tenant
// placement).
func secondServerURL() string {
	if u := os.Getenv("HOSTPLANE_TEST_DATABASE2_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5433/postgres?sslmode=disable"
}

// tenancyEnv gives a stack's tenancy service real PostgreSQL: its own
// database, a fresh shared hosting database, both test servers for
// placement (the second when it answers), a key, and a name prefix and KV
// prefix of its own; every tenant database and role is dropped at the end.
func tenancyEnv(t *testing.T) []string {
	t.Helper()
	ts := &tenancyStack{
		servers: []string{testenv.PostgresAdminURL()},
		prefix:  "e" + randomHex(4) + "_",
	}
	ts.kvPrefix = "hostplane-e2e/" + ts.prefix + "/"
	ts.key, _ = hex.DecodeString(randomHex(32))
	if c, err := pgx.Connect(context.Background(), secondServerURL()); err == nil {
		_ = c.Close(context.Background())
		ts.servers = append(ts.servers, secondServerURL())
	}
	t.Cleanup(func() { dropTenants(t, ts) }) // after the processes stop
	ts.tenancyDB, ts.hostingDB = pgtest.Fresh(t), pgtest.Fresh(t)
	tenancyMu.Lock()
	tenancyConfigs[t] = ts
	tenancyMu.Unlock()
	return []string{
		"HOSTPLANE_TENANCY_DATABASE_URL=" + ts.tenancyDB,
		"HOSTPLANE_HOSTING_DATABASE_URL=" + ts.hostingDB,
		"HOSTPLANE_TENANT_DATABASE_URLS=" + strings.Join(ts.servers, ","),
		"HOSTPLANE_TENANCY_KEY=" + hex.EncodeToString(ts.key),
		"HOSTPLANE_TENANCY_NAME_PREFIX=" + ts.prefix,
		"HOSTPLANE_TENANCY_KV_PREFIX=" + ts.kvPrefix,
	}
}

// dropTenants drops what a stack's tenancy left on the servers.
func dropTenants(t *testing.T, ts *tenancyStack) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pattern := strings.ReplaceAll(ts.prefix, "_", `\_`) + "%"
	for _, u := range ts.servers {
		c, err := pgx.Connect(ctx, u)
		if err != nil {
			continue
		}
		for _, q := range []string{
			`SELECT 'DROP DATABASE IF EXISTS ' || quote_ident(datname) || ' WITH (FORCE)' FROM pg_database WHERE datname LIKE $1`,
			`SELECT 'DROP OWNED BY ' || quote_ident(rolname) || '; DROP ROLE ' || quote_ident(rolname) FROM pg_roles WHERE rolname LIKE $1`,
		} {
			rows, err := c.Query(ctx, q, pattern)
			if err != nil {
				continue
			}
			stmts, _ := pgx.CollectRows(rows, pgx.RowTo[string])
			for _, s := range stmts {
				for _, one := range strings.Split(s, "; ") {
					if _, err := c.Exec(ctx, one); err != nil {
						t.Logf("e2e cleanup: %s: %v", one, err)
					}
				}
			}
		}
		_ = c.Close(ctx)
	}
	tenancyMu.Lock()
	delete(tenancyConfigs, t)
	tenancyMu.Unlock()
}

// databaseURL is admin URL u on database name.
func databaseURL(u, name string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.Path = "/" + name
	return p.String()
}
