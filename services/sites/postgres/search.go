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

// listTerm lists a term search from the pages kept of it (see pages) if it
// can, otherwise in one of two ways.
//
// matches (any order, and any term seen rarely or not yet): gather the
// matches through the trigram index, count them, sort their keys and read
// the page's rows alone, in one statement, which also hands back the ids
// of the first matches in order to keep. Its cost grows with the matches:
// each one is checked against the text, the index only narrowing the
// candidates.
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
	key := filterKey(f)
	if out, total, ok, err := st.listKept(ctx, f, key); ok || err != nil {
		return out, total, err
	}
	switch f.OrderBy {
	case site.ByDateCreated, site.ByClosingDate, site.ByID:
		if n, ok := st.totals.hint(key); ok && n >= st.walkMin {
			return st.listWalk(ctx, f, key)
		}
	}
	return st.listMatches(ctx, f, key)
}

// filterKey is what tells f's matches apart: its WHERE clause and values.
func filterKey(f site.ListFilter) string {
	var c args
	return fmt.Sprint(siteWhere(f, &c), c)
}

// listMatches is listTerm's matches way. It also reads the ids of the
// search's first matches in order (keptFor), which the store keeps for the
// next pages (see pages).
func (st *Sites) listMatches(ctx context.Context, f site.ListFilter, key string) ([]site.Site, int, error) {
	var a args
	cond := siteWhere(f, &a)
	order, err := siteOrder(f, &a)
	if err != nil {
		return nil, 0, err
	}
	n := keptFor(f)
	firsts, page := fromKept(f, n, order, &a)
	q := `WITH m AS MATERIALIZED (SELECT ` + orderKeys[f.OrderBy] + ` FROM ` + searchTable(f, true) + cond + `),
		k AS MATERIALIZED (SELECT * FROM m ORDER BY ` + order + firstsLimit(f, n, &a) + `)
		SELECT ` + siteColumns + `, (SELECT count(*) FROM m), (SELECT v FROM site_search_version), ` + firsts + page
	total, version := -1, int64(0)
	out, ids, err := st.queryKept(ctx, q, a, &total, &version)
	if err != nil {
		return nil, 0, err
	}
	if total >= 0 {
		st.totals.put(key, version, total)
		st.keep(f, key, n, kept{version: version, ids: ids, total: total})
	}
	if total, err = st.settleTotal(ctx, f, total); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// listWalk is listTerm's walk way. It keeps the matches it walked past
// (see pages), if the total is known at the same version: a walk costs
// the rows it reads, so it reads no more than the page needs.
func (st *Sites) listWalk(ctx context.Context, f site.ListFilter, key string) ([]site.Site, int, error) {
	var a args
	cond := siteWhere(f, &a)
	order, err := siteOrder(f, &a)
	if err != nil {
		return nil, 0, err
	}
	n := 0
	if keptFor(f) > 0 {
		n = f.Offset + f.Limit
	}
	firsts, page := fromKept(f, n, order, &a)
	q := `WITH k AS MATERIALIZED (SELECT ` + orderKeys[f.OrderBy] + ` FROM sites` + cond + ` ORDER BY ` + order + firstsLimit(f, n, &a) + `)
		SELECT ` + siteColumns + `, (SELECT v FROM site_search_version), ` + firsts + page
	version := int64(-1)
	out, ids, err := st.queryKept(ctx, q, a, &version)
	if err != nil {
		return nil, 0, err
	}
	if total, ok := st.totals.get(key, version); ok {
		st.keep(f, key, n, kept{version: version, ids: ids, total: total})
		return out, total, nil
	}
	var c args
	var total int
	err = st.pool.QueryRow(ctx, `SELECT count(*), (SELECT v FROM site_search_version) FROM `+searchTable(f, false)+siteWhere(f, &c),
		customPlan(c)...).Scan(&total, &version)
	if err != nil {
		return nil, 0, mapErr(err, "site")
	}
	st.totals.put(key, version, total)
	return out, total, nil
}

// pageOf is the ORDER BY, LIMIT and OFFSET of f.
func pageOf(f site.ListFilter, order string, a *args) string {
	limit := "ALL"
	if f.Limit > 0 {
		limit = a.add(f.Limit)
	}
	return ` ORDER BY ` + order + ` LIMIT ` + limit + ` OFFSET ` + a.add(f.Offset)
}

// query reads sites, each row followed by the columns extra, calling
// scanned (if not nil) after each row.
func (st *Sites) query(ctx context.Context, q string, a []any, scanned func(), extra ...any) ([]site.Site, error) {
	rows, err := st.pool.Query(ctx, q, a...)
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
		if scanned != nil {
			scanned()
		}
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
