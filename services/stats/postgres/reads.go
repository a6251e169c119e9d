package postgres

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/services/stats/traffic"
	"github.com/jackc/pgx/v5"
)

// Days returns a site's rollup and sales between two days, in one round
// trip.
func (s *Store) Days(ctx context.Context, siteID int64, from, to time.Time) ([]traffic.Day, []traffic.Sale, error) {
	days, sales := []traffic.Day{}, []traffic.Sale{}
	b := &pgx.Batch{}
	b.Queue(`SELECT day, visits, pageviews, api_hits, carts, bytes FROM daily
		WHERE site_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day`, siteID, from, to).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var d traffic.Day
			if err := rows.Scan(&d.Date, &d.Visits, &d.Pageviews, &d.APIHits, &d.Carts, &d.Bytes); err != nil {
				return err
			}
			d.Date = d.Date.UTC()
			days = append(days, d)
		}
		return rows.Err()
	})
	b.Queue(`SELECT day, currency, amount, orders FROM daily_sales
		WHERE site_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day, currency`, siteID, from, to).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var s traffic.Sale
			if err := rows.Scan(&s.Date, &s.Currency, &s.Amount, &s.Orders); err != nil {
				return err
			}
			s.Date = s.Date.UTC()
			sales = append(sales, s)
		}
		return rows.Err()
	})
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, mapErr(err)
	}
	return days, sales, nil
}

func scanMoney(dst *[]traffic.Money) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		for rows.Next() {
			var m traffic.Money
			if err := rows.Scan(&m.Currency, &m.Orders, &m.Amount); err != nil {
				return err
			}
			*dst = append(*dst, m)
		}
		return rows.Err()
	}
}

// Snapshot returns a site's dashboard figures, in one round trip.
func (s *Store) Snapshot(ctx context.Context, siteID int64, since time.Time) (traffic.Snapshot, error) {
	out := traffic.Snapshot{Pending: []traffic.Money{}, Paid: []traffic.Money{}}
	day := traffic.DayOf(since)
	b := &pgx.Batch{}
	b.Queue(`SELECT currency, count(*), COALESCE(sum(amount), 0)::bigint FROM orders
		WHERE site_id = $1 AND status = $2 AND paid_at IS NULL GROUP BY currency ORDER BY currency`,
		siteID, int16(traffic.OrderPending)).Query(scanMoney(&out.Pending))
	b.Queue(`SELECT currency, sum(orders)::bigint, sum(amount)::bigint FROM daily_sales
		WHERE site_id = $1 AND day >= $2 GROUP BY currency ORDER BY currency`, siteID, day).Query(scanMoney(&out.Paid))
	b.Queue(`SELECT COALESCE(sum(visits), 0)::bigint FROM daily WHERE site_id = $1 AND day >= $2`, siteID, day).
		QueryRow(func(r pgx.Row) error { return r.Scan(&out.Visits) })
	b.Queue(`SELECT count(*) FROM form_responses WHERE site_id = $1 AND unread`, siteID).
		QueryRow(func(r pgx.Row) error { return r.Scan(&out.UnreadResponses) })
	b.Queue(`SELECT count(*) FILTER (WHERE quantity <= 0), count(*) FILTER (WHERE quantity <= threshold)
		FROM stock WHERE site_id = $1`, siteID).
		QueryRow(func(r pgx.Row) error { return r.Scan(&out.StockShortage, &out.Refillable) })
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return traffic.Snapshot{}, mapErr(err)
	}
	return out, nil
}

// Counters returns what a site used since a day and what it holds.
func (s *Store) Counters(ctx context.Context, siteID int64, since time.Time) (traffic.Counters, error) {
	var c traffic.Counters
	err := s.pool.QueryRow(ctx, `SELECT
			(SELECT COALESCE(sum(bytes), 0)::bigint FROM daily WHERE site_id = $1 AND day >= $2),
			(SELECT COALESCE(sum(api_hits), 0)::bigint FROM daily WHERE site_id = $1 AND day >= $2),
			(SELECT count(*) FROM forms WHERE site_id = $1),
			(SELECT count(*) FROM stock WHERE site_id = $1),
			(SELECT count(*) FROM site_users WHERE site_id = $1)`, siteID, traffic.DayOf(since)).
		Scan(&c.Bytes, &c.APIHits, &c.Forms, &c.Products, &c.Users)
	return c, mapErr(err)
}

// Events returns a site's raw events in the order they were stored.
func (s *Store) Events(ctx context.Context, siteID int64) ([]traffic.Event, error) {
	rows, err := s.pool.Query(ctx, `SELECT type, at, COALESCE(visitor, ''), COALESCE(path, ''), bytes, COALESCE(ref, ''),
			COALESCE(form_id, ''), status, amount, COALESCE(currency, ''), quantity, threshold, COALESCE(user_id, '')
		FROM events WHERE site_id = $1 ORDER BY batch, pos`, siteID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []traffic.Event{}
	for rows.Next() {
		var e traffic.Event
		var typ, status int16
		if err := rows.Scan(&typ, &e.At, &e.Visitor, &e.Path, &e.Bytes, &e.Ref, &e.FormID, &status, &e.Amount,
			&e.Currency, &e.Quantity, &e.Threshold, &e.UserID); err != nil {
			return nil, mapErr(err)
		}
		e.Type, e.Status, e.At = traffic.Type(typ), uint8(status), e.At.UTC()
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}
