package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/postgres"
	"github.com/hostplane/hostplane/services/stats/storetest"
	"github.com/hostplane/hostplane/services/stats/traffic"
	"github.com/jackc/pgx/v5/pgxpool"
)

var db = pgtest.New()

func TestMain(m *testing.M) { os.Exit(db.Main(m)) }

// freshB is fresh for benchmarks.
func freshB(b *testing.B) *postgres.Store {
	b.Helper()
	ctx := context.Background()
	pool := openTB(b)
	if _, err := pool.Exec(ctx, `TRUNCATE events, daily RESTART IDENTITY`); err != nil {
		b.Fatal(err)
	}
	return postgres.New(pool)
}

// fresh returns a store over the package database, emptied.
func fresh(t *testing.T) *postgres.Store {
	t.Helper()
	ctx := context.Background()
	pool := open(t)
	if _, err := pool.Exec(ctx, `TRUNCATE events, daily, daily_sales, customer_hits, orders, form_responses, stock, forms,
		site_users, ingest_keys, activity, processed_events, customers, memberships, payments, sites RESTART IDENTITY`); err != nil {
		t.Fatal(err)
	}
	return postgres.New(pool)
}

var pools = map[string]*pgxpool.Pool{}

// open returns the migrated pool of the package database.
func open(t *testing.T) *pgxpool.Pool { return openTB(t) }

func openTB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	url := db.URL(t)
	if p, ok := pools[url]; ok {
		return p
	}
	ctx := context.Background()
	pool, err := pgkit.Open(ctx, url, pgkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	pools[url] = pool
	return pool
}

func TestTrafficContract(t *testing.T) {
	storetest.Traffic(t, func(t *testing.T) traffic.Store { return fresh(t) })
}

func TestActivityContract(t *testing.T) {
	storetest.Activity(t, func(t *testing.T) activity.Store { return fresh(t) })
}

func TestProjectionContract(t *testing.T) {
	storetest.Projection(t, func(t *testing.T) storetest.Store { return fresh(t) })
}
