package postgres

import (
	"context"
	"fmt"

	"github.com/hostplane/hostplane/services/sites/site"
)

// firstsLimit is the LIMIT of k, the first matches in order a statement
// reads its page from: to the page's end, or the n to keep if more (none:
// every match).
func firstsLimit(f site.ListFilter, n int, a *args) string {
	if f.Limit <= 0 {
		return ""
	}
	return ` LIMIT ` + a.add(max(n, f.Offset+f.Limit))
}

// fromKept is the end of a statement that reads the page of f from k: the
// last column of its select list, which carries the ids of k on one row of
// the page (p.n = 1) if n are to be kept, and the rest.
func fromKept(f site.ListFilter, n int, order string, a *args) (firsts, page string) {
	firsts = `NULL::bigint[]`
	if n > 0 {
		firsts = `CASE WHEN p.n = 1 THEN (SELECT array_agg(id ORDER BY ` + order + `) FROM k) END`
	}
	return firsts, ` FROM sites JOIN (SELECT id, row_number() OVER () AS n FROM (SELECT id FROM k` + pageOf(f, order, a) + `) x) p USING (id)
		ORDER BY ` + order
}

// queryKept reads sites, each row followed by the columns extra and the
// ids a row may carry (see fromKept).
func (st *Sites) queryKept(ctx context.Context, q string, a args, extra ...any) ([]site.Site, []int64, error) {
	var ids, row []int64
	out, err := st.query(ctx, q, customPlan(a), func() {
		if row != nil {
			ids = row
		}
	}, append(extra, &row)...)
	return out, ids, err
}

// keep keeps k, the first matches of f read for n, if there are any.
func (st *Sites) keep(f site.ListFilter, key string, n int, k kept) {
	if n == 0 || len(k.ids) == 0 {
		return
	}
	k.all = len(k.ids) == k.total
	st.pages.put(keptKey(f, key), k)
}

// listKept answers a page of a term search from the ordered matches kept
// (see pages), if they are kept at the version its sites are read at (ok
// false otherwise).
func (st *Sites) listKept(ctx context.Context, f site.ListFilter, key string) ([]site.Site, int, bool, error) {
	if keptFor(f) == 0 {
		return nil, 0, false, nil
	}
	pk := keptKey(f, key)
	ids, at, total, ok := st.pages.page(pk, f.Offset, f.Limit)
	if !ok {
		return nil, 0, false, nil
	}
	version := int64(-1)
	got, err := st.query(ctx, `SELECT `+siteColumns+`, (SELECT v FROM site_search_version) FROM sites WHERE id = ANY($1)`,
		[]any{ids}, nil, &version)
	if err != nil {
		return nil, 0, false, err
	}
	if version != at || len(got) != len(ids) {
		st.pages.drop(pk, at)
		return nil, 0, false, nil
	}
	byID := make(map[int64]site.Site, len(got))
	for _, s := range got {
		byID[s.ID] = s
	}
	out := make([]site.Site, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, total, true, nil
}

// keptKey is the key of a search's kept matches: its filter's key and
// order.
func keptKey(f site.ListFilter, key string) string {
	return fmt.Sprintf("%s|%s|%t", key, f.OrderBy, f.Desc)
}
