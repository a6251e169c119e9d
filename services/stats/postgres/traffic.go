package postgres

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/hostplane/hostplane/services/stats/traffic"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// Append stores a batch in one transaction of three round trips, so
// that the rows every batch of a site shares (its rollup days) are locked
// for as short a time as possible:
//
//  1. BEGIN, the idempotency key, the batch's orders locked (created when
//     never seen), its form responses and stock levels, and the batch
//     number, drawn once those states are locked (the raw log's order is
//     then the order in which concurrent batches changed them);
//  2. the raw events, COPY in binary;
//  3. the orders' new states and sales, the forms and users, the activity
//     entries, the rollup days last, and COMMIT.
//
// Rows are locked in one order (orders, responses, stock, sales, days,
// each by key), so concurrent batches never deadlock.
func (s *Store) Append(ctx context.Context, b traffic.Batch) (traffic.Appended, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return traffic.Appended{}, mapErr(err)
	}
	out, err := appendOn(ctx, conn.Conn(), b)
	if err != nil {
		// Whatever failed, the transaction must not outlive it.
		if _, rerr := conn.Exec(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
			_ = conn.Hijack().Close(context.WithoutCancel(ctx))
			return traffic.Appended{}, mapErr(err)
		}
	}
	conn.Release()
	if errors.Is(err, errReplayed) {
		return out, nil
	}
	if err != nil {
		return traffic.Appended{}, mapErr(err)
	}
	return out, nil
}

func orderIDs(evs []traffic.Event) []string {
	return traffic.Distinct(evs, func(e traffic.Event) string {
		if e.Type == traffic.Order {
			return e.Ref
		}
		return ""
	})
}

func appendOn(ctx context.Context, conn *pgx.Conn, b traffic.Batch) (traffic.Appended, error) {
	out := traffic.Appended{Accepted: len(b.Events)}
	// 1. Open, reserve, lock the states, draw the batch number.
	first := &pgx.Batch{}
	first.Queue("BEGIN")
	var reserved bool
	var fp []byte
	var accepted int
	if k := b.Key; k != nil {
		first.Queue(`INSERT INTO ingest_keys (site_id, key, fingerprint, accepted, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, b.SiteID, k.Key, k.Fingerprint, len(b.Events), k.At).Exec(func(tag pgconn.CommandTag) error {
			reserved = tag.RowsAffected() == 1
			return nil
		})
		first.Queue(`SELECT fingerprint, accepted FROM ingest_keys WHERE site_id = $1 AND key = $2`, b.SiteID, k.Key).
			QueryRow(func(r pgx.Row) error { return r.Scan(&fp, &accepted) })
	}
	prev := map[string]traffic.OrderState{}
	ids := orderIDs(b.Events)
	if len(ids) > 0 {
		first.Queue(`INSERT INTO orders (site_id, order_id) SELECT $1, id FROM unnest($2::text[]) AS t(id)
			ORDER BY id ON CONFLICT DO NOTHING`, b.SiteID, ids)
		first.Queue(`SELECT order_id, status, amount, currency, at, paid_at FROM orders
			WHERE site_id = $1 AND order_id = ANY($2) ORDER BY order_id FOR UPDATE`, b.SiteID, ids).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var o traffic.OrderState
				var status int16
				var at pgtype.Timestamptz
				if err := rows.Scan(&o.ID, &status, &o.Amount, &o.Currency, &at, &o.PaidAt); err != nil {
					return err
				}
				o.Status = uint8(status)
				if at.Valid {
					o.At = at.Time.UTC()
				}
				if o.PaidAt != nil {
					t := o.PaidAt.UTC()
					o.PaidAt = &t
				}
				prev[o.ID] = o
			}
			return rows.Err()
		})
	}
	queueLatestStates(first, b)
	var batch int64
	first.Queue(`SELECT nextval('event_batches')`).QueryRow(func(r pgx.Row) error { return r.Scan(&batch) })
	if err := conn.SendBatch(ctx, first).Close(); err != nil {
		return out, err
	}
	if b.Key != nil && !reserved {
		if !bytes.Equal(fp, b.Key.Fingerprint) {
			return out, traffic.ErrKeyReused
		}
		return traffic.Appended{Accepted: accepted, Replayed: true}, errReplayed
	}

	// 2. The raw events.
	var buf bytes.Buffer
	buf.Grow(len(b.Events) * 120)
	eventsCopy(&buf, b.SiteID, batch, b.Events)
	if _, err := conn.PgConn().CopyFrom(ctx, &buf, copyEvents); err != nil {
		return out, err
	}

	// 3. Everything else, the shared rollup rows last, and COMMIT.
	last := &pgx.Batch{}
	if len(ids) > 0 {
		queueOrders(last, b, prev)
	}
	queueSet(last, "forms", "form_id", b.SiteID, traffic.Distinct(b.Events, traffic.FormIDs))
	queueSet(last, "site_users", "user_id", b.SiteID, traffic.Distinct(b.Events, traffic.UserIDs))
	if len(b.Activity) > 0 {
		sql, args := entriesInsert(b.Activity)
		last.Queue(sql, args...)
	}
	queueDays(last, b.SiteID, b.Days)
	last.Queue("COMMIT")
	return out, conn.SendBatch(ctx, last).Close()
}

// errReplayed ends a replayed batch's transaction (rolled back: nothing
// was stored) without being an error to the caller.
var errReplayed = errors.New("postgres: batch replayed")

func timestamptz(t *time.Time) pgtype.Timestamptz {
	if t == nil || t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: *t, Valid: true}
}

// queueOrders folds the batch into the locked orders and queues their new
// states and the sales they make.
func queueOrders(q *pgx.Batch, b traffic.Batch, prev map[string]traffic.OrderState) {
	states, sales := traffic.ApplyOrders(prev, b.Events)
	n := len(states)
	oid, status, amount, currency := make([]string, n), make([]int16, n), make([]int64, n), make([]string, n)
	at, paid := make([]pgtype.Timestamptz, n), make([]pgtype.Timestamptz, n)
	for i, o := range states {
		oid[i], status[i], amount[i], currency[i] = o.ID, int16(o.Status), o.Amount, o.Currency
		at[i], paid[i] = timestamptz(&o.At), timestamptz(o.PaidAt)
	}
	q.Queue(`UPDATE orders o SET status = t.status, amount = t.amount, currency = t.currency, at = t.at, paid_at = t.paid_at
		FROM unnest($2::text[], $3::smallint[], $4::bigint[], $5::text[], $6::timestamptz[], $7::timestamptz[])
			AS t(id, status, amount, currency, at, paid_at)
		WHERE o.site_id = $1 AND o.order_id = t.id`, b.SiteID, oid, status, amount, currency, at, paid)
	if len(sales) == 0 {
		return
	}
	days, curs, amounts, orders := make([]time.Time, len(sales)), make([]string, len(sales)), make([]int64, len(sales)), make([]int64, len(sales))
	for i, s := range sales {
		days[i], curs[i], amounts[i], orders[i] = s.Date, s.Currency, s.Amount, s.Orders
	}
	q.Queue(`INSERT INTO daily_sales (site_id, day, currency, amount, orders)
		SELECT $1, d, c, a, o FROM unnest($2::date[], $3::text[], $4::bigint[], $5::bigint[]) AS t(d, c, a, o) ORDER BY d, c
		ON CONFLICT (site_id, day, currency) DO UPDATE SET amount = daily_sales.amount + EXCLUDED.amount,
			orders = daily_sales.orders + EXCLUDED.orders`, b.SiteID, days, curs, amounts, orders)
}

// queueLatestStates keeps each form response's and product's latest event.
func queueLatestStates(q *pgx.Batch, b traffic.Batch) {
	if rs := traffic.Latest(b.Events, traffic.FormResponse); len(rs) > 0 {
		ids, forms, unread, at := make([]string, len(rs)), make([]string, len(rs)), make([]bool, len(rs)), make([]time.Time, len(rs))
		for i, e := range rs {
			ids[i], forms[i], unread[i], at[i] = e.Ref, e.FormID, e.Status == traffic.FormUnread, e.At
		}
		q.Queue(`INSERT INTO form_responses (site_id, response_id, form_id, unread, at)
			SELECT $1, r, NULLIF(f, ''), u, a FROM unnest($2::text[], $3::text[], $4::bool[], $5::timestamptz[]) AS t(r, f, u, a)
			ORDER BY r
			ON CONFLICT (site_id, response_id) DO UPDATE SET form_id = COALESCE(EXCLUDED.form_id, form_responses.form_id),
				unread = EXCLUDED.unread, at = EXCLUDED.at
			WHERE EXCLUDED.at >= form_responses.at`, b.SiteID, ids, forms, unread, at)
	}
	if ss := traffic.Latest(b.Events, traffic.Stock); len(ss) > 0 {
		ids, qty, thr, at := make([]string, len(ss)), make([]int64, len(ss)), make([]int64, len(ss)), make([]time.Time, len(ss))
		for i, e := range ss {
			ids[i], qty[i], thr[i], at[i] = e.Ref, e.Quantity, e.Threshold, e.At
		}
		q.Queue(`INSERT INTO stock (site_id, product_id, quantity, threshold, at)
			SELECT $1, p, q, th, a FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::timestamptz[]) AS t(p, q, th, a)
			ORDER BY p
			ON CONFLICT (site_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity, threshold = EXCLUDED.threshold,
				at = EXCLUDED.at
			WHERE EXCLUDED.at >= stock.at`, b.SiteID, ids, qty, thr, at)
	}
}

// queueDays adds a batch's day totals to the site's rollup, in day order.
func queueDays(q *pgx.Batch, siteID int64, ds []traffic.Day) {
	if len(ds) == 0 {
		return
	}
	n := len(ds)
	days, visits, views, carts, byts := make([]time.Time, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for i, d := range ds {
		days[i], visits[i], views[i], carts[i], byts[i] = d.Date, d.Visits, d.Pageviews, d.Carts, d.Bytes
	}
	q.Queue(`INSERT INTO daily (site_id, day, visits, pageviews, carts, bytes)
		SELECT $1, d, v, p, c, b FROM unnest($2::date[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[]) AS t(d, v, p, c, b)
		ORDER BY d
		ON CONFLICT (site_id, day) DO UPDATE SET visits = daily.visits + EXCLUDED.visits,
			pageviews = daily.pageviews + EXCLUDED.pageviews, carts = daily.carts + EXCLUDED.carts,
			bytes = daily.bytes + EXCLUDED.bytes`, siteID, days, visits, views, carts, byts)
}

// queueSet adds values to a (site_id, column) set table.
func queueSet(q *pgx.Batch, table, column string, siteID int64, values []string) {
	if len(values) == 0 {
		return
	}
	q.Queue(`INSERT INTO `+table+` (site_id, `+column+`) SELECT $1, v FROM unnest($2::text[]) AS t(v)
		ORDER BY v ON CONFLICT DO NOTHING`, siteID, values)
}

// AddHits adds API hits, sites' then customers', each in key order.
func (s *Store) AddHits(ctx context.Context, hits []traffic.Hits) error {
	type key struct {
		id  int64
		day time.Time
	}
	sites, customers := map[key]int64{}, map[key]int64{}
	for _, h := range hits {
		if h.SiteID != 0 {
			sites[key{h.SiteID, traffic.DayOf(h.Day)}] += h.Count
		} else if h.CustomerID != 0 {
			customers[key{h.CustomerID, traffic.DayOf(h.Day)}] += h.Count
		}
	}
	arrays := func(m map[key]int64) ([]int64, []time.Time, []int64) {
		ids, days, counts := make([]int64, 0, len(m)), make([]time.Time, 0, len(m)), make([]int64, 0, len(m))
		for k, n := range m {
			ids, days, counts = append(ids, k.id), append(days, k.day), append(counts, n)
		}
		return ids, days, counts
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if len(sites) > 0 {
			ids, days, counts := arrays(sites)
			if _, err := tx.Exec(ctx, `INSERT INTO daily (site_id, day, api_hits)
				SELECT i, d, n FROM unnest($1::bigint[], $2::date[], $3::bigint[]) AS t(i, d, n) ORDER BY i, d
				ON CONFLICT (site_id, day) DO UPDATE SET api_hits = daily.api_hits + EXCLUDED.api_hits`, ids, days, counts); err != nil {
				return err
			}
		}
		if len(customers) > 0 {
			ids, days, counts := arrays(customers)
			if _, err := tx.Exec(ctx, `INSERT INTO customer_hits (customer_id, day, hits)
				SELECT i, d, n FROM unnest($1::bigint[], $2::date[], $3::bigint[]) AS t(i, d, n) ORDER BY i, d
				ON CONFLICT (customer_id, day) DO UPDATE SET hits = customer_hits.hits + EXCLUDED.hits`, ids, days, counts); err != nil {
				return err
			}
		}
		return nil
	})
	return mapErr(err)
}
