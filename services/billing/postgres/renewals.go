package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Renewals is the PostgreSQL renewal.Store: rows are claimed with FOR
// UPDATE SKIP LOCKED, so two schedulers never take the same one.
type Renewals struct{ pool *pgxpool.Pool }

// NewRenewals returns a store on pool.
func NewRenewals(pool *pgxpool.Pool) *Renewals { return &Renewals{pool: pool} }

var errNoTx = errors.New("postgres: renewals must be claimed inside a transaction")

// Due claims the memberships to renew or expire at now.
func (s *Renewals) Due(ctx context.Context, now time.Time, grace time.Duration, limit int) ([]memberships.Membership, error) {
	tx := txOf(ctx)
	if tx == nil {
		return nil, errNoTx
	}
	rows, err := tx.Query(ctx, `SELECT `+membershipColumns+` FROM memberships
		WHERE status IN ('active', 'trialing') AND date_expiration <= $1
			AND (renewal_payment_id = 0 OR date_expiration <= $2)
		ORDER BY date_expiration, id LIMIT $3 FOR UPDATE SKIP LOCKED`, now, now.Add(-grace), limit)
	if err != nil {
		return nil, membershipErr(err)
	}
	return collect(rows, scanMembership, membershipErr)
}

// Paid claims the completed renewal payments not applied yet.
func (s *Renewals) Paid(ctx context.Context, limit int) ([]payments.Payment, error) {
	tx := txOf(ctx)
	if tx == nil {
		return nil, errNoTx
	}
	rows, err := tx.Query(ctx, `SELECT `+paymentColumns+` FROM payments
		WHERE kind = 'renewal' AND status = 'completed' AND NOT applied
		ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, limit)
	if err != nil {
		return nil, paymentErr(err)
	}
	return collect(rows, scanPayment, paymentErr)
}

// collect scans every row.
func collect[T any](rows pgx.Rows, scan func(pgx.Row) (T, error), mapErr func(error) error) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, mapErr(err)
		}
		out = append(out, v)
	}
	return out, mapErr(rows.Err())
}
