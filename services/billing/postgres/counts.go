package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/services/billing/customers"
)

// Totals of customer lists from customer_counts (migration 00007): the
// triggers there append each statement's net change per (status,
// email_verification), so a list filtered by those alone, or not at all,
// is counted by summing a few rows instead of every customer.

// foldAbove is how many rows a total may sum before the store folds
// customer_counts (each write statement appends a row or a few).
const foldAbove = 64

// countable reports whether customer_counts answers f's total.
func countable(f customers.ListFilter) bool {
	return f.Search == "" && f.Email == "" && f.CustomerID == 0 && f.CreatedFrom == nil && f.CreatedTo == nil
}

// countedTotal is the number of customers f selects (countable(f)), in
// the snapshot of q.
func (s *Customers) countedTotal(ctx context.Context, q querier, f customers.ListFilter) (int, error) {
	var conds []string
	var args []any
	if f.Status != "" {
		args = append(args, f.Status)
		conds = append(conds, "status = $"+strconv.Itoa(len(args)))
	}
	if f.EmailVerification != "" {
		args = append(args, f.EmailVerification)
		conds = append(conds, "email_verification = $"+strconv.Itoa(len(args)))
	}
	sql := `SELECT coalesce(sum(n), 0), count(*) FROM customer_counts`
	if len(conds) > 0 {
		sql += ` WHERE ` + strings.Join(conds, " AND ")
	}
	var total, rows int64
	if err := q.QueryRow(ctx, sql, args...).Scan(&total, &rows); err != nil {
		return 0, err
	}
	if rows > foldAbove && txOf(ctx) == nil {
		if err := s.compactCounts(ctx); err != nil {
			return 0, err
		}
	}
	return int(total), nil
}

// compactCounts folds customer_counts into one row per group. Rows a
// concurrent transaction has not committed yet are not in this statement's
// snapshot and stay as they are; two foldings at once fold disjoint rows.
// Every reader sees the same sums before and after.
func (s *Customers) compactCounts(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, `WITH folded AS (DELETE FROM customer_counts RETURNING status, email_verification, n)
		INSERT INTO customer_counts (status, email_verification, n)
		SELECT status, email_verification, sum(n) FROM folded GROUP BY 1, 2 HAVING sum(n) <> 0`)
	return err
}
