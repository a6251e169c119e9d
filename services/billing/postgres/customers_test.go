package postgres_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/postgres"
	"github.com/hostplane/hostplane/services/billing/storetest"
	"github.com/jackc/pgx/v5/pgxpool"
)

var db = pgtest.New()

func TestMain(m *testing.M) { os.Exit(db.Main(m)) }

func migrated(t *testing.T) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	pool, err := pgkit.Open(ctx, db.URL(t), pgkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	return pool
}

// reset empties every table, so that each subtest starts fresh.
func reset(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `TRUNCATE customers, users, product_groups, products, pricings,
		memberships, payments, outbox, idempotency_keys RESTART IDENTITY CASCADE; ALTER SEQUENCE invoice_numbers RESTART`); err != nil {
		t.Fatal(err)
	}
}

func TestCustomersContract(t *testing.T) {
	pool := migrated(t)
	storetest.Customers(t, func(t *testing.T) customers.Store {
		reset(t, pool)
		return postgres.NewCustomers(pool)
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

// TestListQueriesUseIndexes checks that the indexes the list queries rely
// on exist: btree indexes for every date ordering and filter, lower(email)
// for uniqueness, and trigram indexes for search (pg_trgm is available to
// the test server's superuser).
func TestListQueriesUseIndexes(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('customers', 'users')`)
	if err != nil {
		t.Fatal(err)
	}
	defs := map[string]string{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		defs[name] = def
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"customers_date_created_idx":       "(date_created, id)",
		"customers_date_registered_idx":    "(date_registered, id)",
		"customers_date_modified_idx":      "(date_modified, id)",
		"customers_last_login_idx":         "(last_login, id)",
		"customers_user_id_key":            "(user_id)",
		"customers_vip_idx":                "(vip, id)",
		"customers_email_verification_idx": "(email_verification, id)",
		"users_email_lower_key":            "lower(email)",
		"users_username_key":               "(username)",
		"customers_search_trgm_idx":        "gin_trgm_ops",
	} {
		if !strings.Contains(defs[name], want) {
			t.Errorf("index %s = %q, want it to contain %q", name, defs[name], want)
		}
	}
}

// TestSearchUsesTrigramIndex asks the planner, with sequential scans
// disabled, whether a search can use the trigram index at all.
func TestSearchUsesTrigramIndex(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SET enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, "RESET enable_seqscan")
	var plan strings.Builder
	rows, err := conn.Query(ctx, `EXPLAIN SELECT id FROM customers WHERE search_text LIKE '%smith%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	if !strings.Contains(plan.String(), "trgm_idx") {
		t.Fatalf("search does not use a trigram index:\n%s", plan.String())
	}
}
