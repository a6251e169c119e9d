package cx

import (
	"crypto/tls"
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

type product struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

func TestWriteListJSON(t *testing.T) {
	r := httptest.NewRequest("GET", "http://example.test/api/application/products?page=2&per_page=2&filter%5Bname%5D=x", nil)
	rec := httptest.NewRecorder()
	WriteList(rec, r, []product{{3, "c&"}, {4, "d"}}, 5, ListQuery{Page: 2, PerPage: 2})
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=UTF-8" {
		t.Errorf("Content-Type %q", ct)
	}
	const base = "http://example.test/api/application/products"
	const query = "?filter%5Bname%5D=x&per_page=2&page="
	want := `{"current_page":2,"data":[{"id":3,"name":"c&"},{"id":4,"name":"d"}],` +
		`"first_page_url":"` + base + query + `1","from":3,"last_page":3,"last_page_url":"` + base + query + `3",` +
		`"links":[{"url":"` + base + query + `1","label":"&laquo; Previous","active":false},` +
		`{"url":"` + base + query + `1","label":"1","active":false},` +
		`{"url":"` + base + query + `2","label":"2","active":true},` +
		`{"url":"` + base + query + `3","label":"3","active":false},` +
		`{"url":"` + base + query + `3","label":"Next &raquo;","active":false}],` +
		`"next_page_url":"` + base + query + `3","path":"` + base + `","per_page":2,` +
		`"prev_page_url":"` + base + query + `1","to":4,"total":5}`
	if rec.Body.String() != want {
		t.Errorf("body\n got %s\nwant %s", rec.Body, want)
	}
}

func TestWriteListEmpty(t *testing.T) {
	r := httptest.NewRequest("GET", "/api/application/products", nil)
	r.Host = "internal:8082"
	r.Header.Set("X-Forwarded-Proto", "https, http")
	r.Header.Set("X-Forwarded-Host", "api.example.com")
	rec := httptest.NewRecorder()
	WriteList(rec, r, []product(nil), 0, ListQuery{Page: 1, PerPage: 25})
	var p map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	const first = "https://api.example.com/api/application/products?page=1"
	checks := map[string]any{
		"current_page": 1.0, "data": []any{}, "from": nil, "to": nil, "last_page": 1.0, "total": 0.0,
		"next_page_url": nil, "prev_page_url": nil, "first_page_url": first, "last_page_url": first,
		"path": "https://api.example.com/api/application/products", "per_page": 25.0,
		"links": []any{
			map[string]any{"url": nil, "label": "&laquo; Previous", "active": false},
			map[string]any{"url": first, "label": "1", "active": true},
			map[string]any{"url": nil, "label": "Next &raquo;", "active": false},
		},
	}
	for k, want := range checks {
		if !reflect.DeepEqual(p[k], want) {
			t.Errorf("%s = %#v, want %#v", k, p[k], want)
		}
	}
	if len(p) != 13 {
		t.Errorf("%d keys, want 13", len(p))
	}
}

func TestPaginatorSchemeFromTLS(t *testing.T) {
	r := httptest.NewRequest("GET", "/api/application/customers", nil)
	r.TLS = &tls.ConnectionState{}
	p := NewPaginator(r, json.RawMessage(`[]`), 0, 0, ListQuery{Page: 1, PerPage: 25})
	if p.Path != "https://example.com/api/application/customers" {
		t.Errorf("path %q", p.Path)
	}
}

func TestPaginatorFromTo(t *testing.T) {
	tests := []struct {
		name             string
		n, total         int
		q                ListQuery
		wantFrom, wantTo int
		wantLast         int
		wantNext         bool
	}{
		{"first page", 25, 60, ListQuery{Page: 1, PerPage: 25}, 1, 25, 3, true},
		{"last page", 10, 60, ListQuery{Page: 3, PerPage: 25}, 51, 60, 3, false},
		{"defaults", 1, 1, ListQuery{}, 1, 1, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPaginator(httptest.NewRequest("GET", "/x", nil), json.RawMessage(`[]`), tt.n, tt.total, tt.q)
			if p.From == nil || *p.From != tt.wantFrom || p.To == nil || *p.To != tt.wantTo {
				t.Errorf("from/to = %v/%v", p.From, p.To)
			}
			if p.LastPage != tt.wantLast || (p.NextPageURL != nil) != tt.wantNext {
				t.Errorf("last %d next %v", p.LastPage, p.NextPageURL)
			}
		})
	}
}

func TestWindow(t *testing.T) {
	tests := []struct {
		page, last int
		want       []int
	}{
		{1, 1, []int{1}},
		{2, 5, []int{1, 2, 3, 4, 5}},
		{1, 13, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}},
		{1, 20, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 19, 20}},
		{7, 20, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 19, 20}},
		{10, 20, []int{1, 2, 0, 7, 8, 9, 10, 11, 12, 13, 0, 19, 20}},
		{14, 20, []int{1, 2, 0, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}},
		{20, 20, []int{1, 2, 0, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}},
	}
	for _, tt := range tests {
		if got := window(tt.page, tt.last); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("window(%d, %d) = %v, want %v", tt.page, tt.last, got, tt.want)
		}
	}
}

func TestWriteListXML(t *testing.T) {
	r := httptest.NewRequest("GET", "http://h/api/application/products?per_page=1", nil)
	r.Header.Set("Accept", "application/xml")
	rec := httptest.NewRecorder()
	WriteList(rec, r, []product{{1, "a & b"}}, 2, ListQuery{Page: 1, PerPage: 1})
	if ct := rec.Header().Get("Content-Type"); ct != "application/xml; charset=UTF-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	body := rec.Body.String()
	want := xml.Header + `<response><current_page>1</current_page><data><id>1</id><name>a &amp; b</name></data>` +
		`<first_page_url>http://h/api/application/products?per_page=1&amp;page=1</first_page_url><from>1</from>` +
		`<last_page>2</last_page><last_page_url>http://h/api/application/products?per_page=1&amp;page=2</last_page_url>` +
		`<links><url nil="true"/><label>&amp;laquo; Previous</label><active>false</active></links>` +
		`<links><url>http://h/api/application/products?per_page=1&amp;page=1</url><label>1</label><active>true</active></links>` +
		`<links><url>http://h/api/application/products?per_page=1&amp;page=2</url><label>2</label><active>false</active></links>` +
		`<links><url>http://h/api/application/products?per_page=1&amp;page=2</url><label>Next &amp;raquo;</label><active>false</active></links>` +
		`<next_page_url>http://h/api/application/products?per_page=1&amp;page=2</next_page_url>` +
		`<path>http://h/api/application/products</path><per_page>1</per_page><prev_page_url nil="true"/>` +
		`<to>1</to><total>2</total></response>`
	if body != want {
		t.Errorf("body\n got %s\nwant %s", body, want)
	}
	wellFormed(t, rec.Body.Bytes())
	if !strings.Contains(rec.Header().Get("Vary"), "Accept") {
		t.Error("no Vary: Accept")
	}
}
