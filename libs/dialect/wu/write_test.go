package wu

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWriteList(t *testing.T) {
	type item struct {
		ID int `json:"id"`
	}
	tests := []struct {
		name      string
		items     any
		total     int
		q         ListQuery
		wantBody  string
		wantTotal string
		wantPages string
	}{
		{"nil", nil, 0, ListQuery{PerPage: 20}, `[]`, "0", "0"},
		{"nil slice", []item(nil), 0, ListQuery{PerPage: 20}, `[]`, "0", "0"},
		{"empty slice", []item{}, 0, ListQuery{PerPage: 20}, `[]`, "0", "0"},
		{"one page", []item{{1}, {2}}, 2, ListQuery{PerPage: 20}, `[{"id":1},{"id":2}]`, "2", "1"},
		{"exact pages", []item{{1}}, 40, ListQuery{PerPage: 20}, `[{"id":1}]`, "40", "2"},
		{"partial page", []item{{1}}, 41, ListQuery{PerPage: 20}, `[{"id":1}]`, "41", "3"},
		{"per page unset", []item{{1}}, 21, ListQuery{}, `[{"id":1}]`, "21", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteList(rec, tt.items, tt.total, tt.q)
			if rec.Code != http.StatusOK {
				t.Errorf("status %d", rec.Code)
			}
			if rec.Body.String() != tt.wantBody {
				t.Errorf("body %s, want %s", rec.Body, tt.wantBody)
			}
			h := rec.Header()
			if strings.Join(h["X-WP-Total"], "") != tt.wantTotal || strings.Join(h["X-WP-TotalPages"], "") != tt.wantPages {
				t.Errorf("headers total=%q pages=%q", strings.Join(h["X-WP-Total"], ""), strings.Join(h["X-WP-TotalPages"], ""))
			}
			if h.Get("Access-Control-Expose-Headers") != "X-WP-Total, X-WP-TotalPages, Link" {
				t.Errorf("expose headers %q", h.Get("Access-Control-Expose-Headers"))
			}
			if h.Get("Content-Type") != "application/json; charset=UTF-8" {
				t.Errorf("content type %q", h.Get("Content-Type"))
			}
		})
	}
}

func TestWriteDeleted(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteDeleted(rec, map[string]int{"id": 3})
	if rec.Code != 200 || rec.Body.String() != `{"deleted":true,"previous":{"id":3}}` {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

func TestWriteJSON(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteJSON(rec, http.StatusCreated, map[string]any{"success": true})
	if rec.Code != 201 || rec.Body.String() != `{"success":true}` {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}
