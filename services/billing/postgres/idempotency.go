package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/billing/idempotency"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Idempotency is the PostgreSQL idempotency.Store.
type Idempotency struct{ pool *pgxpool.Pool }

// NewIdempotency returns a store on pool.
func NewIdempotency(pool *pgxpool.Pool) *Idempotency { return &Idempotency{pool: pool} }

func idemErr(err error) error { return pgkit.MapError(err, "idempotency_key", nil) }

// Reserve claims key in scope unless it is taken: an insert, or the
// takeover of a record that no longer holds its key (compare and set on
// its creation time, so two takers cannot both win).
func (s *Idempotency) Reserve(ctx context.Context, scope, key, fingerprint string, now time.Time) (idempotency.Record, bool, error) {
	for range 3 {
		tag, err := s.pool.Exec(ctx, `INSERT INTO idempotency_keys (scope, key, fingerprint, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, scope, key, fingerprint, now)
		if err != nil {
			return idempotency.Record{}, false, idemErr(err)
		}
		if tag.RowsAffected() == 1 {
			return idempotency.Record{}, true, nil
		}
		var rec idempotency.Record
		err = s.pool.QueryRow(ctx, `SELECT fingerprint, done, status, content_type, COALESCE(body, ''::bytea), created_at
			FROM idempotency_keys WHERE scope = $1 AND key = $2`, scope, key).
			Scan(&rec.Fingerprint, &rec.Done, &rec.Status, &rec.ContentType, &rec.Body, &rec.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // released meanwhile: insert again
		}
		if err != nil {
			return idempotency.Record{}, false, idemErr(err)
		}
		if idempotency.Taken(rec, now) {
			return rec, false, nil
		}
		tag, err = s.pool.Exec(ctx, `UPDATE idempotency_keys SET fingerprint = $3, done = false, status = 0,
				content_type = '', body = NULL, created_at = $4
			WHERE scope = $1 AND key = $2 AND created_at = $5`, scope, key, fingerprint, now, rec.CreatedAt)
		if err != nil {
			return idempotency.Record{}, false, idemErr(err)
		}
		if tag.RowsAffected() == 1 {
			return idempotency.Record{}, true, nil
		}
	}
	return idempotency.Record{}, false, idemErr(errors.New("idempotency: key contended"))
}

// Complete stores the answer of key.
func (s *Idempotency) Complete(ctx context.Context, scope, key string, status int, contentType string, body []byte) error {
	_, err := s.pool.Exec(ctx, `UPDATE idempotency_keys SET done = true, status = $3, content_type = $4, body = $5
		WHERE scope = $1 AND key = $2`, scope, key, status, contentType, body)
	return idemErr(err)
}

// Release forgets key.
func (s *Idempotency) Release(ctx context.Context, scope, key string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND NOT done`, scope, key)
	return idemErr(err)
}

// Sweep deletes records created before before.
func (s *Idempotency) Sweep(ctx context.Context, before time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, before)
	return int(tag.RowsAffected()), idemErr(err)
}
