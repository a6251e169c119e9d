// Command seed fills the billing database at -db (already migrated by the
// billing service) with -n customers and their users, in batches, then
// fills their search words, rebuilds the search indexes and analyzes the
// tables. Names come from small
// lists so that searches hit realistic shares: "smith" matches about 2% of
// the customers. With -reuse, a database that already holds -n customers
// keeps them, less what registrations added since.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hostplane/hostplane/bench/billing"
)

func main() {
	dbURL := flag.String("db", "", "billing database URL")
	n := flag.Int("n", 1_000_000, "customers")
	batch := flag.Int("batch", 100_000, "customers per statement")
	reuse := flag.Bool("reuse", false, "keep a database that already holds n customers")
	flag.Parse()
	if err := run(context.Background(), *dbURL, *n, *batch, *reuse); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dbURL string, n, batch int, reuse bool) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var have int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM customers`).Scan(&have); err != nil {
		return fmt.Errorf("count (is the database migrated?): %w", err)
	}
	if reuse && have >= n {
		// What an earlier run's registrations added (ids above the seeded
		// ones) goes: the newest customers would otherwise be theirs,
		// none of them matching the searches measured.
		for _, q := range []string{
			`DELETE FROM payments`, `DELETE FROM memberships`, `DELETE FROM pricings`, `DELETE FROM products`,
			`DELETE FROM product_groups`, `DELETE FROM idempotency_keys`, `DELETE FROM outbox`,
			`DELETE FROM customers WHERE id > $1`, `DELETE FROM users WHERE id > $1`,
		} {
			args := []any{}
			if strings.Contains(q, "$1") {
				args = append(args, n)
			}
			if _, err := conn.Exec(ctx, q, args...); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		if have > n {
			for _, q := range []string{`VACUUM ANALYZE customers`, `VACUUM ANALYZE customer_words`, `VACUUM ANALYZE users`} {
				if _, err := conn.Exec(ctx, q); err != nil {
					return fmt.Errorf("%s: %w", q, err)
				}
			}
		}
		fmt.Fprintf(os.Stderr, "seed: %d customers already there (%d added since removed)\n", n, have-n)
		return nil
	}
	start := time.Now()
	for _, q := range []string{
		`TRUNCATE customers, users RESTART IDENTITY CASCADE`,
		`DROP INDEX IF EXISTS customers_search_trgm_idx`,
		// The customers' words (migration 00008) are filled in one
		// statement at the end, their indexes and key built after.
		`ALTER TABLE customers DISABLE TRIGGER customer_words_insert`,
		`ALTER TABLE customer_words DROP CONSTRAINT IF EXISTS customer_words_pkey,
			DROP CONSTRAINT IF EXISTS customer_words_customer_id_fkey`,
		`DROP INDEX IF EXISTS customer_words_customer_id_idx`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	first, last := billing.FirstNames(), billing.LastNames()
	for from := 1; from <= n; from += batch {
		to := min(from+batch-1, n)
		// Every value derives from g; dates spread over three years.
		if _, err := conn.Exec(ctx, `
			WITH g AS (
				SELECT g, $3::text[] AS f, $4::text[] AS l FROM generate_series($1::bigint, $2::bigint) g
			), p AS (
				SELECT g,
					f[1 + (g * 7) % array_length(f, 1)] AS fn,
					l[1 + (g * 13) % array_length(l, 1)] AS ln,
					(ARRAY['example.com', 'example.org', 'mail.example.net'])[1 + g % 3] AS dom,
					timestamptz '2023-11-25 00:00:00+00' + (g * interval '94 seconds') AS reg
				FROM g
			), u AS (
				INSERT INTO users (id, username, email, display_name, password_hash, date_created)
				SELECT g, fn || '.' || ln || g, fn || '.' || ln || g || '@' || dom, initcap(fn) || ' ' || initcap(ln),
					'$argon2id$v=19$m=7168,t=5,p=1$c2VlZHNlZWRzZWVkc2VlZA$c2VlZHNlZWRzZWVkc2VlZHNlZWRzZWVkc2VlZHNlZWQ', reg
				FROM p
				RETURNING id
			)
			INSERT INTO customers (id, user_id, type, email_verification, has_trialed, vip, ips, extra_information,
				signup_form, status, date_registered, date_created, date_modified, last_login, firstname, lastname,
				search_text)
			SELECT g, g, 'customer', (ARRAY['none', 'pending', 'verified'])[1 + g % 3], g % 5 = 0, g % 50 = 0, '{}', '',
				'by-admin', CASE WHEN g % 33 = 0 THEN 'suspended' WHEN g % 50 = 1 THEN 'pending' ELSE 'active' END,
				reg, reg, reg + (g % 1000) * interval '1 hour', CASE WHEN g % 4 = 0 THEN NULL ELSE reg + interval '1 day' END,
				initcap(fn), initcap(ln),
				lower(concat_ws(chr(31), fn || '.' || ln || g, fn || '.' || ln || g || '@' || dom,
					initcap(fn) || ' ' || initcap(ln), '', initcap(fn), initcap(ln), ''))
			FROM p`, from, to, first, last); err != nil {
			return fmt.Errorf("batch %d-%d: %w", from, to, err)
		}
		fmt.Fprintf(os.Stderr, "seed: %d customers (%s)\n", to, time.Since(start).Round(time.Second))
	}
	for _, q := range []string{
		`SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`,
		`SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT max(id) FROM customers))`,
		`CREATE INDEX customers_search_trgm_idx ON customers USING gin (search_text gin_trgm_ops)`,
		`ALTER TABLE customers ENABLE TRIGGER customer_words_insert`,
		`INSERT INTO customer_words (word, customer_id, status, email_verification)
			SELECT w, c.id, c.status, c.email_verification FROM customers c, customer_words_of(c.search_text) w`,
		`INSERT INTO customer_word_dict (word) SELECT DISTINCT word FROM customer_words ON CONFLICT DO NOTHING`,
		`ALTER TABLE customer_words ADD CONSTRAINT customer_words_pkey PRIMARY KEY (word, customer_id) INCLUDE (status, email_verification),
			ADD CONSTRAINT customer_words_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE`,
		`CREATE INDEX customer_words_customer_id_idx ON customer_words (customer_id)`,
		`VACUUM ANALYZE customer_words`,
		`VACUUM ANALYZE customer_word_dict`,
		`VACUUM ANALYZE users`,
		`VACUUM ANALYZE customers`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	fmt.Fprintf(os.Stderr, "seed: %d customers in %s\n", n, time.Since(start).Round(time.Second))
	return nil
}
