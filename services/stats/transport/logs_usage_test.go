package transport_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/stats"
	"github.com/hostplane/hostplane/services/stats/client"
)

// usageBatch is a gateway's batch: hits on shop (by code) and blog (by
// id), on a customer, and writes.
func usageBatch() client.Usage {
	at := base.Add(-time.Minute)
	return client.Usage{
		Hits: []client.Hits{
			{SiteCode: "shop", Day: "2026-11-25", Count: 7},
			{SiteID: 2, Day: "2026-11-24", Count: 3},
			{CustomerID: 10, Day: "2026-11-25", Count: 4},
			{SiteCode: "gone", Day: "2026-11-25", Count: 2},
			{SiteCode: "shop", Day: "bad", Count: 1},
		},
		Writes: []client.Write{
			{SiteCode: "shop", KeyID: 5, KeyName: "shop integration", Method: "POST", Path: "/v1/sites/shop/events.json", Status: 201, At: at},
			{CustomerID: 10, KeyID: 6, KeyName: "billing bot", Method: "PUT", Path: "/wp-json/wu/v2/customers/10", Status: 200, At: at.Add(time.Second)},
			{SiteID: 2, KeyID: 5, KeyName: "shop integration", Method: "DELETE", Path: "/wp-json/wu/v2/sites/2", Status: 200, At: at},
		},
	}
}

func TestInternalUsage(t *testing.T) {
	h := newHarness(t, stats.Config{})
	b, _ := json.Marshal(usageBatch())
	r := h.postJSON(client.UsagePath, string(b), system)
	if r.status != 200 || num(r.body["hits"]) != 3 || num(r.body["writes"]) != 3 || num(r.body["dropped"]) != 2 {
		t.Fatalf("usage: %d %s", r.status, r.raw)
	}
	// Sent again (its answer was lost): the writes are not logged twice.
	r = h.postJSON(client.UsagePath, string(b), system)
	if r.status != 200 || num(r.body["writes"]) != 0 {
		t.Fatalf("usage again: %d %s", r.status, r.raw)
	}
	// Only a component may report usage.
	if r := h.postJSON(client.UsagePath, string(b), root); r.status != 403 {
		t.Fatalf("a key reporting usage: %d %s", r.status, r.raw)
	}
	rep := h.get("/v1/sites/shop/stats/report.json?start_date=2026-11-25&end_date=2026-11-25", root)
	if num(at(rep.body, "data", "api_hits")) != 14 {
		t.Fatalf("api hits %v, want 14 (7, twice: hits are not deduplicated)", at(rep.body, "data", "api_hits"))
	}
	u := h.get("/v1/sites/blog/stats/usage.json?extra_fields=api_pfo", root)
	if num(at(u.body, "data", "api_pfo", "used")) != 6 {
		t.Fatalf("blog api_pfo %s", u.raw)
	}

	// The writes are in the logs with the key that made them; the
	// customer-wide one in each of the customer's sites.
	logs := h.get("/v1/sites/shop/logs.json", root)
	entries, _ := at(logs.body, "data").([]any)
	if logs.status != 200 || len(entries) != 2 || num(at(logs.body, "meta", "items_count")) != 2 {
		t.Fatalf("shop logs: %s", logs.raw)
	}
	first, second := entries[0], entries[1]
	if at(first, "user_name") != "billing bot" || at(first, "user_profil") != "api_key" || at(first, "type") != "update" ||
		num(at(first, "customer_id")) != 10 || !strings.Contains(at(first, "text").(string), "PUT /wp-json/wu/v2/customers/10") ||
		at(first, "creation_date") != "2026-11-25 09:59:01" || at(first, "avatar_url") == nil || at(first, "urn") == nil {
		t.Fatalf("first entry %v", first)
	}
	if at(second, "user_name") != "shop integration" || !strings.Contains(at(second, "text").(string), `"shop integration" (#5)`) {
		t.Fatalf("second entry %v", second)
	}
	blog := h.get("/v1/sites/blog/logs.json", root)
	if e := at(blog.body, "data", 0); at(e, "text") == nil || !strings.Contains(at(e, "text").(string), "DELETE") || num(at(e, "customer_id")) != 20 {
		t.Fatalf("blog logs: %s", blog.raw)
	}
}

func TestLogs(t *testing.T) {
	h := newHarness(t, stats.Config{})
	ctx := context.Background()
	publish := func(source, typ string, at time.Time, data any) {
		t.Helper()
		e, err := events.New(source, typ, "x:1", data)
		if err != nil {
			t.Fatal(err)
		}
		e.Time = at
		if err := h.app.Handler(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	publish("billing", "customer.created", base.Add(-3*time.Hour), map[string]any{"customer_id": 10, "status": "active"})
	publish("sites", "site.created", base.Add(-2*time.Hour), map[string]any{"site_id": 1, "code": "shop", "customer_id": 10, "status": "open"})
	publish("billing", "membership.created", base.Add(-2*time.Hour), map[string]any{"membership_id": 3, "customer_id": 10, "plan_id": 1, "site_id": 1, "status": "active"})
	publish("billing", "payment.completed", base.Add(-time.Hour), map[string]any{"payment_id": 4, "customer_id": 10, "membership_id": 3, "total": "29.99", "currency": "EUR", "status": "completed"})
	publish("sites", "backup.created", base.Add(-30*time.Minute), map[string]any{"site_id": 1, "backup_id": "20261125-093000", "size": 12345678})
	publish("sites", "domain.created", base.Add(-20*time.Minute), map[string]any{"site_id": 1, "domain": "shop.example.com"})
	publish("billing", "customer.created", base, map[string]any{"customer_id": 20, "status": "active"}) // another customer
	if r := h.postJSON(eventsPath, batchOf(`{"type":"order","order_id":"A","amount":"5","status":"pending","user_id":"jane"}`,
		`{"type":"form_response","response_id":"r","form_id":"contact"}`), root); r.status != 201 {
		t.Fatal(r.raw)
	}
	logs := h.get("/v1/sites/shop/logs.json", root)
	var texts []string
	for _, e := range at(logs.body, "data").([]any) {
		texts = append(texts, at(e, "type").(string)+": "+at(e, "text").(string))
	}
	want := []string{
		"form: New form response r to form contact",
		"checkout: Order A pending: 5.00 EUR",
		"update: Domain shop.example.com created",
		"update: Backup 20261125-093000 created (12.3 MB)",
		"checkout: Payment #4 completed: 29.99 EUR",
		"update: Membership #3 created (plan #1)",
		"update: Site shop created",
		"update: Customer #10 created (active)",
	}
	if strings.Join(texts, "\n") != strings.Join(want, "\n") {
		// Entries of one instant come newest id first.
		t.Fatalf("logs\n%s\nwant\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
	// Filters: several types, since, paging with links.
	r := h.get("/v1/sites/shop/logs.json?type[]=checkout&type[]=form", root)
	if num(at(r.body, "meta", "items_count")) != 3 {
		t.Fatalf("by type: %s", r.raw)
	}
	r = h.get("/v1/sites/shop/logs.json?since=2026-11-25%2009:30:00", root)
	if num(at(r.body, "meta", "items_count")) != 4 {
		t.Fatalf("since: %s", r.raw)
	}
	r = h.get("/v1/sites/shop/logs.json?limit=3&page=1", root)
	if len(at(r.body, "data").([]any)) != 3 || at(r.body, "meta", "link", "next_page") != "/v1/sites/shop/logs.json?limit=3&page=2" ||
		num(at(r.body, "meta", "current_page")) != 1 {
		t.Fatalf("page: %s", r.raw)
	}
	sbError(t, h.get("/v1/sites/shop/logs.json?type=visit", root), 400, 4002, "type")
	sbError(t, h.get("/v1/sites/shop/logs.json?since=soon", root), 400, 4002, "since")
	sbError(t, h.get("/v1/sites/shop/logs.json?limit=21", root), 400, 4002, "limit")
}
