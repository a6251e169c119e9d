// Command seed fills the billing database at -db (already migrated by the
// billing service) with -n customers and their users, in batches, then
// rebuilds the search index and analyzes the tables. Names come from small
// lists so that searches hit realistic shares: "smith" matches about 2% of
// the customers. With -reuse, a database that already holds -n customers is
// left as it is.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
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

// first and last names: last names contain "smith" twice in 100.
var first = []string{"james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "william", "elizabeth",
	"david", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles", "karen", "marie", "jean",
	"pierre", "louise", "lucas", "emma", "hugo", "lea", "louis", "chloe"}

func lastNames() []string {
	base := []string{"smith", "smithson", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez",
		"martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
		"lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young",
		"allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores", "green", "adams", "nelson", "baker", "hall",
		"rivera", "campbell", "mitchell", "carter", "roberts", "bernard", "dubois", "durand", "lefebvre", "leroy", "moreau",
		"simon", "laurent", "michel", "garnier", "faure", "rousseau", "blanc", "guerin", "muller", "henry", "roussel",
		"nicolas", "perrin", "morin", "mathieu", "clement", "gauthier", "dumont", "lopes", "fontaine", "chevalier", "robin",
		"masson", "sanchez", "boyer", "denis", "lemaire", "duval", "joly", "gautier", "roger", "roche", "roy", "noel",
		"meyer", "lucas", "meunier", "jean", "perez", "marchand", "dufour", "blanchard", "marie"}
	return base[:100]
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
		fmt.Fprintf(os.Stderr, "seed: %d customers already there\n", have)
		return nil
	}
	start := time.Now()
	for _, q := range []string{
		`TRUNCATE customers, users RESTART IDENTITY CASCADE`,
		`DROP INDEX IF EXISTS customers_search_trgm_idx`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	last := lastNames()
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
