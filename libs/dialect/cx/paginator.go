package cx

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
)

// Laravel's pagination texts and window.
const (
	previousLabel = "&laquo; Previous"
	nextLabel     = "Next &raquo;"
	ellipsis      = "..."
	onEachSide    = 3
)

// Paginator is Laravel's LengthAwarePaginator as JSON, fields in Laravel's
// order. URLs are absolute; nil pointers are JSON null.
type Paginator struct {
	CurrentPage  int             `json:"current_page"`
	Data         json.RawMessage `json:"data"`
	FirstPageURL string          `json:"first_page_url"`
	From         *int            `json:"from"`
	LastPage     int             `json:"last_page"`
	LastPageURL  string          `json:"last_page_url"`
	Links        []Link          `json:"links"`
	NextPageURL  *string         `json:"next_page_url"`
	Path         string          `json:"path"`
	PerPage      int             `json:"per_page"`
	PrevPageURL  *string         `json:"prev_page_url"`
	To           *int            `json:"to"`
	Total        int             `json:"total"`
}

// Link is one entry of a paginator's links.
type Link struct {
	URL    *string `json:"url"`
	Label  string  `json:"label"`
	Active bool    `json:"active"`
}

// WriteList writes one page of items as a Laravel paginator (JSON or XML).
func WriteList(w http.ResponseWriter, r *http.Request, items any, total int, q ListQuery) {
	data, err := httpio.Marshal(items)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if string(data) == "null" {
		data = json.RawMessage("[]")
	}
	WriteJSON(w, r, http.StatusOK, NewPaginator(r, data, count(items), total, q))
}

// count is the number of items on the page.
func count(items any) int {
	v := reflect.ValueOf(items)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Slice || v.Kind() == reflect.Array {
		return v.Len()
	}
	return 0
}

// NewPaginator builds the paginator of a page holding n items (already
// encoded as data) out of total, with URLs built from r.
func NewPaginator(r *http.Request, data json.RawMessage, n, total int, q ListQuery) Paginator {
	perPage := q.PerPage
	if perPage < 1 {
		perPage = DefaultPerPage
	}
	page := max(q.Page, 1)
	total = max(total, 0)
	last := max((total+perPage-1)/perPage, 1)
	u := newPageURLs(r)
	p := Paginator{
		CurrentPage:  page,
		Data:         data,
		FirstPageURL: u.page(1),
		LastPage:     last,
		LastPageURL:  u.page(last),
		Path:         u.path,
		PerPage:      perPage,
		Total:        total,
	}
	if n > 0 {
		from := (page-1)*perPage + 1
		to := from + n - 1
		p.From, p.To = &from, &to
	}
	if page > 1 {
		p.PrevPageURL = ptr(u.page(page - 1))
	}
	if page < last {
		p.NextPageURL = ptr(u.page(page + 1))
	}
	p.Links = append(p.Links, Link{URL: p.PrevPageURL, Label: previousLabel})
	for _, e := range window(page, last) {
		if e == 0 {
			p.Links = append(p.Links, Link{Label: ellipsis})
			continue
		}
		p.Links = append(p.Links, Link{URL: ptr(u.page(e)), Label: strconv.Itoa(e), Active: e == page})
	}
	p.Links = append(p.Links, Link{URL: p.NextPageURL, Label: nextLabel})
	return p
}

func ptr(s string) *string { return &s }

// window lists the page numbers Laravel links to, 0 standing for "...":
// every page when there are few, otherwise the first pages, the pages
// around the current one and the last pages.
func window(page, last int) []int {
	span := func(from, to int) []int {
		var out []int
		for i := max(from, 1); i <= min(to, last); i++ {
			out = append(out, i)
		}
		return out
	}
	if last < onEachSide*2+8 {
		return span(1, last)
	}
	size := onEachSide + 4
	switch {
	case page <= size:
		return append(append(span(1, size+onEachSide), 0), span(last-1, last)...)
	case page > last-size:
		return append(append(span(1, 2), 0), span(last-(size+onEachSide-1), last)...)
	}
	out := append(span(1, 2), 0)
	out = append(out, span(page-onEachSide, page+onEachSide)...)
	return append(append(out, 0), span(last-1, last)...)
}

// pageURLs builds the absolute URL of a page of the current list, keeping
// every other query parameter.
type pageURLs struct {
	path  string // scheme://host/path
	query string // the other parameters, encoded
}

func newPageURLs(r *http.Request) pageURLs {
	if r == nil {
		return pageURLs{path: "/"}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := firstValue(r.Header.Get("X-Forwarded-Proto")); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if h := firstValue(r.Header.Get("X-Forwarded-Host")); h != "" {
		host = h
	}
	q := r.URL.Query()
	q.Del("page")
	return pageURLs{
		path:  (&url.URL{Scheme: scheme, Host: host, Path: r.URL.Path}).String(),
		query: q.Encode(),
	}
}

func firstValue(h string) string {
	v, _, _ := strings.Cut(h, ",")
	return strings.ToLower(strings.TrimSpace(v))
}

func (u pageURLs) page(n int) string {
	if u.query == "" {
		return u.path + "?page=" + strconv.Itoa(n)
	}
	return u.path + "?" + u.query + "&page=" + strconv.Itoa(n)
}
