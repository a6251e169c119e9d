package events

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// OutboxSchema creates a service's outbox table; services put it in one of
// their migrations (or call EnsureOutbox).
const OutboxSchema = `
CREATE TABLE IF NOT EXISTS outbox (
    seq          BIGSERIAL PRIMARY KEY,
    id           TEXT        NOT NULL UNIQUE,
    type         TEXT        NOT NULL,
    subject      TEXT        NOT NULL,
    time         TIMESTAMPTZ NOT NULL,
    data         JSONB       NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS outbox_pending_idx ON outbox (seq) WHERE published_at IS NULL;
`

// Execer is a pool, a connection or a transaction.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// EnsureOutbox creates the outbox table if missing.
func EnsureOutbox(ctx context.Context, db Execer) error {
	if _, err := db.Exec(ctx, OutboxSchema); err != nil {
		return fmt.Errorf("events: outbox schema: %w", err)
	}
	return nil
}

// Insert writes events into the outbox inside tx, the transaction of the
// change they describe: both commit or neither does.
func Insert(ctx context.Context, tx Execer, evs ...Event) error {
	for _, e := range evs {
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (id, type, subject, time, data) VALUES ($1, $2, $3, $4, $5)`,
			e.ID, e.Type, e.Subject, e.Time, []byte(e.Data)); err != nil {
			return fmt.Errorf("events: outbox insert: %w", err)
		}
	}
	return nil
}

// Source yields unpublished events to the relay.
type Source interface {
	// Pending claims up to limit unpublished events, oldest first.
	Pending(ctx context.Context, limit int) (*Batch, error)
}

// Batch is a claimed set of unpublished events: Done marks them published,
// Release gives them back for a later attempt. One of the two must be
// called.
type Batch struct {
	Events  []Event
	done    func(context.Context) error
	release func(context.Context)
}

// Done marks the batch published.
func (b *Batch) Done(ctx context.Context) error {
	if b.done == nil {
		return nil
	}
	return b.done(ctx)
}

// Release gives the batch back unpublished.
func (b *Batch) Release(ctx context.Context) {
	if b.release != nil {
		b.release(ctx)
	}
}

// PostgresOutbox is the Source of a service's outbox table. Several relays
// (one per instance) share it safely: each claims rows with SKIP LOCKED.
type PostgresOutbox struct {
	Pool   *pgxpool.Pool
	Source string // the service name stamped on events
}

// Pending claims unpublished rows in a transaction held until done (or a
// failure rolls it back and releases them).
func (o *PostgresOutbox) Pending(ctx context.Context, limit int) (*Batch, error) {
	tx, err := o.Pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT seq, id, type, subject, time, data FROM outbox
		WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`, limit)
	if err != nil {
		_ = tx.Rollback(ctx)
		return nil, err
	}
	var evs []Event
	var seqs []int64
	for rows.Next() {
		var e Event
		var seq int64
		var data []byte
		if err := rows.Scan(&seq, &e.ID, &e.Type, &e.Subject, &e.Time, &data); err != nil {
			rows.Close()
			_ = tx.Rollback(ctx)
			return nil, err
		}
		e.Source, e.Data = o.Source, data
		evs = append(evs, e)
		seqs = append(seqs, seq)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		_ = tx.Rollback(ctx)
		return nil, err
	}
	if len(evs) == 0 {
		_ = tx.Rollback(ctx)
		return &Batch{}, nil
	}
	return &Batch{
		Events: evs,
		done: func(ctx context.Context) error {
			if _, err := tx.Exec(ctx, `UPDATE outbox SET published_at = $1 WHERE seq = ANY($2)`, time.Now(), seqs); err != nil {
				_ = tx.Rollback(ctx)
				return err
			}
			return tx.Commit(ctx)
		},
		release: func(ctx context.Context) { _ = tx.Rollback(ctx) },
	}, nil
}
