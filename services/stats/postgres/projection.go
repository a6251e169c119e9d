package postgres

import (
	"context"
	"errors"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/directory"
	"github.com/hostplane/hostplane/services/stats/projection"
	"github.com/jackc/pgx/v5"
)

// Apply applies a change once per group and event id, in one transaction
// with the record of the event id.
func (s *Store) Apply(ctx context.Context, group, eventID string, c projection.Change) (bool, error) {
	var first bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if first, err = events.FirstTime(ctx, tx, group, eventID); err != nil || !first {
			return err
		}
		if v := c.Customer; v != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO customers (id, status, email_verified, deleted, at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, email_verified = EXCLUDED.email_verified,
					deleted = EXCLUDED.deleted, at = EXCLUDED.at
				WHERE NOT customers.deleted AND customers.at <= EXCLUDED.at`, v.ID, v.Status, v.EmailVerified, v.Deleted, v.At); err != nil {
				return err
			}
		}
		if v := c.Membership; v != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO memberships (id, customer_id, plan_id, site_id, status, deleted, at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (id) DO UPDATE SET customer_id = EXCLUDED.customer_id, plan_id = EXCLUDED.plan_id,
					site_id = EXCLUDED.site_id, status = EXCLUDED.status, deleted = EXCLUDED.deleted, at = EXCLUDED.at
				WHERE NOT memberships.deleted AND memberships.at <= EXCLUDED.at`,
				v.ID, v.CustomerID, v.PlanID, v.SiteID, v.Status, v.Deleted, v.At); err != nil {
				return err
			}
		}
		if v := c.Payment; v != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO payments (id, customer_id, membership_id, total, currency, status, deleted, at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				ON CONFLICT (id) DO UPDATE SET customer_id = EXCLUDED.customer_id, membership_id = EXCLUDED.membership_id,
					total = EXCLUDED.total, currency = EXCLUDED.currency, status = EXCLUDED.status,
					deleted = EXCLUDED.deleted, at = EXCLUDED.at
				WHERE NOT payments.deleted AND payments.at <= EXCLUDED.at`,
				v.ID, v.CustomerID, v.MembershipID, v.Total, v.Currency, v.Status, v.Deleted, v.At); err != nil {
				return err
			}
		}
		if v := c.Site; v != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO sites (id, code, customer_id, status, deleted, at) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, customer_id = EXCLUDED.customer_id,
					status = EXCLUDED.status, deleted = EXCLUDED.deleted, at = EXCLUDED.at
				WHERE NOT sites.deleted AND sites.at <= EXCLUDED.at`, v.ID, v.Code, v.CustomerID, v.Status, v.Deleted, v.At); err != nil {
				return err
			}
		}
		if c.Entry != nil {
			_, err = addEntries(ctx, tx, []activity.Entry{*c.Entry})
		}
		return err
	})
	return first, mapErr(err)
}

func (s *Store) site(ctx context.Context, where string, arg any) (directory.Site, error) {
	var d directory.Site
	err := s.pool.QueryRow(ctx, `SELECT id, code, customer_id, status FROM sites WHERE NOT deleted AND `+where+`
		ORDER BY id DESC LIMIT 1`, arg).Scan(&d.ID, &d.Code, &d.CustomerID, &d.Status)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, errs.NotFoundResource("site", "")
	}
	return d, mapErr(err)
}

// SiteByCode returns the live site of code (the most recent if several).
func (s *Store) SiteByCode(ctx context.Context, code string) (directory.Site, error) {
	return s.site(ctx, "code = $1", code)
}

// SiteByID returns a live site.
func (s *Store) SiteByID(ctx context.Context, id int64) (directory.Site, error) {
	return s.site(ctx, "id = $1", id)
}

// MembershipSite is the site of a membership (0 when unknown).
func (s *Store) MembershipSite(ctx context.Context, id int64) (int64, error) {
	var site int64
	err := s.pool.QueryRow(ctx, `SELECT site_id FROM memberships WHERE id = $1`, id).Scan(&site)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return site, mapErr(err)
}

// Counts counts the live records, in one round trip.
func (s *Store) Counts(ctx context.Context, customerID int64) (projection.Counts, error) {
	out := projection.Counts{Customers: map[string]int64{}, Services: map[string]int64{}, Revenue: []projection.Revenue{}}
	byStatus := func(m map[string]int64) func(pgx.Rows) error {
		return func(rows pgx.Rows) error {
			for rows.Next() {
				var st string
				var n int64
				if err := rows.Scan(&st, &n); err != nil {
					return err
				}
				m[st] = n
			}
			return rows.Err()
		}
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT status, count(*) FROM customers WHERE NOT deleted AND ($1::bigint = 0 OR id = $1) GROUP BY status`,
		customerID).Query(byStatus(out.Customers))
	b.Queue(`SELECT count(*) FROM customers WHERE NOT deleted AND email_verified AND ($1::bigint = 0 OR id = $1)`,
		customerID).QueryRow(func(r pgx.Row) error { return r.Scan(&out.Confirmed) })
	b.Queue(`SELECT status, count(*) FROM memberships WHERE NOT deleted AND ($1::bigint = 0 OR customer_id = $1) GROUP BY status`,
		customerID).Query(byStatus(out.Services))
	b.Queue(`SELECT currency, sum(total)::bigint, count(*) FROM payments
		WHERE NOT deleted AND status = $2 AND ($1::bigint = 0 OR customer_id = $1) GROUP BY currency ORDER BY currency`,
		customerID, projection.PaymentCompleted).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var r projection.Revenue
			if err := rows.Scan(&r.Currency, &r.Total, &r.Payments); err != nil {
				return err
			}
			out.Revenue = append(out.Revenue, r)
		}
		return rows.Err()
	})
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return projection.Counts{}, mapErr(err)
	}
	return out, nil
}
