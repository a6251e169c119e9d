package postgres_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/sites/postgres"
	"github.com/hostplane/hostplane/services/sites/storetest"
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

func TestContract(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	storetest.Run(t, func(t *testing.T) storetest.Stores {
		if _, err := pool.Exec(ctx, "TRUNCATE sites, domains, jobs, backups, idempotency, outbox, processed_events RESTART IDENTITY CASCADE"); err != nil {
			t.Fatal(err)
		}
		return storetest.Stores{
			Sites: postgres.NewSites(pool), Domains: postgres.NewDomains(pool), Jobs: postgres.NewJobs(pool),
			Backups: postgres.NewBackups(pool),
			Events: func(t *testing.T) []string {
				rows, err := pool.Query(ctx, "SELECT type FROM outbox ORDER BY seq")
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var out []string
				for rows.Next() {
					var s string
					if err := rows.Scan(&s); err != nil {
						t.Fatal(err)
					}
					out = append(out, s)
				}
				return out
			},
		}
	})
}

// TestTermSearchUsesTrigramIndex asks the planner, sequential scans off,
// whether a term search can use the trigram index, on sites and on its
// narrow copy.
func TestTermSearchUsesTrigramIndex(t *testing.T) {
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
	for table, index := range map[string]string{"sites": "sites_search_trgm_idx", "site_search": "site_search_trgm_idx"} {
		var plan strings.Builder
		rows, err := conn.Query(ctx, `EXPLAIN SELECT id FROM `+table+` WHERE search LIKE '%bakery%'`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			_ = rows.Scan(&line)
			plan.WriteString(line + "\n")
		}
		rows.Close()
		if !strings.Contains(plan.String(), index) {
			t.Fatalf("term search on %s does not use %s:\n%s", table, index, plan.String())
		}
	}
}

func TestRunner(t *testing.T) {
	pool := migrated(t)
	if _, err := pool.Exec(context.Background(), "TRUNCATE jobs, idempotency RESTART IDENTITY"); err != nil {
		t.Fatal(err)
	}
	storetest.Runner(t, postgres.NewJobs(pool))
}
