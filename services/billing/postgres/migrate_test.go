package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/postgres"
	"github.com/jackc/pgx/v5"
)

// TestMigrateWithoutSuperuser migrates as a role that may not create
// extensions: the migration still applies, without trigram indexes, and
// search still works.
func TestMigrateWithoutSuperuser(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.Fresh(t)
	var b [4]byte
	_, _ = rand.Read(b[:])
	role, secret := "hp_test_role_"+hex.EncodeToString(b[:]), hex.EncodeToString(b[:])+"-pw"

	admin, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	ident := pgx.Identifier{role}.Sanitize()
	for _, q := range []string{
		"CREATE ROLE " + ident + " LOGIN NOSUPERUSER NOCREATEDB PASSWORD '" + secret + "'",
		"GRANT USAGE, CREATE ON SCHEMA public TO " + ident,
		"REVOKE CREATE ON DATABASE " + pgx.Identifier{dbName(t, dbURL)}.Sanitize() + " FROM PUBLIC",
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		// Runs before pgtest drops the database: free the role first.
		c, err := pgx.Connect(ctx, dbURL)
		if err != nil {
			t.Log(err)
			return
		}
		defer c.Close(ctx)
		for _, q := range []string{"DROP OWNED BY " + ident, "DROP ROLE " + ident} {
			if _, err := c.Exec(ctx, q); err != nil {
				t.Logf("%s: %v", q, err)
			}
		}
	})

	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(role, secret)
	pool, err := pgkit.Open(ctx, u.String(), pgkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		t.Fatalf("migrate as %s: %v", role, err)
	}
	var trgm bool
	if err := pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')").Scan(&trgm); err != nil {
		t.Fatal(err)
	}
	if trgm {
		t.Fatal("pg_trgm was created by a role without CREATE on the database")
	}

	s := postgres.NewCustomers(pool)
	c := &customers.Customer{
		User: customers.User{Username: "bob.smith", Email: "bob@example.com", PasswordHash: "x"},
		Type: "customer", EmailVerification: "none", Status: "active", SignupForm: "by-admin",
	}
	if err := s.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, total, err := s.List(ctx, customers.ListFilter{Search: "SMITH"})
	if err != nil || total != 1 || len(got) != 1 || got[0].ID != c.ID {
		t.Fatalf("search without trigram indexes: %v %d %v", got, total, err)
	}
}

func dbName(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path[1:]
}
