package wu

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
)

// exposeHeaders lets browsers read the paging headers, as WordPress does.
const exposeHeaders = "X-WP-Total, X-WP-TotalPages, Link"

// WriteJSON writes v as the bare JSON body with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Access-Control-Expose-Headers", exposeHeaders)
	httpio.WriteJSON(w, status, v)
}

// WriteList writes one page of a list: the bare JSON array (never null)
// with X-WP-Total (total) and X-WP-TotalPages (0 when total is 0).
func WriteList(w http.ResponseWriter, items any, total int, q ListQuery) {
	perPage := q.PerPage
	if perPage < 1 {
		perPage = DefaultPerPage
	}
	if total < 0 {
		total = 0
	}
	h := w.Header()
	// WordPress's exact spelling (Header.Set would write X-Wp-Total).
	h["X-WP-Total"] = []string{strconv.Itoa(total)}
	h["X-WP-TotalPages"] = []string{strconv.Itoa((total + perPage - 1) / perPage)}
	if isNilList(items) {
		items = json.RawMessage("[]")
	}
	WriteJSON(w, http.StatusOK, items)
}

// isNilList reports whether items would encode as null.
func isNilList(items any) bool {
	if items == nil {
		return true
	}
	v := reflect.ValueOf(items)
	return (v.Kind() == reflect.Slice || v.Kind() == reflect.Pointer || v.Kind() == reflect.Map) && v.IsNil()
}

// deleted is the answer to a DELETE.
type deleted struct {
	Deleted  bool `json:"deleted"`
	Previous any  `json:"previous"`
}

// WriteDeleted answers a DELETE: 200 {"deleted":true,"previous":previous}.
func WriteDeleted(w http.ResponseWriter, previous any) {
	WriteJSON(w, http.StatusOK, deleted{Deleted: true, Previous: previous})
}
