package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/sites/idempotency"
	"github.com/hostplane/hostplane/services/sites/site"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Sites is the PostgreSQL site.Store.
type Sites struct {
	pool    *pgxpool.Pool
	totals  totals // of term searches, see listTerm
	pages   pages  // the first matches of term searches, see listMatches
	walkMin int    // see listTerm
}

// NewSites returns a store on pool.
func NewSites(pool *pgxpool.Pool) *Sites { return &Sites{pool: pool, walkMin: walkMin} }

const siteColumns = `id, code, customer_id, membership_id, template_id, plan_id, title, description, domain, path,
	type, active, public, archived, status, provisioning, plan_name, is_trial, is_free, closing_date, endtrial_date,
	contact, date_created, date_modified`

func scanSite(row pgx.Row) (site.Site, error) {
	var s site.Site
	err := row.Scan(&s.ID, &s.Code, &s.CustomerID, &s.MembershipID, &s.TemplateID, &s.PlanID, &s.Title, &s.Description,
		&s.Domain, &s.Path, &s.Type, &s.Active, &s.Public, &s.Archived, &s.Status, &s.Provisioning, &s.Plan.Name,
		&s.Plan.IsTrial, &s.Plan.IsFree, &s.Plan.ClosingDate, &s.Plan.EndTrialDate, &s.Contact, &s.DateCreated, &s.DateModified)
	normalizeSite(&s)
	return s, err
}

// normalizeSite keeps what PostgreSQL keeps: UTC, to the microsecond.
func normalizeSite(s *site.Site) {
	s.DateCreated, s.DateModified = micro(s.DateCreated), micro(s.DateModified)
	s.Plan.ClosingDate, s.Plan.EndTrialDate = microPtr(s.Plan.ClosingDate), microPtr(s.Plan.EndTrialDate)
}

func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func microPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	m := micro(*t)
	return &m
}

func writeSiteEvent(ctx context.Context, tx pgx.Tx, typ string, s site.Site) error {
	if typ == "" {
		return nil
	}
	e, err := site.NewEvent(typ, s)
	if err != nil {
		return err
	}
	return events.Insert(ctx, tx, e)
}

// Create inserts s, its idempotency record and its event.
func (st *Sites) Create(ctx context.Context, s *site.Site, idem *idempotency.Record, event string) error {
	normalizeSite(s)
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if err := claimSiteDomain(ctx, tx, s.Domain, 0); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO sites (code, customer_id, membership_id, template_id, plan_id, title,
				description, domain, path, type, active, public, archived, status, provisioning, plan_name, is_trial,
				is_free, closing_date, endtrial_date, contact, date_created, date_modified)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
			RETURNING id`,
			s.Code, s.CustomerID, s.MembershipID, s.TemplateID, s.PlanID, s.Title, s.Description, s.Domain, s.Path,
			s.Type, s.Active, s.Public, s.Archived, s.Status, s.Provisioning, s.Plan.Name, s.Plan.IsTrial, s.Plan.IsFree,
			s.Plan.ClosingDate, s.Plan.EndTrialDate, s.Contact, s.DateCreated, s.DateModified).Scan(&s.ID)
		if err != nil {
			return err
		}
		if err := insertIdem(ctx, tx, idem, s.ID); err != nil {
			return err
		}
		return writeSiteEvent(ctx, tx, event, *s)
	})
	if err != nil {
		s.ID = 0
	}
	return mapErr(err, "site")
}

// Get returns site id.
func (st *Sites) Get(ctx context.Context, id int64) (site.Site, error) {
	s, err := scanSite(st.pool.QueryRow(ctx, `SELECT `+siteColumns+` FROM sites WHERE id = $1`, id))
	return s, mapErr(err, "site")
}

// GetByCode returns the site of code.
func (st *Sites) GetByCode(ctx context.Context, code string) (site.Site, error) {
	s, err := scanSite(st.pool.QueryRow(ctx, `SELECT `+siteColumns+` FROM sites WHERE code = $1`, code))
	return s, mapErr(err, "site")
}

// orderColumns maps sort keys to SQL expressions (fixed fragments only).
var orderColumns = map[site.Order]string{
	site.ByID:           "id",
	site.ByCode:         "code",
	site.ByTitle:        "title",
	site.ByDomain:       "domain",
	site.ByDateCreated:  "date_created",
	site.ByDateModified: "date_modified",
	site.ByClosingDate:  "closing_date",
}

// siteWhere builds the WHERE clause of f; values travel as parameters.
func siteWhere(f site.ListFilter, a *args) string {
	var conds []string
	if f.CustomerID != 0 {
		conds = append(conds, "customer_id = "+a.add(f.CustomerID))
	}
	if f.MembershipID != 0 {
		conds = append(conds, "membership_id = "+a.add(f.MembershipID))
	}
	if f.TemplateID != 0 {
		conds = append(conds, "template_id = "+a.add(f.TemplateID))
	}
	if f.Type != "" {
		conds = append(conds, "type = "+a.add(f.Type))
	}
	if f.Status != "" {
		conds = append(conds, "status = "+a.add(f.Status))
	}
	if f.CreatedFrom != nil {
		conds = append(conds, "date_created >= "+a.add(*f.CreatedFrom))
	}
	if f.CreatedTo != nil {
		conds = append(conds, "date_created <= "+a.add(*f.CreatedTo))
	}
	if f.Term != "" {
		conds = append(conds, "search LIKE "+a.add(likePattern(strings.ToLower(f.Term))))
	}
	switch f.Select {
	case site.SelectOpen:
		conds = append(conds, "status = 'open'")
	case site.SelectClosed:
		conds = append(conds, "status <> 'open'")
	case site.SelectTrial:
		conds = append(conds, "is_trial")
	case site.SelectFree:
		conds = append(conds, "is_free")
	case site.SelectDemo:
		conds = append(conds, "type = 'demo'")
	case site.SelectClosingSoon:
		conds = append(conds, "status = 'open' AND closing_date BETWEEN "+a.add(f.Now)+" AND "+a.add(f.Now.Add(site.ClosingSoon)))
	}
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// List filters, orders and pages sites. A list without a term is one
// statement that pages with the order's index and counts the matches (a
// second one only for a page past the end); a term search is listTerm's.
func (st *Sites) List(ctx context.Context, f site.ListFilter) ([]site.Site, int, error) {
	if f.OrderBy == "" {
		f.OrderBy = site.ByID
	}
	if f.Now.IsZero() {
		f.Now = time.Now()
	}
	if f.Term != "" {
		return st.listTerm(ctx, f)
	}
	var a args
	cond := siteWhere(f, &a)
	order, err := siteOrder(f, &a)
	if err != nil {
		return nil, 0, err
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = a.add(f.Limit)
	}
	q := `SELECT ` + siteColumns + `, (SELECT count(*) FROM sites` + cond + `) FROM sites` + cond +
		` ORDER BY ` + order + ` LIMIT ` + limit + ` OFFSET ` + a.add(f.Offset)
	total := -1
	rows, err := st.pool.Query(ctx, q, a...)
	if err != nil {
		return nil, 0, mapErr(err, "site")
	}
	defer rows.Close()
	out := []site.Site{}
	for rows.Next() {
		s, err := scanSiteAnd(rows, &total)
		if err != nil {
			return nil, 0, mapErr(err, "site")
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, mapErr(err, "site")
	}
	if total, err = st.settleTotal(ctx, f, total); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// settleTotal completes a total a page query could not see (-1: the page
// held no row to carry the window count).
func (st *Sites) settleTotal(ctx context.Context, f site.ListFilter, total int) (int, error) {
	switch {
	case total >= 0:
		return total, nil
	case f.Offset == 0:
		// An empty first page: nothing matches.
		return 0, nil
	default:
		// A page past the end: count apart.
		return st.count(ctx, f)
	}
}

// count counts the sites of f.
func (st *Sites) count(ctx context.Context, f site.ListFilter) (int, error) {
	var a args
	var n int
	err := st.pool.QueryRow(ctx, `SELECT count(*) FROM sites`+siteWhere(f, &a), customPlan(a)...).Scan(&n)
	return n, mapErr(err, "site")
}

// siteOrder is the ORDER BY of f, over columns a term search's
// materialized rows keep too.
func siteOrder(f site.ListFilter, a *args) (string, error) {
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	switch f.OrderBy {
	case site.ByRelevance:
		term := strings.ToLower(f.Term)
		return "CASE WHEN code = " + a.add(term) + " THEN 0 WHEN code LIKE " + a.add(likeEscape(term)+"%") +
			" THEN 1 WHEN lower(title) LIKE " + a.add(likeEscape(term)+"%") + " THEN 2 ELSE 3 END" + dir + ", code" + dir, nil
	case site.ByCode:
		return "code" + dir, nil
	case site.ByClosingDate:
		nulls := " NULLS LAST"
		if f.Desc {
			nulls = " NULLS FIRST"
		}
		return "closing_date" + dir + nulls + ", id" + dir, nil
	}
	col, ok := orderColumns[f.OrderBy]
	if !ok {
		return "", errs.InvalidField("orderby", "Unknown sort key.")
	}
	return col + dir + ", id" + dir, nil
}

// Update applies fn to site id in one transaction, the row locked.
func (st *Sites) Update(ctx context.Context, id int64, fn func(*site.Site) (string, error)) (site.Site, error) {
	var out site.Site
	var fnErr error
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		old, err := scanSite(tx.QueryRow(ctx, `SELECT `+siteColumns+` FROM sites WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		s := old.Clone()
		event, err := fn(&s)
		if err != nil {
			fnErr = err
			return err
		}
		s.ID, s.Code, s.DateCreated = old.ID, old.Code, old.DateCreated
		if s.Domain != old.Domain {
			if err := claimSiteDomain(ctx, tx, s.Domain, s.ID); err != nil {
				return err
			}
		}
		if err := saveSite(ctx, tx, &s); err != nil {
			return err
		}
		out = s
		return writeSiteEvent(ctx, tx, event, s)
	})
	if fnErr != nil {
		return site.Site{}, fnErr
	}
	if err != nil {
		return site.Site{}, mapErr(err, "site")
	}
	return out, nil
}

func saveSite(ctx context.Context, tx pgx.Tx, s *site.Site) error {
	normalizeSite(s)
	_, err := tx.Exec(ctx, `UPDATE sites SET customer_id = $2, membership_id = $3, template_id = $4, plan_id = $5,
			title = $6, description = $7, domain = $8, path = $9, type = $10, active = $11, public = $12,
			archived = $13, status = $14, provisioning = $15, plan_name = $16, is_trial = $17, is_free = $18,
			closing_date = $19, endtrial_date = $20, contact = $21, date_modified = $22
		WHERE id = $1`,
		s.ID, s.CustomerID, s.MembershipID, s.TemplateID, s.PlanID, s.Title, s.Description, s.Domain, s.Path, s.Type,
		s.Active, s.Public, s.Archived, s.Status, s.Provisioning, s.Plan.Name, s.Plan.IsTrial, s.Plan.IsFree,
		s.Plan.ClosingDate, s.Plan.EndTrialDate, s.Contact, s.DateModified)
	return err
}

// Delete removes site id (its domains and backups go with it).
func (st *Sites) Delete(ctx context.Context, id int64, event string) (site.Site, error) {
	var out site.Site
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		s, err := scanSite(tx.QueryRow(ctx, `DELETE FROM sites WHERE id = $1 RETURNING `+siteColumns, id))
		if err != nil {
			return err
		}
		out = s
		return writeSiteEvent(ctx, tx, event, s)
	})
	return out, mapErr(err, "site")
}

// Apply runs fn on a membership's sites once per event, in the transaction
// that records the event as handled.
func (st *Sites) Apply(ctx context.Context, consumer, eventID string, membershipID, siteID int64, fn func(*site.Site) string) ([]site.Site, error) {
	var changed []site.Site
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		first, err := events.FirstTime(ctx, tx, consumer, eventID)
		if err != nil || !first {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+siteColumns+` FROM sites
			WHERE (membership_id = $1 AND $1 <> 0) OR id = $2 ORDER BY id FOR UPDATE`, membershipID, siteID)
		if err != nil {
			return err
		}
		var ss []site.Site
		for rows.Next() {
			s, err := scanSite(rows)
			if err != nil {
				rows.Close()
				return err
			}
			ss = append(ss, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, s := range ss {
			event := fn(&s)
			if event == "" {
				continue
			}
			if err := saveSite(ctx, tx, &s); err != nil {
				return err
			}
			if err := writeSiteEvent(ctx, tx, event, s); err != nil {
				return err
			}
			changed = append(changed, s)
		}
		return nil
	})
	if err != nil {
		return nil, mapErr(err, "site")
	}
	return changed, nil
}

// Lookup finds an idempotency record.
func (st *Sites) Lookup(ctx context.Context, scope, key string) (idempotency.Record, bool, error) {
	return lookup(ctx, st.pool, scope, key)
}
