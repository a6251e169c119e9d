package transport_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/stats"
	"github.com/hostplane/hostplane/services/stats/client"
)

// metric reads one series of the service's /metrics.
func (h *harness) metric(series string) string {
	h.t.Helper()
	r := h.do("GET", "/metrics", "", "", nil)
	for _, line := range strings.Split(r.raw, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	h.t.Fatalf("no series %s", series)
	return ""
}

// TestIngestedCountsEachSource: batches count as api, beacons as beacon,
// the gateway's usage as usage and domain events as stream, each once.
func TestIngestedCountsEachSource(t *testing.T) {
	h := newHarness(t, stats.Config{})
	series := func(src string) string { return `hostplane_stats_events_ingested_total{source="` + src + `"}` }
	for _, src := range []string{"api", "beacon", "usage", "stream"} {
		if v := h.metric(series(src)); v != "0" {
			t.Fatalf("%s at start: %s", src, v)
		}
	}
	if r := h.postJSON("/v1/sites/shop/events.json", `{"events":[{"type":"pageview"},{"type":"visit","visitor_id":"a"}]}`, root); r.status != 201 {
		t.Fatalf("batch: %d %s", r.status, r.raw)
	}
	// A rejected batch counts nothing.
	if r := h.postJSON("/v1/sites/shop/events.json", `{"events":[{"type":"pageview"},{"type":"nope"}]}`, root); r.status != 400 {
		t.Fatalf("bad batch: %d %s", r.status, r.raw)
	}
	key, _ := at(h.get("/v1/sites/shop/stats/collect.json", root).body, "data", "public_key").(string)
	if r := h.do("POST", "/v1/collect.json", `{"site":"shop","key":"`+key+`"}`, "application/json", nil); r.status != 204 {
		t.Fatalf("beacon: %d %s", r.status, r.raw)
	}
	b, _ := json.Marshal(usageBatch())
	if r := h.postJSON(client.UsagePath, string(b), system); r.status != 200 {
		t.Fatalf("usage: %d %s", r.status, r.raw)
	}
	e, _ := events.New("billing", "customer.created", "customer:10", map[string]any{"customer_id": 10, "status": "active"})
	for range 2 { // delivered twice, applied once
		if err := h.app.Handler(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	for src, want := range map[string]string{"api": "2", "beacon": "1", "usage": "6", "stream": "1"} {
		if got := h.metric(series(src)); got != want {
			t.Errorf("%s: %s, want %s", src, got, want)
		}
	}
}

// TestAuthEventsInTheLogs: auth's events (keys, sign-ins) are in the logs
// of the sites and customers they name; a sign-in is of type login.
func TestAuthEventsInTheLogs(t *testing.T) {
	h := newHarness(t, stats.Config{})
	for i, ev := range []struct {
		typ  string
		data map[string]any
	}{
		{"key.created", map[string]any{"key_id": 7, "label": "shop sync", "customer_id": 10}},
		{"key.revoked", map[string]any{"key_id": 7, "site_id": 1}},
		{"account.login", map[string]any{"account_id": 3, "customer_id": 10}},
		{"key.created", map[string]any{"key_id": 8, "customer_id": 20}}, // blog's customer
	} {
		e, _ := events.New("auth", ev.typ, fmt.Sprint("key:", i), ev.data)
		if err := h.app.Handler(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	logs := h.get("/v1/sites/shop/logs.json", root)
	if num(at(logs.body, "meta", "items_count")) != 3 || !strings.Contains(logs.raw, `API key #7 \"shop sync\" created`) ||
		!strings.Contains(logs.raw, "API key #7 revoked") || strings.Contains(logs.raw, "#8") {
		t.Fatalf("shop logs: %s", logs.raw)
	}
	login := h.get("/v1/sites/shop/logs.json?type[]=login", root)
	if num(at(login.body, "meta", "items_count")) != 1 || at(login.body, "data", 0, "text") != "Account #3 login" ||
		at(login.body, "data", 0, "user_name") != "auth" {
		t.Fatalf("login entries: %s", login.raw)
	}
}
