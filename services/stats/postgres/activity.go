package postgres

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/jackc/pgx/v5"
)

// Add stores entries, skipping those already recorded.
func (s *Store) Add(ctx context.Context, entries []activity.Entry) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		n, err = addEntries(ctx, tx, entries)
		return err
	})
	return n, mapErr(err)
}

// addEntries inserts entries in one statement.
func addEntries(ctx context.Context, tx pgx.Tx, es []activity.Entry) (int, error) {
	if len(es) == 0 {
		return 0, nil
	}
	sql, args := entriesInsert(es)
	tag, err := tx.Exec(ctx, sql, args...)
	return int(tag.RowsAffected()), err
}

// entriesInsert is the statement inserting entries, those already
// recorded (dedupe) skipped.
func entriesInsert(es []activity.Entry) (string, []any) {
	n := len(es)
	site, customer := make([]int64, n), make([]int64, n)
	typ, text, urn, user, profil, avatar, dedupe := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	at := make([]time.Time, n)
	for i, e := range es {
		site[i], customer[i], typ[i], text[i], urn[i] = e.SiteID, e.CustomerID, e.Type, e.Text, e.URN
		user[i], profil[i], avatar[i], at[i], dedupe[i] = e.UserName, e.UserProfil, e.AvatarURL, e.At, e.Dedupe
	}
	return `INSERT INTO activity (site_id, customer_id, type, text, urn, user_name, user_profil, avatar_url, at, dedupe)
		SELECT NULLIF(s, 0), NULLIF(c, 0), ty, tx, u, un, up, av, a, NULLIF(d, '')
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::timestamptz[], $10::text[]) WITH ORDINALITY AS t(s, c, ty, tx, u, un, up, av, a, d, ord)
		ORDER BY ord
		ON CONFLICT (dedupe) DO NOTHING`, []any{site, customer, typ, text, urn, user, profil, avatar, at, dedupe}
}

const entryColumns = `id, COALESCE(site_id, 0), COALESCE(customer_id, 0), type, text, urn, user_name, user_profil, avatar_url, at`

// List returns a page of a site's log, newest first: the site's entries
// and its customer's entries without a site, each from its own index.
func (s *Store) List(ctx context.Context, f activity.Filter) ([]activity.Entry, int, error) {
	types := f.Types
	if types == nil {
		types = []string{}
	}
	since := f.Since
	if since.IsZero() {
		since = time.Unix(0, 0)
	}
	const match = `((site_id = $1) OR (site_id IS NULL AND $2::bigint <> 0 AND customer_id = $2))
		AND (cardinality($3::text[]) = 0 OR type = ANY($3)) AND at >= $4`
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM activity WHERE `+match, f.SiteID, f.CustomerID, types, since).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1 << 30
	}
	top := f.Offset + limit
	rows, err := s.pool.Query(ctx, `SELECT * FROM (
			(SELECT `+entryColumns+` FROM activity WHERE site_id = $1
				AND (cardinality($3::text[]) = 0 OR type = ANY($3)) AND at >= $4 ORDER BY at DESC, id DESC LIMIT $5)
			UNION ALL
			(SELECT `+entryColumns+` FROM activity WHERE site_id IS NULL AND $2::bigint <> 0 AND customer_id = $2
				AND (cardinality($3::text[]) = 0 OR type = ANY($3)) AND at >= $4 ORDER BY at DESC, id DESC LIMIT $5)
		) AS e ORDER BY at DESC, id DESC LIMIT $6 OFFSET $7`, f.SiteID, f.CustomerID, types, since, top, limit, f.Offset)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	out := []activity.Entry{}
	for rows.Next() {
		var e activity.Entry
		if err := rows.Scan(&e.ID, &e.SiteID, &e.CustomerID, &e.Type, &e.Text, &e.URN, &e.UserName, &e.UserProfil,
			&e.AvatarURL, &e.At); err != nil {
			return nil, 0, mapErr(err)
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	return out, total, mapErr(rows.Err())
}
