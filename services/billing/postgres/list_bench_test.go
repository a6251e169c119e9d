package postgres_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/postgres"
)

// BenchmarkCustomerList runs the wu customer lists of the billing
// performance target (page 1 and page 500 of 20, with search and orderby)
// on HOSTPLANE_BENCH_CUSTOMERS customers (100,000 unless set; the target
// names 1,000,000), with the store's list cache warm (paging through one
// search) and cold (a new store each call), and reports the p99 of each.
//
//	go test -run '^$' -bench CustomerList -benchtime 200x ./postgres/
func BenchmarkCustomerList(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("HOSTPLANE_BENCH_CUSTOMERS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	// HOSTPLANE_BENCH_BILLING_DB names a billing database already migrated
	// and seeded (bench/billing/seed: 1,000,000 customers in minutes),
	// used as it is; unset, a fresh database is seeded here.
	dsn, seeded := os.LookupEnv("HOSTPLANE_BENCH_BILLING_DB")
	if !seeded {
		dsn = pgtest.Fresh(b)
	}
	pool, err := pgkit.Open(ctx, dsn, pgkit.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		b.Fatal(err)
	}
	if !seeded {
		seedCustomers(b, pool, n)
	}

	search := "mar" // mary, marie, martin, martinez, …: about a fifth
	if seeded {
		search = "smith" // bench/billing/seed: 2%
	}
	for _, tt := range []struct {
		name string
		f    customers.ListFilter
	}{
		{"page1_search_orderby", customers.ListFilter{Search: search, OrderBy: customers.ByDateRegistered, Desc: true, Limit: 20}},
		{"page500_search_orderby", customers.ListFilter{Search: search, OrderBy: customers.ByDateRegistered, Desc: true, Offset: 499 * 20, Limit: 20}},
		{"page1_orderby", customers.ListFilter{OrderBy: customers.ByLastLogin, Desc: true, Limit: 20}},
		{"page500_orderby", customers.ListFilter{OrderBy: customers.ByLastLogin, Desc: true, Offset: 499 * 20, Limit: 20}},
		{"page1_search_status", customers.ListFilter{Search: search, Status: customers.StatusSuspended, Limit: 20}},
	} {
		for _, cold := range []bool{false, true} {
			name := tt.name + "/warm"
			if cold {
				name = tt.name + "/cold"
			}
			b.Run(name, func(b *testing.B) {
				s := postgres.NewCustomers(pool)
				var took []time.Duration
				for b.Loop() {
					if cold {
						s = postgres.NewCustomers(pool)
					}
					start := time.Now()
					page, total, err := s.List(ctx, tt.f)
					took = append(took, time.Since(start))
					if err != nil || total == 0 || (tt.f.Offset < total && len(page) == 0) {
						b.Fatalf("%d of %d: %v", len(page), total, err)
					}
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			})
		}
	}
}

// seedCustomers inserts n customers and their users in one statement per
// 50,000, names drawn from small lists so that searches match many.
func seedCustomers(b *testing.B, pool *pgxpool.Pool, n int) {
	b.Helper()
	ctx := context.Background()
	first := []string{"mary", "john", "marie", "pierre", "linda", "lucas", "emma", "hugo", "sarah", "louis", "james", "jean"}
	last := []string{"smith", "martin", "bernard", "dubois", "garcia", "martinez", "lee", "brown", "moreau", "durand",
		"wilson", "taylor", "lopez", "clark", "young", "roux", "fontaine", "blanc", "petit", "leroy"}
	for from := 1; from <= n; from += 50_000 {
		to := min(from+49_999, n)
		if _, err := pool.Exec(ctx, `
			WITH p AS (
				SELECT g, $3::text[] AS fs, $4::text[] AS ls,
					timestamptz '2024-01-01 00:00:00+00' + g * interval '61 seconds' AS reg
				FROM generate_series($1::bigint, $2::bigint) g
			), q AS (
				SELECT g, reg, fs[1 + g % array_length(fs, 1)] AS fn, ls[1 + (g / 7) % array_length(ls, 1)] AS ln FROM p
			), u AS (
				INSERT INTO users (id, username, email, display_name, password_hash, date_created)
				SELECT g, fn || ln || g, fn || '.' || ln || g || '@example.com', initcap(fn) || ' ' || initcap(ln), 'x', reg FROM q
			)
			INSERT INTO customers (id, user_id, status, email_verification, date_registered, date_created, date_modified,
				last_login, firstname, lastname, search_text)
			SELECT g, g, CASE WHEN g % 30 = 0 THEN 'suspended' ELSE 'active' END, 'none', reg, reg, reg,
				CASE WHEN g % 4 = 0 THEN NULL ELSE reg + (g % 97) * interval '1 hour' END, initcap(fn), initcap(ln),
				lower(concat_ws(chr(31), fn || ln || g, fn || '.' || ln || g || '@example.com',
					initcap(fn) || ' ' || initcap(ln), '', initcap(fn), initcap(ln), ''))
			FROM q`, from, to, first, last); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{
		`SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`,
		`SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT max(id) FROM customers))`,
		`VACUUM ANALYZE users`, `VACUUM ANALYZE customers`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}
