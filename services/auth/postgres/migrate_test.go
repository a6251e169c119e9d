package postgres_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/auth/postgres"
)

// TestMigrateKeepsExistingKeys applies the first migration, stores keys
// as the first release did, then the rest: every key keeps its account,
// which exists.
func TestMigrateKeepsExistingKeys(t *testing.T) {
	ctx := context.Background()
	pool, err := pgkit.Open(ctx, pgtest.Fresh(t), pgkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	first, err := fs.ReadFile(postgres.Migrations(), "00001_keys.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := pgkit.Migrate(ctx, pool, fstest.MapFS{"00001_keys.sql": {Data: first}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO api_keys (account_id, name, email, api_key, secret_hash)
		VALUES (1, 'root', 'r@example.com', 'k1', '\x00'), (5, 'reseller', 'x@example.com', 'k2', '\x00')`); err != nil {
		t.Fatal(err)
	}
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM api_keys k JOIN accounts a ON a.id = k.account_id
		WHERE (k.api_key = 'k1' AND a.type = 'operator') OR (k.api_key = 'k2' AND a.type = 'reseller')`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("keys with their accounts: %d %v", n, err)
	}
	var next int64
	if err := pool.QueryRow(ctx, `INSERT INTO accounts (type) VALUES ('reseller') RETURNING id`).Scan(&next); err != nil || next != 6 {
		t.Fatalf("next account id %d %v, want 6", next, err)
	}
}
