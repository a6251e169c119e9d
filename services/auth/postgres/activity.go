package postgres

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/auth/activity"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ActivitySlack is how many calls past activity.Keep a key's rows may
// reach before they are trimmed back to activity.Keep: trimming a batch
// at a time instead of a call at a time. Lists never show more than Keep.
const ActivitySlack = activity.Keep / 4

// Activity is the PostgreSQL activity.Store.
type Activity struct{ pool *pgxpool.Pool }

// NewActivity returns a store on pool.
func NewActivity(pool *pgxpool.Pool) *Activity { return &Activity{pool: pool} }

func mapActivityErr(err error) error { return pgkit.MapError(err, "key", nil) }

// Append stores a batch in one transaction: the calls of existing keys in
// one statement, which also counts each key's rows (the count row, taken
// in key order, serializes appends of one key); then each key's last use
// moves forward (rows locked in id order, so concurrent batches cannot
// deadlock); then keys past Keep+ActivitySlack rows are trimmed to Keep.
func (s *Activity) Append(ctx context.Context, calls []activity.Call) (int, error) {
	n := len(calls)
	ids, methods, paths, statuses, ats, ips := make([]int64, n), make([]string, n), make([]string, n),
		make([]int32, n), make([]time.Time, n), make([]string, n)
	for i, c := range calls {
		ids[i], methods[i], paths[i], statuses[i], ats[i], ips[i] = c.KeyID, c.Method, c.Path, int32(c.Status), c.At, c.IP
	}
	stored := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `WITH batch AS (
				SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::text[])
					WITH ORDINALITY AS b(key_id, method, path, status, at, ip, n)
			), inserted AS (
				INSERT INTO key_activity (key_id, method, path, status, at, ip)
				SELECT b.key_id, b.method, b.path, b.status, b.at, b.ip FROM batch b
				JOIN api_keys k ON k.id = b.key_id ORDER BY b.n
				RETURNING key_id, at
			), grouped AS (
				SELECT key_id, count(*)::int AS added, max(at) AS last FROM inserted GROUP BY key_id
			), counted AS (
				INSERT INTO key_activity_counts (key_id, n) SELECT key_id, added FROM grouped ORDER BY key_id
				ON CONFLICT (key_id) DO UPDATE SET n = key_activity_counts.n + EXCLUDED.n
				RETURNING key_id, n
			)
			SELECT g.key_id, g.added, g.last, c.n FROM grouped g JOIN counted c USING (key_id) ORDER BY g.key_id`,
			ids, methods, paths, statuses, ats, ips)
		if err != nil {
			return err
		}
		var touched, over []int64
		var lasts []time.Time
		for rows.Next() {
			var id int64
			var added, total int
			var last time.Time
			if err := rows.Scan(&id, &added, &last, &total); err != nil {
				rows.Close()
				return err
			}
			stored += added
			touched, lasts = append(touched, id), append(lasts, last)
			if total > activity.Keep+ActivitySlack {
				over = append(over, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(touched) == 0 {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE api_keys k SET last_used_at = t.last
			FROM unnest($1::bigint[], $2::timestamptz[]) AS t(id, last)
			WHERE k.id = t.id AND (k.last_used_at IS NULL OR k.last_used_at < t.last)
			AND k.id IN (SELECT id FROM api_keys WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE)`, touched, lasts); err != nil {
			return err
		}
		if len(over) == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `WITH cut AS (
				SELECT k.id, c.at, c.id AS cut_id FROM unnest($1::bigint[]) AS k(id)
				CROSS JOIN LATERAL (
					SELECT at, id FROM key_activity WHERE key_id = k.id
					ORDER BY at DESC, id DESC OFFSET $2 LIMIT 1
				) c
			), deleted AS (
				DELETE FROM key_activity a USING cut
				WHERE a.key_id = cut.id AND (a.at, a.id) <= (cut.at, cut.cut_id)
				RETURNING a.key_id
			)
			UPDATE key_activity_counts c SET n = c.n - d.gone
			FROM (SELECT key_id, count(*)::int AS gone FROM deleted GROUP BY key_id) d
			WHERE c.key_id = d.key_id`, over, activity.Keep)
		return err
	})
	if err != nil {
		return 0, mapActivityErr(err)
	}
	return stored, nil
}

// List pages the newest activity.Keep calls of one key, newest first.
func (s *Activity) List(ctx context.Context, keyID int64, offset, limit int) ([]activity.Call, int, error) {
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM key_activity WHERE key_id = $1`, keyID).Scan(&total); err != nil {
		return nil, 0, mapActivityErr(err)
	}
	total = min(total, activity.Keep)
	if limit <= 0 || offset+limit > activity.Keep {
		limit = activity.Keep - offset
	}
	out := []activity.Call{}
	if limit <= 0 {
		return out, total, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT id, key_id, method, path, status, at, ip FROM key_activity
		WHERE key_id = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3`, keyID, limit, offset)
	if err != nil {
		return nil, 0, mapActivityErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c activity.Call
		if err := rows.Scan(&c.ID, &c.KeyID, &c.Method, &c.Path, &c.Status, &c.At, &c.IP); err != nil {
			return nil, 0, mapActivityErr(err)
		}
		out = append(out, c)
	}
	return out, total, mapActivityErr(rows.Err())
}
