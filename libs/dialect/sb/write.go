package sb

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
)

// WriteData writes v as the data of a successful envelope (meta.success is
// false for a status of 400 or more).
func WriteData(w http.ResponseWriter, r *http.Request, status int, v any) {
	httpio.WriteJSON(w, status, Envelope{
		Meta: Meta{Success: status < 400, StatusCode: status, RateRemaining: RateRemaining(w, r)},
		Data: v,
	})
}

// WriteList writes one page of items (a JSON array, never null) out of
// total, with the list meta and links built from r's path and query.
func WriteList(w http.ResponseWriter, r *http.Request, items any, total int, p Page) {
	limit := p.Limit
	if limit < 1 {
		limit = DefaultLimit
	}
	page := max(p.Page, 0)
	total = max(total, 0)
	if isNilList(items) {
		items = json.RawMessage("[]")
	}
	httpio.WriteJSON(w, http.StatusOK, Envelope{
		Meta: Meta{
			Success:       true,
			StatusCode:    http.StatusOK,
			RateRemaining: RateRemaining(w, r),
			ItemsCount:    &total,
			ItemsPerPage:  &limit,
			CurrentPage:   &page,
			Link:          links(r, page, limit, total),
		},
		Data: items,
	})
}

func isNilList(items any) bool {
	if items == nil {
		return true
	}
	v := reflect.ValueOf(items)
	return (v.Kind() == reflect.Slice || v.Kind() == reflect.Pointer || v.Kind() == reflect.Map) && v.IsNil()
}

// links builds the page links of a list: paths keeping the other query
// parameters, then limit and page.
func links(r *http.Request, page, limit, total int) *Links {
	last := max((total+limit-1)/limit-1, 0)
	path, query := "/", ""
	if r != nil {
		path = r.URL.Path
		q := r.URL.Query()
		q.Del("limit")
		q.Del("page")
		if len(q) > 0 {
			query = q.Encode() + "&"
		}
	}
	at := func(n int) Link {
		return Link(path + "?" + query + "limit=" + strconv.Itoa(limit) + "&page=" + strconv.Itoa(n))
	}
	l := &Links{FirstPage: at(0), LastPage: at(last)}
	if page > 0 {
		l.PreviousPage = at(min(page-1, last))
	}
	if page < last {
		l.NextPage = at(page + 1)
	}
	return l
}
