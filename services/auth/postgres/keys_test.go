package postgres_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/auth/activity"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/postgres"
	"github.com/hostplane/hostplane/services/auth/storetest"
	"github.com/jackc/pgx/v5/pgxpool"
)

var db = pgtest.New()

func TestMain(m *testing.M) { os.Exit(db.Main(m)) }

// migrated opens the package database, migrated.
func migrated(t *testing.T) *pgxpool.Pool {
	t.Helper()
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
	return pool
}

// reset empties every table but leaves the operator's account, as the
// migration makes it.
func reset(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `TRUNCATE key_activity, key_activity_counts, api_keys, settings, installation, accounts RESTART IDENTITY`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO accounts (id, type) VALUES (1, 'operator');
		SELECT setval(pg_get_serial_sequence('accounts', 'id'), 1)`); err != nil {
		t.Fatal(err)
	}
}

func TestKeysContract(t *testing.T) {
	pool := migrated(t)
	storetest.Keys(t, func(t *testing.T) keys.Store {
		reset(t, pool)
		return postgres.NewKeys(pool)
	})
}

func TestAuthContract(t *testing.T) {
	pool := migrated(t)
	storetest.Auth(t, func(t *testing.T) storetest.Stores {
		reset(t, pool)
		return storetest.Stores{Keys: postgres.NewKeys(pool), Accounts: postgres.NewAccounts(pool),
			Settings: postgres.NewSettings(pool), Activity: postgres.NewActivity(pool), Installation: postgres.NewInstallation(pool)}
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

// TestActivityRowsBounded: a key's rows are trimmed back to activity.Keep
// once past the slack, and the count that decides it stays exact.
func TestActivityRowsBounded(t *testing.T) {
	pool := migrated(t)
	reset(t, pool)
	ctx := context.Background()
	k := &keys.Key{AccountID: 1, Name: "busy", Email: "b@example.com", APIKey: keys.NewAPIKey(), SecretHash: keys.HashSecret("s"), Permissions: []string{"*"}}
	if err := postgres.NewKeys(pool).Create(ctx, k); err != nil {
		t.Fatal(err)
	}
	store := postgres.NewActivity(pool)
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for b := range 7 {
		calls := make([]activity.Call, 500)
		for i := range calls {
			calls[i] = activity.Call{KeyID: k.ID, Method: "GET", Path: "/", Status: 200, At: at.Add(time.Duration(b*500+i) * time.Millisecond)}
		}
		if _, err := store.Append(ctx, calls); err != nil {
			t.Fatal(err)
		}
		var rows, counted int
		if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM key_activity), (SELECT n FROM key_activity_counts WHERE key_id = $1)`, k.ID).Scan(&rows, &counted); err != nil {
			t.Fatal(err)
		}
		if rows > activity.Keep+postgres.ActivitySlack || rows != counted {
			t.Fatalf("after batch %d: %d rows, counted %d", b, rows, counted)
		}
	}
	got, total, err := store.List(ctx, k.ID, 990, 50)
	if err != nil || total != activity.Keep || len(got) != 10 || !got[9].At.Equal(at.Add(2500*time.Millisecond)) {
		t.Fatalf("last page: %d calls, total %d, %v", len(got), total, err)
	}
}

// TestActivityConcurrentBatches: gateways report at the same time about
// the same keys, in opposite key orders: no deadlock, no call lost below
// activity.Keep, and the counts stay exact.
func TestActivityConcurrentBatches(t *testing.T) {
	pool := migrated(t)
	reset(t, pool)
	ctx := context.Background()
	var ids []int64
	for _, name := range []string{"a", "b"} {
		k := &keys.Key{AccountID: 1, Name: name, Email: name + "@example.com", APIKey: keys.NewAPIKey(), SecretHash: keys.HashSecret("s"), Permissions: []string{"*"}}
		if err := postgres.NewKeys(pool).Create(ctx, k); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, k.ID)
	}
	store := postgres.NewActivity(pool)
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	const gateways, batches, perKey = 4, 3, 150
	errc := make(chan error, gateways)
	for g := range gateways {
		go func() {
			for b := range batches {
				var calls []activity.Call
				for i := range perKey {
					for j := range ids {
						id := ids[(j+g)%len(ids)] // every other gateway starts with the other key
						calls = append(calls, activity.Call{KeyID: id, Method: "GET", Path: "/", Status: 200,
							At: at.Add(time.Duration((g*batches+b)*perKey+i) * time.Millisecond)})
					}
				}
				if _, err := store.Append(ctx, calls); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for range gateways {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		var rows, counted int
		if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM key_activity WHERE key_id = $1), (SELECT n FROM key_activity_counts WHERE key_id = $1)`, id).Scan(&rows, &counted); err != nil {
			t.Fatal(err)
		}
		if rows != counted || rows < activity.Keep || rows > activity.Keep+postgres.ActivitySlack {
			t.Fatalf("key %d: %d rows, counted %d", id, rows, counted)
		}
		got, total, err := store.List(ctx, id, 0, 1)
		if err != nil || total != activity.Keep || !got[0].At.Equal(at.Add(time.Duration(gateways*batches*perKey-1)*time.Millisecond)) {
			t.Fatalf("key %d: total %d, newest %v, %v", id, total, got, err)
		}
	}
}
