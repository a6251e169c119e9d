package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/auth/accounts"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Accounts is the PostgreSQL accounts.Store.
type Accounts struct{ pool *pgxpool.Pool }

// NewAccounts returns a store on pool.
func NewAccounts(pool *pgxpool.Pool) *Accounts { return &Accounts{pool: pool} }

func mapAccountErr(err error) error { return pgkit.MapError(err, "account", nil) }

const accountColumns = `id, type, level, contact, created_at, updated_at`

func scanAccount(row pgx.Row) (accounts.Account, error) {
	var a accounts.Account
	var contact []byte
	if err := row.Scan(&a.ID, &a.Type, &a.Level, &contact, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return a, err
	}
	if err := json.Unmarshal(contact, &a.Contact); err != nil {
		return a, fmt.Errorf("account %d: contact: %w", a.ID, err)
	}
	return a, nil
}

func contactJSON(c accounts.Contact) ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode contact: %w", err)
	}
	return b, nil
}

// Ensure stores a unless its id exists.
func (s *Accounts) Ensure(ctx context.Context, a accounts.Account) error {
	contact, err := contactJSON(a.Contact)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO accounts (id, type, level, contact, created_at, updated_at)
		VALUES ($1, $2, $3, $4, COALESCE($5, now()), COALESCE($6, now())) ON CONFLICT (id) DO NOTHING`,
		a.ID, a.Type, a.Level, contact, nullTime(a.CreatedAt), nullTime(a.UpdatedAt))
	if err != nil {
		return mapAccountErr(err)
	}
	// Keep the id sequence ahead of explicit ids.
	_, err = s.pool.Exec(ctx, `SELECT setval(pg_get_serial_sequence('accounts', 'id'),
		GREATEST((SELECT max(id) FROM accounts), 1))`)
	return mapAccountErr(err)
}

// Create inserts a with a new id.
func (s *Accounts) Create(ctx context.Context, a *accounts.Account) error {
	contact, err := contactJSON(a.Contact)
	if err != nil {
		return err
	}
	got, err := scanAccount(s.pool.QueryRow(ctx, `INSERT INTO accounts (type, level, contact, created_at, updated_at)
		VALUES ($1, $2, $3, COALESCE($4, now()), COALESCE($5, now())) RETURNING `+accountColumns,
		a.Type, a.Level, contact, nullTime(a.CreatedAt), nullTime(a.UpdatedAt)))
	if err != nil {
		return mapAccountErr(err)
	}
	*a = got
	return nil
}

// Get returns an account.
func (s *Accounts) Get(ctx context.Context, id int64) (accounts.Account, error) {
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	return a, mapAccountErr(err)
}

// Update runs fn on the account locked in a transaction.
func (s *Accounts) Update(ctx context.Context, id int64, fn func(*accounts.Account) error) (accounts.Account, error) {
	var out accounts.Account
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		a, err := scanAccount(tx.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if err := fn(&a); err != nil {
			return err
		}
		contact, err := contactJSON(a.Contact)
		if err != nil {
			return err
		}
		out, err = scanAccount(tx.QueryRow(ctx, `UPDATE accounts SET contact = $2, level = $3, updated_at = $4
			WHERE id = $1 RETURNING `+accountColumns, id, contact, a.Level, a.UpdatedAt))
		return err
	})
	return out, mapAccountErr(err)
}

// nullTime is t, or NULL when zero.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
