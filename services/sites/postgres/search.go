package postgres

import (
	"context"
	"fmt"

	"github.com/hostplane/hostplane/services/sites/site"
	"github.com/jackc/pgx/v5"
)

// walkMin is the default total from which a term search ordered by an indexed
// date (or id) pages by walking that index: with 1,000 matches in 100,000
// sites, a page of 20 is found within about 2,000 rows.
const walkMin = 1000

// listTerm lists a term search in one of two ways.
//
// matches (any order, and any term seen rarely or not yet): gather the
// matches through the trigram index, count them, sort their keys and read
// the page's rows alone, in one statement. Its cost grows with the
// matches: each one is checked against the text, the index only narrowing
// the candidates.
//
// walk (a common term, ordered by creation, closing date or id): walk the
// order's index and stop at the page, the total taken from the totals kept
// at the same version of the search data (see totals), counted apart only
// when the data changed. Not for codes (nor relevance, titles, domains):
// a term is often part of the codes, which then sit together in the
// code's order, and the walk would read every code before them.
//
// Which is common is what the last count said (any version: it only picks
// the plan, never the answer).
func (st *Sites) listTerm(ctx context.Context, f site.ListFilter) ([]site.Site, int, error) {
	var c args
	key := fmt.Sprint(siteWhere(f, &c), c)
	switch f.OrderBy {
	case site.ByDateCreated, site.ByClosingDate, site.ByID:
		if n, ok := st.totals.hint(key); ok && n >= st.walkMin {
			return st.listWalk(ctx, f, key)
		}
	}
	return st.listMatches(ctx, f, key)
}

// listMatches is listTerm's matches way.
func (st *Sites) listMatches(ctx context.Context, f site.ListFilter, key string) ([]site.Site, int, error) {
	var a args
	cond := siteWhere(f, &a)
	order, err := siteOrder(f, &a)
	if err != nil {
		return nil, 0, err
	}
	q := `WITH m AS MATERIALIZED (SELECT ` + orderKeys[f.OrderBy] + ` FROM ` + searchTable(f, true) + cond + `)
		SELECT ` + siteColumns + `, (SELECT count(*) FROM m), (SELECT v FROM site_search_version)
		FROM sites JOIN (SELECT id FROM m` + pageOf(f, order, &a) + `) p USING (id)
		ORDER BY ` + order
	total, version := -1, int64(0)
	out, err := st.query(ctx, q, a, &total, &version)
	if err != nil {
		return nil, 0, err
	}
	if total >= 0 {
		st.totals.put(key, version, total)
	}
	if total, err = st.settleTotal(ctx, f, total); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// listWalk is listTerm's walk way.
func (st *Sites) listWalk(ctx context.Context, f site.ListFilter, key string) ([]site.Site, int, error) {
	var a args
	cond := siteWhere(f, &a)
	order, err := siteOrder(f, &a)
	if err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + siteColumns + `, (SELECT v FROM site_search_version) FROM sites` + cond + pageOf(f, order, &a)
	version := int64(-1)
	out, err := st.query(ctx, q, a, &version)
	if err != nil {
		return nil, 0, err
	}
	if n, ok := st.totals.get(key, version); ok {
		return out, n, nil
	}
	var c args
	var n int
	err = st.pool.QueryRow(ctx, `SELECT count(*), (SELECT v FROM site_search_version) FROM `+searchTable(f, false)+siteWhere(f, &c),
		customPlan(c)...).Scan(&n, &version)
	if err != nil {
		return nil, 0, mapErr(err, "site")
	}
	st.totals.put(key, version, n)
	return out, n, nil
}

// pageOf is the ORDER BY, LIMIT and OFFSET of f.
func pageOf(f site.ListFilter, order string, a *args) string {
	limit := "ALL"
	if f.Limit > 0 {
		limit = a.add(f.Limit)
	}
	return ` ORDER BY ` + order + ` LIMIT ` + limit + ` OFFSET ` + a.add(f.Offset)
}

// query reads sites, each row followed by the columns extra (the same on
// every row).
func (st *Sites) query(ctx context.Context, q string, a args, extra ...any) ([]site.Site, error) {
	rows, err := st.pool.Query(ctx, q, customPlan(a)...)
	if err != nil {
		return nil, mapErr(err, "site")
	}
	defer rows.Close()
	out := []site.Site{}
	for rows.Next() {
		s, err := scanSiteAnd(rows, extra...)
		if err != nil {
			return nil, mapErr(err, "site")
		}
		out = append(out, s)
	}
	return out, mapErr(rows.Err(), "site")
}

// scanSiteAnd scans a site followed by the columns extra.
func scanSiteAnd(rows pgx.Rows, extra ...any) (site.Site, error) {
	var s site.Site
	dest := append([]any{&s.ID, &s.Code, &s.CustomerID, &s.MembershipID, &s.TemplateID, &s.PlanID, &s.Title, &s.Description,
		&s.Domain, &s.Path, &s.Type, &s.Active, &s.Public, &s.Archived, &s.Status, &s.Provisioning, &s.Plan.Name,
		&s.Plan.IsTrial, &s.Plan.IsFree, &s.Plan.ClosingDate, &s.Plan.EndTrialDate, &s.Contact, &s.DateCreated,
		&s.DateModified}, extra...)
	err := rows.Scan(dest...)
	normalizeSite(&s)
	return s, err
}

// customPlan runs a statement unnamed (pgx's exec mode), so that
// PostgreSQL plans it for its values: a generic plan cannot tell a common
// term from a rare one.
func customPlan(a args) []any { return append([]any{pgx.QueryExecModeExec}, a...) }

// searchTable is where a term search looks for its matches: site_search,
// the narrow copy of the search text and sort keys (migration 00003), when
// the term is the only filter and (ordered) the order's keys are there;
// sites otherwise. Both have the columns of siteWhere's term condition and
// of orderKeys under the same names.
func searchTable(f site.ListFilter, ordered bool) string {
	rest := f
	rest.Term = ""
	var discard args
	if siteWhere(rest, &discard) != "" || ordered && f.OrderBy == site.ByDomain {
		return "sites"
	}
	return "site_search"
}

// orderKeys are the columns a term search keeps to sort its matches.
var orderKeys = map[site.Order]string{
	site.ByID: "id", site.ByCode: "id, code", site.ByTitle: "id, title", site.ByDomain: "id, domain",
	site.ByDateCreated: "id, date_created", site.ByDateModified: "id, date_modified",
	site.ByClosingDate: "id, closing_date", site.ByRelevance: "id, code, title",
}
