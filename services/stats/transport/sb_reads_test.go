package transport_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/services/stats"
)

func TestReport(t *testing.T) {
	h := newHarness(t, stats.Config{})
	r := h.postJSON(eventsPath, batchOf(
		`{"type":"visit","visitor_id":"a","time":"2025-12-31T23:59:59Z"}`,
		`{"type":"visit","visitor_id":"b","time":"2026-01-01T00:00:00Z"}`,
		`{"type":"pageview","time":"2026-01-01T12:00:00Z"}`,
		`{"type":"order","order_id":"1","amount":"10.50","status":"paid","time":"2026-01-01T13:00:00Z"}`,
		`{"type":"order","order_id":"2","amount":"5","status":"paid","time":"2026-01-02T13:00:00Z"}`,
		`{"type":"order","order_id":"3","amount":"7","currency":"USD","status":"paid","time":"2026-01-02T13:00:00Z"}`,
	), root)
	if r.status != 201 {
		t.Fatal(r.raw)
	}
	rep := h.get("/v1/sites/shop/stats/report.json?start_date=30/12/2025&end_date=2026-01-03", root)
	d := at(rep.body, "data")
	if rep.status != 200 || at(d, "start_date") != "2025-12-30" || at(d, "end_date") != "2026-01-03" ||
		num(at(d, "visitors")) != 2 || num(at(d, "pageviews")) != 1 || num(at(d, "sales")) != 15.5 ||
		at(d, "sales_label") != "15.50 EUR" || at(d, "currency") != "EUR" {
		t.Fatalf("report: %s", rep.raw)
	}
	days, _ := at(d, "days").([]any)
	if len(days) != 5 {
		t.Fatalf("%d days, want 5 (days without traffic included)", len(days))
	}
	want := []struct {
		date            string
		visitors, views float64
		sales           float64
	}{{"2025-12-30", 0, 0, 0}, {"2025-12-31", 1, 0, 0}, {"2026-01-01", 1, 1, 10.5}, {"2026-01-02", 0, 0, 5}, {"2026-01-03", 0, 0, 0}}
	for i, w := range want {
		if at(days[i], "date") != w.date || num(at(days[i], "visitors")) != w.visitors || num(at(days[i], "pageviews")) != w.views ||
			num(at(days[i], "sales")) != w.sales || at(days[i], "api_hits") == nil {
			t.Errorf("day %d = %v, want %+v", i, days[i], w)
		}
	}
	// The decimal is exact text: 10.50, not 10.5.
	if !strings.Contains(rep.raw, `"sales":10.50`) {
		t.Errorf("sales not written with the currency's decimals: %s", rep.raw)
	}
	if other := at(d, "other_sales", 0); at(other, "currency") != "USD" || at(other, "sales_label") != "7.00 USD" {
		t.Errorf("other currencies: %v", at(d, "other_sales"))
	}

	// Defaults: the last 30 days to today.
	def := h.get("/v1/sites/shop/stats/report.json", root)
	if at(def.body, "data", "end_date") != "2026-11-25" || at(def.body, "data", "start_date") != "2026-10-27" ||
		len(at(def.body, "data", "days").([]any)) != 30 {
		t.Fatalf("default range: %s", def.raw[:200])
	}
	// 366 days is the most; across a leap day too.
	if r := h.get("/v1/sites/shop/stats/report.json?start_date=2027-03-01&end_date=2028-02-29", root); r.status != 200 ||
		len(at(r.body, "data", "days").([]any)) != 366 {
		t.Fatalf("366 days: %d", r.status)
	}
	for _, tt := range []struct{ query, field string }{
		{"start_date=2026-02-01&end_date=2026-01-01", "start_date"},
		{"start_date=2026-01-01&end_date=2027-01-02", "end_date"},
		{"start_date=31/02/2026", "start_date"},
		{"end_date=tomorrow", "end_date"},
	} {
		sbError(t, h.get("/v1/sites/shop/stats/report.json?"+tt.query, root), 400, 4002, tt.field)
	}
}

func TestStats(t *testing.T) {
	h := newHarness(t, stats.Config{})
	r := h.postJSON(eventsPath, batchOf(
		`{"type":"visit","visitor_id":"a","time":"2026-11-20T10:00:00Z"}`,
		`{"type":"visit","visitor_id":"b","time":"2026-11-21T10:00:00Z"}`,
		`{"type":"visit","visitor_id":"c","time":"2026-11-22T10:00:00Z"}`,
		`{"type":"visit","visitor_id":"d","time":"2026-11-23T10:00:00Z"}`,
		`{"type":"order","order_id":"1","amount":"20","status":"paid","time":"2026-11-24T10:00:00Z"}`,
		`{"type":"order","order_id":"2","amount":"30","status":"pending"}`,
		`{"type":"order","order_id":"3","amount":"45.5","status":"pending"}`,
		`{"type":"order","order_id":"3","amount":"45.5","status":"cancelled"}`,
		`{"type":"form_response","response_id":"r1","status":"unread"}`,
		`{"type":"form_response","response_id":"r2","status":"unread"}`,
		`{"type":"form_response","response_id":"r2","status":"read"}`,
		`{"type":"stock","product_id":"p1","quantity":0,"threshold":2}`,
		`{"type":"stock","product_id":"p2","quantity":1,"threshold":2}`,
		`{"type":"stock","product_id":"p3","quantity":9,"threshold":2}`,
	), root)
	if r.status != 201 {
		t.Fatal(r.raw)
	}
	s := h.get("/v1/sites/shop/stats.json", root)
	c := at(s.body, "data", "checkout")
	if num(at(s.body, "data", "forms", "unread_responses")) != 1 || num(at(c, "pending_orders")) != 1 ||
		num(at(c, "pending_orders_amount")) != 30 || at(c, "pending_orders_amount_label") != "30.00 EUR" ||
		num(at(c, "average_cart")) != 20 || at(c, "average_cart_label") != "20.00 EUR" ||
		num(at(c, "monthly_transformation")) != 25 || at(c, "monthly_transformation_label") != "25.00 %" ||
		num(at(s.body, "data", "catalog", "stock_shortage_count")) != 1 || num(at(s.body, "data", "catalog", "refillable_count")) != 2 {
		t.Fatalf("stats: %s", s.raw)
	}
}

func TestUsage(t *testing.T) {
	h := newHarness(t, stats.Config{})
	for dir, size := range map[string]int{"medias": 300, "datas": 200, "ftp": 100} {
		if err := os.MkdirAll(filepath.Join(h.root, dir, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(h.root, dir, "sub", "f"), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := h.postJSON(eventsPath, batchOf(`{"type":"pageview","bytes":4000}`, `{"type":"pageview","bytes":8000}`,
		`{"type":"pageview","bytes":99,"time":"2026-10-31T23:00:00Z"}`,
		`{"type":"form_response","response_id":"1","form_id":"a"}`, `{"type":"form_response","response_id":"2","form_id":"b"}`,
		`{"type":"stock","product_id":"p","quantity":1}`, `{"type":"order","order_id":"o","amount":"1","status":"paid","user_id":"u1"}`), root)
	if r.status != 201 {
		t.Fatal(r.raw)
	}
	u := h.get("/v1/sites/shop/stats/usage.json", root)
	sp := at(u.body, "data", "space")
	if num(at(sp, "medias")) != 300 || num(at(sp, "datas")) != 200 || num(at(sp, "ftp")) != 100 || num(at(sp, "used")) != 600 ||
		num(at(sp, "total")) != 1000 || num(at(sp, "free")) != 400 || at(u.body, "data", "bandwidth") != nil {
		t.Fatalf("usage without extra fields: %s", u.raw)
	}
	u = h.get("/v1/sites/shop/stats/usage.json?extra_fields[]=bp&extra_fields[]=api_pfo&extra_fields[]=forms,products,users", root)
	d := at(u.body, "data")
	if num(at(d, "bandwidth", "used")) != 12000 || num(at(d, "bandwidth", "free")) != 0 || num(at(d, "bandwidth", "total")) != 10000 ||
		num(at(d, "api_pfo", "total")) != 100 || num(at(d, "forms", "used")) != 2 || num(at(d, "forms", "free")) != 3 ||
		num(at(d, "products", "used")) != 1 || at(d, "products", "unlimited") != true || num(at(d, "users", "used")) != 1 {
		t.Fatalf("usage with extra fields: %s", u.raw)
	}
	sbError(t, h.get("/v1/sites/shop/stats/usage.json?extra_fields[]=disk", root), 400, 4002, "extra_fields")
}

func TestLiveCountsRecentVisitorsOnly(t *testing.T) {
	h := newHarness(t, stats.Config{})
	r := h.postJSON(eventsPath, batchOf(`{"type":"pageview","visitor_id":"a"}`, `{"type":"visit","visitor_id":"b","time":"2026-11-25T09:56:00Z"}`,
		`{"type":"pageview","visitor_id":"a"}`, `{"type":"pageview","visitor_id":"old","time":"2026-11-25T09:54:59Z"}`), root)
	if r.status != 201 {
		t.Fatal(r.raw)
	}
	if l := h.get("/v1/sites/shop/stats/live.json", root); num(at(l.body, "data", "visitors")) != 2 {
		t.Fatalf("live: %s", l.raw)
	}
}
