package postgres

import (
	"context"

	"github.com/hostplane/hostplane/services/sites/site"
)

// WalkFrom makes st walk the order's index from n matches (see listTerm),
// so that the tests' few sites take both ways.
func WalkFrom(st *Sites, n int) *Sites {
	st.walkMin = n
	return st
}

// Kept reports whether st keeps the page of f (a term search) at the
// current version of the search data.
func Kept(st *Sites, f site.ListFilter) bool {
	_, at, _, ok := st.pages.page(keptKey(f, filterKey(f)), f.Offset, f.Limit)
	var v int64
	if err := st.pool.QueryRow(context.Background(), `SELECT v FROM site_search_version`).Scan(&v); err != nil {
		return false
	}
	return ok && at == v
}
