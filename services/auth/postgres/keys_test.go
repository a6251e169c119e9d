package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/postgres"
	"github.com/hostplane/hostplane/services/auth/storetest"
)

var db = pgtest.New()

func TestMain(m *testing.M) { os.Exit(db.Main(m)) }

func TestKeysContract(t *testing.T) {
	url := db.URL(t)
	ctx := context.Background()
	pool, err := pgkit.Open(ctx, url, pgkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	storetest.Keys(t, func(t *testing.T) keys.Store {
		if _, err := pool.Exec(ctx, "TRUNCATE api_keys RESTART IDENTITY"); err != nil {
			t.Fatal(err)
		}
		return postgres.NewKeys(pool)
	})
}

func TestMigrateTwiceConcurrently(t *testing.T) {
	url := db.URL(t)
	ctx := context.Background()
	errc := make(chan error, 2)
	for range 2 {
		go func() {
			pool, err := pgkit.Open(ctx, url, pgkit.Options{})
			if err != nil {
				errc <- err
				return
			}
			defer pool.Close()
			errc <- postgres.Migrate(ctx, pool, nil)
		}()
	}
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
}
