package transport

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// seedList makes five customers created a day apart:
// 1 alice (vip, verified), 2 bob.smith (suspended, "likes VIP"),
// 3 carol (logged in), 4 dave (banned), 5 erin ("Erin Smith").
func seedList(t *testing.T, h *harness) {
	t.Helper()
	for _, c := range []struct{ username, extra string }{
		{"alice", `,"vip":true,"email_verification":"verified"`},
		{"bob.smith", `,"status":"suspended","extra_information":"likes VIP treatment"`},
		{"carol", `,"last_login":"2026-11-25 10:00:00"`},
		{"dave", `,"status":"banned"`},
		{"erin", `,"display_name":"Erin Smith"`},
	} {
		h.create(c.username, c.extra)
		h.clock.advance(24 * time.Hour)
	}
}

func TestListQueries(t *testing.T) {
	h := newHarness(t)
	seedList(t, h)
	tests := []struct {
		query        string
		want         []int64
		total, pages string
	}{
		{"", []int64{5, 4, 3, 2, 1}, "5", "1"},
		{"per_page=2&page=2", []int64{3, 2}, "5", "3"},
		{"per_page=2&page=3", []int64{1}, "5", "3"},
		{"per_page=2&page=4", []int64{}, "5", "3"},
		{"orderby=id&order=asc", []int64{1, 2, 3, 4, 5}, "5", "1"},
		{"orderby=date_created&order=asc", []int64{1, 2, 3, 4, 5}, "5", "1"},
		{"orderby=date_registered&order=desc", []int64{5, 4, 3, 2, 1}, "5", "1"},
		{"orderby=date_modified&order=asc", []int64{1, 2, 3, 4, 5}, "5", "1"},
		{"orderby=user_id&order=asc", []int64{1, 2, 3, 4, 5}, "5", "1"},
		{"orderby=vip&order=desc", []int64{1, 5, 4, 3, 2}, "5", "1"},
		{"orderby=vip&order=ASC", []int64{2, 3, 4, 5, 1}, "5", "1"},
		{"orderby=last_login&order=asc", []int64{3, 1, 2, 4, 5}, "5", "1"},
		{"orderby=email_verification&order=asc", []int64{2, 3, 4, 5, 1}, "5", "1"},
		{"search=smith", []int64{5, 2}, "2", "1"},
		{"search=SMITH&order=asc", []int64{2, 5}, "2", "1"},
		{"search=vip", []int64{2}, "1", "1"},
		{"search=example.com&per_page=1", []int64{5}, "5", "5"},
		{"search=nobody", []int64{}, "0", "0"},
		{"search=%25", []int64{}, "0", "0"},
		{"status=active", []int64{5, 3, 1}, "3", "1"},
		{"status=banned", []int64{4}, "1", "1"},
		{"status=pending", []int64{}, "0", "0"},
		{"date_created=2026-11-24,2026-11-25", []int64{3, 2}, "2", "1"},
		{"date_created=2026-11-26", []int64{5, 4}, "2", "1"},
		{"date_created=,2026-11-23", []int64{1}, "1", "1"},
		{"date_created=2026-11-24+21:02:51,2026-11-25+21:02:51", []int64{3, 2}, "2", "1"},
		{"status=active&search=e&orderby=date_created&order=asc&per_page=2", []int64{1, 3}, "3", "2"},
		{"unrelated=ignored", []int64{5, 4, 3, 2, 1}, "5", "1"},
	}
	for _, path := range []string{"/wp-json/wu/v2/customers", "/wp-json/wu/v2/customer"} {
		for _, tt := range tests {
			t.Run(path+"?"+tt.query, func(t *testing.T) {
				rec := h.ok(http.MethodGet, path+"?"+tt.query, "")
				items := array(t, rec)
				if got := ids(items); !slices.Equal(got, tt.want) {
					t.Fatalf("ids %v, want %v", got, tt.want)
				}
				for _, m := range items {
					checkCustomer(t, m)
				}
				if g, p := strings.Join(rec.Header()["X-WP-Total"], ""), strings.Join(rec.Header()["X-WP-TotalPages"], ""); g != tt.total || p != tt.pages {
					t.Fatalf("X-WP-Total %q X-WP-TotalPages %q, want %s %s", g, p, tt.total, tt.pages)
				}
			})
		}
	}
}

func TestListEmptyIsAnArray(t *testing.T) {
	h := newHarness(t)
	rec := h.ok(http.MethodGet, "/wp-json/wu/v2/customers", "")
	if rec.Body.String() != "[]" || strings.Join(rec.Header()["X-WP-Total"], "") != "0" || strings.Join(rec.Header()["X-WP-TotalPages"], "") != "0" {
		t.Fatalf("%s %v", rec.Body, rec.Header())
	}
}

func TestListRefusesBadParameters(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		query  string
		params []string
	}{
		{"orderby=password", []string{"orderby"}},
		{"orderby=id%3BDROP+TABLE+customers", []string{"orderby"}},
		{"order=up", []string{"order"}},
		{"per_page=0", []string{"per_page"}},
		{"per_page=101", []string{"per_page"}},
		{"per_page=all", []string{"per_page"}},
		{"page=0", []string{"page"}},
		{"page=999999999999", []string{"page"}},
		{"status=deleted", []string{"status"}},
		{"date_created=yesterday", []string{"date_created"}},
		{"date_created=2026-02-01,2026-01-01", []string{"date_created"}},
		{"search=%FF%FE", []string{"search"}},
		{"search=a%00b", []string{"search"}},
		{"orderby=x&order=x&per_page=x&page=x&status=x&date_created=x",
			[]string{"date_created", "order", "orderby", "page", "per_page", "status"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := h.do(http.MethodGet, "/wp-json/wu/v2/customers?"+tt.query, "", root)
			wantError(t, rec, http.StatusBadRequest, "wu_rest_invalid_parameter", tt.params...)
		})
	}
}
