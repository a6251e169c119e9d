package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/postgres"
)

// wantCounted checks the totals of lists by status and email verification
// against counting the table itself.
func wantCounted(t *testing.T, pool *pgxpool.Pool, s *postgres.Customers) {
	t.Helper()
	ctx := context.Background()
	for _, f := range []customers.ListFilter{{}, {Status: "active"}, {Status: "suspended"}, {Status: "pending"},
		{EmailVerification: "verified"}, {Status: "suspended", EmailVerification: "pending"}} {
		var want int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM customers
			WHERE ($1 = '' OR status = $1) AND ($2 = '' OR email_verification = $2)`, f.Status, f.EmailVerification).Scan(&want); err != nil {
			t.Fatal(err)
		}
		f.Limit = 1
		if _, got, err := s.List(ctx, f); err != nil || got != want {
			t.Fatalf("List(%+v) total %d, %v; the table has %d", f, got, err, want)
		}
	}
}

// TestCustomerCountsFollowBulkWrites writes customers in SQL statements of
// many rows (as bench/billing/seed does), folds the counts, and truncates.
func TestCustomerCountsFollowBulkWrites(t *testing.T) {
	pool := migrated(t)
	reset(t, pool)
	ctx := context.Background()
	s := postgres.NewCustomers(pool)
	if _, err := pool.Exec(ctx, `
		WITH u AS (
			INSERT INTO users (id, username, email, password_hash)
			SELECT g, 'u' || g, 'u' || g || '@example.com', 'x' FROM generate_series(1, 500) g
		)
		INSERT INTO customers (id, user_id, status, email_verification)
		SELECT g, g, (ARRAY['active', 'suspended', 'pending'])[1 + g % 3], (ARRAY['none', 'pending', 'verified'])[1 + g % 7 % 3]
		FROM generate_series(1, 500) g`); err != nil {
		t.Fatal(err)
	}
	wantCounted(t, pool, s)
	if _, err := pool.Exec(ctx, `UPDATE customers SET status = 'active' WHERE id % 5 = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM customers WHERE id % 11 = 0`); err != nil {
		t.Fatal(err)
	}
	wantCounted(t, pool, s)
	if err := s.CompactCounts(ctx); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM customer_counts`).Scan(&rows); err != nil || rows > 9 {
		t.Fatalf("%d rows after folding (at most one per group: 9), %v", rows, err)
	}
	wantCounted(t, pool, s)
	reset(t, pool)
	wantCounted(t, pool, s)
}

// TestCustomerCountsWithConcurrentWrites folds the counts while customers
// are created and changed concurrently: no change is lost or counted twice.
func TestCustomerCountsWithConcurrentWrites(t *testing.T) {
	pool := migrated(t)
	reset(t, pool)
	ctx := context.Background()
	s := postgres.NewCustomers(pool)
	var wg sync.WaitGroup
	errc := make(chan error, 5)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				c := &customers.Customer{Type: "customer", EmailVerification: "none", Status: "active", SignupForm: "by-admin",
					IPs: []string{}, User: customers.User{Username: fmt.Sprintf("w%du%d", w, i),
						Email: fmt.Sprintf("w%du%d@example.com", w, i), PasswordHash: "x"}}
				if err := s.Create(ctx, c); err != nil {
					errc <- err
					return
				}
				if i%2 == 0 {
					if _, err := s.Update(ctx, c.ID, func(c *customers.Customer) error {
						c.Status = "suspended"
						return nil
					}); err != nil {
						errc <- err
						return
					}
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 40 {
			if err := s.CompactCounts(ctx); err != nil {
				errc <- err
				return
			}
		}
	}()
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if err := s.CompactCounts(ctx); err != nil {
		t.Fatal(err)
	}
	wantCounted(t, pool, s)
	if _, total, err := s.List(ctx, customers.ListFilter{Status: "suspended", Limit: 1}); err != nil || total != 52 {
		t.Fatalf("suspended total %d, %v; want 52", total, err)
	}
}

// TestCustomerCountsFoldedByLists checks that listing keeps customer_counts
// small while customers are created one by one.
func TestCustomerCountsFoldedByLists(t *testing.T) {
	pool := migrated(t)
	reset(t, pool)
	ctx := context.Background()
	s := postgres.NewCustomers(pool)
	for i := range 150 {
		c := &customers.Customer{Type: "customer", EmailVerification: "none", Status: "active", SignupForm: "by-admin",
			IPs: []string{}, User: customers.User{Username: fmt.Sprintf("user%d", i), Email: fmt.Sprintf("u%d@example.com", i), PasswordHash: "x"}}
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, total, err := s.List(ctx, customers.ListFilter{Limit: 1}); err != nil || total != i+1 {
			t.Fatalf("total %d, %v; want %d", total, err, i+1)
		}
	}
	var rows int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM customer_counts`).Scan(&rows); err != nil || rows > 70 {
		t.Fatalf("%d rows in customer_counts after 150 creates (folded above 64), %v", rows, err)
	}
}
