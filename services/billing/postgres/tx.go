package postgres

import (
	"context"

	"github.com/hostplane/hostplane/services/billing/txn"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Runner is the txn.Runner of the PostgreSQL stores: one database
// transaction that every store call made with its context joins (as a
// savepoint when the call needs a transaction of its own).
type Runner struct{ Pool *pgxpool.Pool }

type txKey struct{}

// The kinds of rows the stores keep in a unit of work's txn.Memo.
const (
	memoCustomer   = "customer"
	memoMembership = "membership"
	memoProduct    = "product"
)

func txOf(ctx context.Context) pgx.Tx {
	t, _ := ctx.Value(txKey{}).(pgx.Tx)
	return t
}

// InTx runs fn in a transaction (or in the one ctx carries).
func (r Runner) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if txOf(ctx) != nil {
		return fn(ctx)
	}
	return pgx.BeginFunc(ctx, r.Pool, func(t pgx.Tx) error {
		return fn(context.WithValue(ctx, txKey{}, t))
	})
}

// querier is a pool or a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// db is the transaction of ctx, or pool.
func db(ctx context.Context, pool *pgxpool.Pool) querier {
	if t := txOf(ctx); t != nil {
		return t
	}
	return pool
}

// inTx runs fn in a transaction of its own, or in a savepoint of the
// transaction ctx carries, so that fn's failure undoes only fn's writes —
// or straight in that transaction when its caller undoes it whole on any
// error (txn.AllOrNothing).
func inTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	if t := txOf(ctx); t != nil {
		if txn.IsAllOrNothing(ctx) {
			return fn(t)
		}
		return pgx.BeginFunc(ctx, t, fn)
	}
	return pgx.BeginFunc(ctx, pool, fn)
}
