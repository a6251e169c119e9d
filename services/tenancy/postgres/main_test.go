package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/tenancy/postgres"
	"github.com/jackc/pgx/v5/pgxpool"
)

var db = pgtest.New()

func TestMain(m *testing.M) { os.Exit(db.Main(m)) }

func migrated(t *testing.T) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	pool, err := pgkit.Open(ctx, db.URL(t), pgkit.Options{MaxConns: 30})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	return pool
}
