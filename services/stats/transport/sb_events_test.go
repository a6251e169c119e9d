package transport_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/services/stats"
)

const eventsPath = "/v1/sites/shop/events.json"

// batchOf writes events as a JSON batch.
func batchOf(evs ...string) string { return `{"events":[` + strings.Join(evs, ",") + `]}` }

func TestEventsJSONAndFormBatches(t *testing.T) {
	h := newHarness(t, stats.Config{})
	r := h.postJSON(eventsPath, batchOf(
		`{"type":"pageview","visitor_id":"v1","path":"/","bytes":1200,"time":"2026-11-25T09:59:00Z"}`,
		`{"type":"visit","visitor_id":"v1","time":"2026-11-25 09:59:00"}`,
		`{"type":"order","order_id":"A1","amount":"49.90","currency":"EUR","status":"paid","time":1795600000}`,
		`{"type":"order","order_id":"A2","amount":12.5,"status":"pending"}`,
		`{"type":"cart","cart_id":"c1","amount":"10"}`,
		`{"type":"form_response","response_id":"r1","form_id":"contact"}`,
		`{"type":"stock","product_id":"p1","quantity":0,"threshold":2}`,
	), root)
	if r.status != 201 || at(r.body, "meta", "success") != true || num(at(r.body, "data", "accepted")) != 7 {
		t.Fatalf("json batch: %d %s", r.status, r.raw)
	}
	// Kiubi's client: a form, events[i][field], as sb clients send.
	form := url.Values{
		"events[0][type]": {"pageview"}, "events[0][visitor_id]": {"v2"}, "events[0][path]": {"/a"},
		"events[1][type]": {"visit"}, "events[1][visitor_id]": {"v2"},
	}
	r = h.do("POST", eventsPath, form.Encode(), "application/x-www-form-urlencoded", root)
	if r.status != 201 || num(at(r.body, "data", "accepted")) != 2 {
		t.Fatalf("form batch: %d %s", r.status, r.raw)
	}
	rep := h.get("/v1/sites/shop/stats/report.json?start_date=25/11/2026&end_date=2026-11-25", root)
	if num(at(rep.body, "data", "pageviews")) != 2 || num(at(rep.body, "data", "visitors")) != 2 {
		t.Fatalf("report after both batches: %s", rep.raw)
	}
	live := h.get("/v1/sites/shop/stats/live.json", root)
	if num(at(live.body, "data", "visitors")) != 2 {
		t.Fatalf("live: %s", live.raw)
	}
}

func TestEventsBadInputStoresNothing(t *testing.T) {
	h := newHarness(t, stats.Config{})
	good := `{"type":"pageview","visitor_id":"v1"}`
	many := make([]string, 1001)
	for i := range many {
		many[i] = good
	}
	tests := []struct {
		name   string
		body   string
		status int
		code   int
		field  string
	}{
		{"unknown type", batchOf(good, `{"type":"click"}`), 400, 4002, "events[1].type"},
		{"missing type", batchOf(`{"visitor_id":"x"}`), 400, 4001, "events[0].type"},
		{"a day in the future", batchOf(good, `{"type":"pageview","time":"2026-11-26T10:00:01Z"}`), 400, 4002, "events[1].time"},
		{"unreadable time", batchOf(`{"type":"pageview","time":"yesterday"}`), 400, 4002, "events[0].time"},
		{"negative amount", batchOf(`{"type":"order","order_id":"1","amount":"-5","status":"paid"}`), 400, 4002, "events[0].amount"},
		{"too many decimals", batchOf(`{"type":"order","order_id":"1","amount":"5.123","status":"paid"}`), 400, 4002, "events[0].amount"},
		{"unknown currency", batchOf(`{"type":"order","order_id":"1","amount":"5","currency":"EURO","status":"paid"}`), 400, 4002, "events[0].currency"},
		{"order without id", batchOf(`{"type":"order","amount":"5","status":"paid"}`), 400, 4001, "events[0].order_id"},
		{"unknown order status", batchOf(`{"type":"order","order_id":"1","amount":"5","status":"shipped"}`), 400, 4002, "events[0].status"},
		{"visit without visitor", batchOf(`{"type":"visit"}`), 400, 4001, "events[0].visitor_id"},
		{"negative bytes", batchOf(`{"type":"pageview","bytes":-1}`), 400, 4002, "events[0].bytes"},
		{"stock without quantity", batchOf(`{"type":"stock","product_id":"p"}`), 400, 4001, "events[0].quantity"},
		{"object as a field", batchOf(`{"type":"pageview","path":{"a":1}}`), 400, 4002, "events[0].path"},
		{"over the limit", batchOf(many...), 400, 4002, "events"},
		{"empty batch", `{"events":[]}`, 400, 4001, "events"},
		{"no body", ``, 400, 4001, "events"},
		{"not JSON", `{"events":`, 400, 4002, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sbError(t, h.postJSON(eventsPath, tt.body, root), tt.status, tt.code, tt.field)
		})
	}
	rep := h.get("/v1/sites/shop/stats/report.json?start_date=2026-11-20", root)
	if num(at(rep.body, "data", "pageviews")) != 0 || num(at(rep.body, "data", "visitors")) != 0 {
		t.Fatalf("a refused batch was stored: %s", rep.raw)
	}
}

func TestEventsIdempotencyKey(t *testing.T) {
	h := newHarness(t, stats.Config{})
	body := batchOf(`{"type":"pageview"}`, `{"type":"pageview"}`)
	first := h.postJSON(eventsPath, body, root, "Idempotency-Key", "batch-1")
	again := h.postJSON(eventsPath, body, root, "Idempotency-Key", "batch-1")
	if first.status != 201 || again.status != 200 || again.header.Get("Idempotent-Replayed") != "true" ||
		num(at(again.body, "data", "accepted")) != 2 {
		t.Fatalf("first %d, again %d %s %v", first.status, again.status, again.raw, again.header)
	}
	other := h.postJSON(eventsPath, batchOf(`{"type":"pageview"}`), root, "Idempotency-Key", "batch-1")
	sbError(t, other, 409, 4002, "Idempotency-Key")
	sbError(t, h.postJSON(eventsPath, body, root, "Idempotency-Key", strings.Repeat("k", 256)), 400, 4002, "Idempotency-Key")
	rep := h.get("/v1/sites/shop/stats/report.json", root)
	if num(at(rep.body, "data", "pageviews")) != 2 {
		t.Fatalf("pageviews %v, want 2", at(rep.body, "data", "pageviews"))
	}
}

func TestSiteRoutesHideOtherCustomersSites(t *testing.T) {
	h := newHarness(t, stats.Config{})
	paths := []string{"/logs.json", "/stats.json", "/stats/live.json", "/stats/report.json", "/stats/usage.json", "/stats/collect.json"}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			// Customer 20 owns blog, not shop: shop does not exist for it.
			sbError(t, h.get("/v1/sites/shop"+p, customerKey(20)), 404, 4401, "")
			if r := h.get("/v1/sites/blog"+p, customerKey(20)); r.status != 200 {
				t.Fatalf("own site: %d %s", r.status, r.raw)
			}
			sbError(t, h.get("/v1/sites/nope"+p, root), 404, 4401, "")
		})
	}
	sbError(t, h.postJSON(eventsPath, batchOf(`{"type":"pageview"}`), customerKey(20)), 404, 4401, "")
}

func TestSiteLookupsAreCached(t *testing.T) {
	h := newHarness(t, stats.Config{})
	for i := range 5 {
		if r := h.get(fmt.Sprint("/v1/sites/shop/stats/live.json?i=", i), root); r.status != 200 {
			t.Fatal(r.raw)
		}
	}
	if h.sites.calls != 1 {
		t.Fatalf("%d calls to the sites service, want 1", h.sites.calls)
	}
}
