package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/sites/domains"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Domains is the PostgreSQL domains.Store.
type Domains struct{ pool *pgxpool.Pool }

// NewDomains returns a store on pool.
func NewDomains(pool *pgxpool.Pool) *Domains { return &Domains{pool: pool} }

// domainColumns are read FROM domains d JOIN sites s.
const domainColumns = `d.id, d.site_id, s.customer_id, d.name, d.active, d.is_primary, d.secure, d.ssl_required, d.stage,
	d.attempts, d.next_check, d.date_created, d.date_modified`

const domainJoin = ` FROM domains d JOIN sites s ON s.id = d.site_id`

func scanDomain(row pgx.Row) (domains.Domain, error) {
	var d domains.Domain
	err := row.Scan(&d.ID, &d.SiteID, &d.CustomerID, &d.Name, &d.Active, &d.Primary, &d.Secure, &d.SSLRequired, &d.Stage,
		&d.Attempts, &d.NextCheck, &d.DateCreated, &d.DateModified)
	normalizeDomain(&d)
	return d, err
}

func normalizeDomain(d *domains.Domain) {
	d.DateCreated, d.DateModified, d.NextCheck = micro(d.DateCreated), micro(d.DateModified), micro(d.NextCheck)
}

func domainEvent(ctx context.Context, tx pgx.Tx, typ string, d domains.Domain) error {
	e, err := domains.NewEvent(typ, d)
	if err != nil {
		return err
	}
	return events.Insert(ctx, tx, e)
}

// demote makes the site's other domains not primary, with their events.
func demote(ctx context.Context, tx pgx.Tx, d domains.Domain) error {
	if !d.Primary {
		return nil
	}
	rows, err := tx.Query(ctx, `UPDATE domains d SET is_primary = false, date_modified = $3 FROM sites s
		WHERE s.id = d.site_id AND d.site_id = $1 AND d.id <> $2 AND d.is_primary RETURNING `+domainColumns,
		d.SiteID, d.ID, d.DateModified)
	if err != nil {
		return err
	}
	var demoted []domains.Domain
	for rows.Next() {
		o, err := scanDomain(rows)
		if err != nil {
			rows.Close()
			return err
		}
		demoted = append(demoted, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, o := range demoted {
		if err := domainEvent(ctx, tx, domains.EventUpdated, o); err != nil {
			return err
		}
	}
	return nil
}

// Create inserts d, demoting the site's primary when d is primary.
func (st *Domains) Create(ctx context.Context, d *domains.Domain) error {
	normalizeDomain(d)
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT customer_id FROM sites WHERE id = $1 FOR SHARE`, d.SiteID).Scan(&d.CustomerID); err != nil {
			if err == pgx.ErrNoRows {
				return errs.InvalidField("blog_id", "No site has this id.")
			}
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM domains WHERE site_id = $1 FOR UPDATE`, d.SiteID); err != nil {
			return err
		}
		if err := claimMapping(ctx, tx, d.Name, d.SiteID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO domains (site_id, name, active, is_primary, secure, ssl_required, stage,
				attempts, next_check, date_created, date_modified)
			VALUES ($1, $2, $3, false, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			d.SiteID, d.Name, d.Active, d.Secure, d.SSLRequired, d.Stage, d.Attempts, d.NextCheck, d.DateCreated,
			d.DateModified).Scan(&d.ID); err != nil {
			return err
		}
		if err := demote(ctx, tx, *d); err != nil {
			return err
		}
		if d.Primary {
			if _, err := tx.Exec(ctx, `UPDATE domains SET is_primary = true WHERE id = $1`, d.ID); err != nil {
				return err
			}
		}
		return domainEvent(ctx, tx, domains.EventCreated, *d)
	})
	if err != nil {
		d.ID = 0
	}
	return mapErr(err, "domain")
}

// Get returns domain id.
func (st *Domains) Get(ctx context.Context, id int64) (domains.Domain, error) {
	d, err := scanDomain(st.pool.QueryRow(ctx, `SELECT `+domainColumns+domainJoin+` WHERE d.id = $1`, id))
	return d, mapErr(err, "domain")
}

var domainOrders = map[domains.Order]string{
	domains.ByID: "d.id", domains.ByDomain: "d.name", domains.ByDateCreated: "d.date_created", domains.ByBlogID: "d.site_id",
}

// List filters, orders and pages domains.
func (st *Domains) List(ctx context.Context, f domains.ListFilter) ([]domains.Domain, int, error) {
	if f.OrderBy == "" {
		f.OrderBy = domains.ByID
	}
	col, ok := domainOrders[f.OrderBy]
	if !ok {
		return nil, 0, errs.InvalidField("orderby", "Unknown sort key.")
	}
	var a args
	var conds []string
	if f.CustomerID != 0 {
		conds = append(conds, "s.customer_id = "+a.add(f.CustomerID))
	}
	if f.SiteID != 0 {
		conds = append(conds, "d.site_id = "+a.add(f.SiteID))
	}
	if f.Stage != "" {
		conds = append(conds, "d.stage = "+a.add(f.Stage))
	}
	if f.Search != "" {
		conds = append(conds, "d.name LIKE "+a.add(likePattern(strings.ToLower(f.Search))))
	}
	if f.CreatedFrom != nil {
		conds = append(conds, "d.date_created >= "+a.add(*f.CreatedFrom))
	}
	if f.CreatedTo != nil {
		conds = append(conds, "d.date_created <= "+a.add(*f.CreatedTo))
	}
	cond := ""
	if len(conds) > 0 {
		cond = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := st.pool.QueryRow(ctx, `SELECT count(*)`+domainJoin+cond, a...).Scan(&total); err != nil {
		return nil, 0, mapErr(err, "domain")
	}
	if total == 0 || f.Offset >= total {
		return []domains.Domain{}, total, nil
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = a.add(f.Limit)
	}
	rows, err := st.pool.Query(ctx, `SELECT `+domainColumns+domainJoin+cond+` ORDER BY `+col+dir+`, d.id`+dir+
		` LIMIT `+limit+` OFFSET `+a.add(f.Offset), a...)
	if err != nil {
		return nil, 0, mapErr(err, "domain")
	}
	defer rows.Close()
	out := []domains.Domain{}
	for rows.Next() {
		d, err := scanDomain(rows)
		if err != nil {
			return nil, 0, mapErr(err, "domain")
		}
		out = append(out, d)
	}
	return out, total, mapErr(rows.Err(), "domain")
}

// Update applies fn to domain id in one transaction.
func (st *Domains) Update(ctx context.Context, id int64, fn func(*domains.Domain) error) (domains.Domain, error) {
	var out domains.Domain
	var fnErr error
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		old, err := scanDomain(tx.QueryRow(ctx, `SELECT `+domainColumns+domainJoin+` WHERE d.id = $1 FOR UPDATE OF d`, id))
		if err != nil {
			return err
		}
		d := old
		if err := fn(&d); err != nil {
			fnErr = err
			return err
		}
		d.ID, d.DateCreated = old.ID, old.DateCreated
		normalizeDomain(&d)
		if d.SiteID != old.SiteID {
			if err := tx.QueryRow(ctx, `SELECT customer_id FROM sites WHERE id = $1`, d.SiteID).Scan(&d.CustomerID); err != nil {
				if err == pgx.ErrNoRows {
					return errs.InvalidField("blog_id", "No site has this id.")
				}
				return err
			}
		}
		if d.Name != old.Name || d.SiteID != old.SiteID {
			if err := claimMapping(ctx, tx, d.Name, d.SiteID); err != nil {
				return err
			}
		}
		if err := demote(ctx, tx, d); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE domains SET site_id = $2, name = $3, active = $4, is_primary = $5, secure = $6,
				ssl_required = $7, stage = $8, attempts = $9, next_check = $10, date_modified = $11 WHERE id = $1`,
			d.ID, d.SiteID, d.Name, d.Active, d.Primary, d.Secure, d.SSLRequired, d.Stage, d.Attempts, d.NextCheck,
			d.DateModified); err != nil {
			return err
		}
		out = d
		if domains.SameView(d, old) {
			return nil
		}
		return domainEvent(ctx, tx, domains.EventUpdated, d)
	})
	if fnErr != nil {
		return domains.Domain{}, fnErr
	}
	return out, mapErr(err, "domain")
}

// Delete removes domain id.
func (st *Domains) Delete(ctx context.Context, id int64) (domains.Domain, error) {
	var out domains.Domain
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		d, err := scanDomain(tx.QueryRow(ctx, `WITH x AS (DELETE FROM domains WHERE id = $1 RETURNING *)
			SELECT `+strings.ReplaceAll(domainColumns, "d.", "x.")+` FROM x JOIN sites s ON s.id = x.site_id`, id))
		if err != nil {
			return err
		}
		out = d
		return domainEvent(ctx, tx, domains.EventDeleted, d)
	})
	return out, mapErr(err, "domain")
}

// Due claims domains whose check is due (SKIP LOCKED: several checkers
// share the work).
func (st *Domains) Due(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domains.Domain, error) {
	rows, err := st.pool.Query(ctx, `WITH due AS (
			SELECT id FROM domains WHERE stage IN ('checking-dns', 'checking-ssl-cert') AND next_check <= $1
			ORDER BY next_check, id LIMIT $3 FOR UPDATE SKIP LOCKED)
		UPDATE domains d SET next_check = $2 FROM due, sites s WHERE d.id = due.id AND s.id = d.site_id
		RETURNING `+domainColumns, now, now.Add(lease), limit)
	if err != nil {
		return nil, mapErr(err, "domain")
	}
	defer rows.Close()
	var out []domains.Domain
	for rows.Next() {
		d, err := scanDomain(rows)
		if err != nil {
			return nil, mapErr(err, "domain")
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err(), "domain")
}
