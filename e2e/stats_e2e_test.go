package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sbBody decodes an sb envelope.
func sbBody(t *testing.T, body string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	return v
}

// path walks a decoded JSON value.
func path(v any, keys ...any) any {
	for _, k := range keys {
		switch key := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[key]
		case int:
			l, _ := v.([]any)
			if key >= len(l) {
				return nil
			}
			v = l[key]
		}
	}
	return v
}

// eventually retries check until it passes or 15 s have passed.
func eventually(t *testing.T, what string, check func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, got := check()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %s", what, got)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestE2EStats drives the stats service through the real gateway, fed by
// billing's and sites' events over the real Redis, the gateway's usage
// batches and the site's own event batches and beacons.
func TestE2EStats(t *testing.T) {
	s := startStack(t, 1)
	key, secret, _ := s.createKey([]string{"*"}, nil)
	wuA, sbA, cxA := basic(key, secret), token(key, secret), bearer(key, secret)

	// A customer and their site, through billing and sites.
	resp, body := s.request("POST", "/wp-json/wu/v2/customers", wuA, `{"username":"statsowner","email":"stats@example.com","password":"s3cret-pass"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("customer: %d %s", resp.StatusCode, body)
	}
	cid := int64(path(sbBody(t, body), "id").(float64))
	resp, body = s.request("POST", "/wp-json/wu/v2/sites", wuA, fmt.Sprintf(`{"customer_id":%d,"domain":"statsshop.example.com","title":"Stats shop"}`, cid))
	if resp.StatusCode != 200 {
		t.Fatalf("site: %d %s", resp.StatusCode, body)
	}
	site := sbBody(t, body)
	code, _ := path(site, "slug").(string)
	root := filepath.Join(s.envValue("HOSTPLANE_DATA_DIR"), "sites", fmt.Sprint(int64(path(site, "id").(float64))))
	base := "/v1/sites/" + code

	// cx statistics count the customer from billing's event.
	eventually(t, "cx statistics", func() (bool, string) {
		_, body := s.request("GET", "/api/application/statistics", cxA, nil, "Accept", "application/json")
		v := sbBody(t, body)
		return path(v, "data", "customers", "total") == 1.0 && path(v, "data", "customers", "active") == 1.0, body
	})
	// Scope statistics (or statitics, as the cx reference spells it).
	onlyStats, onlyStatsSecret, _ := s.createKey([]string{"statitics"}, nil)
	if resp, body := s.request("GET", "/api/application/statistics", bearer(onlyStats, onlyStatsSecret), nil); resp.StatusCode != 200 {
		t.Fatalf("statitics key: %d %s", resp.StatusCode, body)
	}
	if resp, _ := s.request("GET", "/api/application/statistics", bearer(onlyStats, onlyStatsSecret), nil); resp.StatusCode != 200 {
		t.Fatal("statistics")
	}
	noStats, noStatsSecret, _ := s.createKey([]string{"customers:index"}, nil)
	if resp, _ := s.request("GET", "/api/application/statistics", bearer(noStats, noStatsSecret), nil); resp.StatusCode != 403 {
		t.Fatalf("a key without statistics: %d", resp.StatusCode)
	}

	// A batch of front-office events (JSON), then one the way Kiubi's
	// client sends it (a form POST).
	resp, body = s.request("POST", base+"/events.json", sbA, `{"events":[
		{"type":"pageview","visitor_id":"v1","path":"/","bytes":2048},
		{"type":"visit","visitor_id":"v1"},
		{"type":"order","order_id":"A-1","amount":"49.90","currency":"EUR","status":"paid"},
		{"type":"order","order_id":"A-2","amount":"20","status":"pending"},
		{"type":"form_response","response_id":"r1","form_id":"contact"},
		{"type":"stock","product_id":"p1","quantity":0,"threshold":3}]}`)
	if resp.StatusCode != 201 || !strings.Contains(body, `"accepted":6`) {
		t.Fatalf("events: %d %s", resp.StatusCode, body)
	}
	form := url.Values{"method": {"POST"}, "events[0][type]": {"pageview"}, "events[0][visitor_id]": {"v2"}}
	resp, body = s.request("POST", base+"/events.json", sbA, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if resp.StatusCode != 201 || !strings.Contains(body, `"accepted":1`) {
		t.Fatalf("form events: %d %s", resp.StatusCode, body)
	}
	// Bad input: one clear error naming the field, nothing stored.
	resp, body = s.request("POST", base+"/events.json", sbA, `{"events":[{"type":"pageview"},{"type":"order","order_id":"x","amount":"-1","status":"paid"}]}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"code":4002`) || !strings.Contains(body, `"events[1].amount"`) {
		t.Fatalf("negative amount: %d %s", resp.StatusCode, body)
	}

	// The public beacon, without a credential, at the short address pages
	// embed (/collect); /v1/collect.json is the same beacon.
	_, body = s.request("GET", base+"/stats/collect.json", sbA, nil)
	pk, _ := path(sbBody(t, body), "data", "public_key").(string)
	resp, body = s.request("POST", "/collect", nil, fmt.Sprintf(`{"site":%q,"key":%q,"visitor_id":"v3","path":"/b"}`, code, pk),
		"Content-Type", "text/plain")
	if resp.StatusCode != 204 {
		t.Fatalf("beacon: %d %s", resp.StatusCode, body)
	}
	if resp, _ := s.request("POST", "/v1/collect.json", nil, fmt.Sprintf(`{"site":%q,"key":"pk_nope"}`, code)); resp.StatusCode != 400 {
		t.Fatalf("beacon with a wrong key: %d", resp.StatusCode)
	}

	today := time.Now().UTC().Format("02/01/2006")
	// The report, tunnelled as Kiubi's client sends a GET with parameters;
	// api_hits come from the gateway's batches (once a second).
	eventually(t, "report", func() (bool, string) {
		q := url.Values{"method": {"GET"}, "start_date": {today}, "end_date": {today}}
		_, body := s.request("POST", base+"/stats/report.json", sbA, q.Encode(), "Content-Type", "application/x-www-form-urlencoded")
		v := path(sbBody(t, body), "data")
		return path(v, "pageviews") == 3.0 && path(v, "visitors") == 1.0 && path(v, "sales") == 49.9 &&
			path(v, "sales_label") == "49.90 EUR" && path(v, "api_hits").(float64) >= 3 && len(path(v, "days").([]any)) == 1, body
	})
	_, body = s.request("GET", base+"/stats.json", sbA, nil)
	st := path(sbBody(t, body), "data")
	if path(st, "forms", "unread_responses") != 1.0 || path(st, "checkout", "pending_orders") != 1.0 ||
		path(st, "checkout", "pending_orders_amount_label") != "20.00 EUR" || path(st, "catalog", "stock_shortage_count") != 1.0 {
		t.Fatalf("stats.json: %s", body)
	}
	_, body = s.request("GET", base+"/stats/live.json", sbA, nil)
	if path(sbBody(t, body), "data", "visitors") != 3.0 {
		t.Fatalf("live: %s", body)
	}

	// Usage: the site's real directories.
	if err := os.WriteFile(filepath.Join(root, "medias", "logo.png"), make([]byte, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	_, body = s.request("GET", base+"/stats/usage.json?extra_fields[]=bp&extra_fields[]=api_pfo", sbA, nil)
	u := path(sbBody(t, body), "data")
	if path(u, "space", "medias").(float64) < 4096 || path(u, "bandwidth", "used") != 2048.0 || path(u, "api_pfo", "used") == nil {
		t.Fatalf("usage: %s", body)
	}

	// The logs: the site's creation (sites' event), the customer's (billing's),
	// the order, and every write through the gateway with the key that made it.
	eventually(t, "logs", func() (bool, string) {
		_, body := s.request("GET", base+"/logs.json?limit=20", sbA, nil)
		return strings.Contains(body, "Site "+code+" created") && strings.Contains(body, fmt.Sprintf("Customer #%d created", cid)) &&
			strings.Contains(body, "Order A-1 paid: 49.90 EUR") &&
			strings.Contains(body, `POST /v1/sites/`+code+`/events.json (201) by API key \"e2e\"`), body
	})
	_, body = s.request("GET", base+"/logs.json?type[]=checkout", sbA, nil)
	if !strings.Contains(body, `"type":"checkout"`) || strings.Contains(body, `"type":"update"`) {
		t.Fatalf("logs by type: %s", body)
	}

	// The operators' series: what came in by source, and the consumer
	// group caught up with billing's stream (measured every 5 s).
	eventually(t, "stats metrics", func() (bool, string) {
		resp, err := http.Get("http://" + s.proc("stats", 0).addr + "/metrics")
		if err != nil {
			return false, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		m := string(b)
		return strings.Contains(m, `hostplane_stats_events_ingested_total{source="api"} 7`) &&
			strings.Contains(m, `hostplane_stats_events_ingested_total{source="beacon"} 1`) &&
			!strings.Contains(m, `hostplane_stats_events_ingested_total{source="stream"} 0`) &&
			!strings.Contains(m, `hostplane_stats_events_ingested_total{source="usage"} 0`) &&
			strings.Contains(m, `hostplane_stats_consumer_lag{stream="hostplane:events:billing"} 0`), m
	})

	// A key restricted to another customer does not see the site.
	other, otherSecret, _ := s.createKey([]string{"*"}, map[string]any{"customer_id": cid + 1000})
	for _, p := range []string{"/logs.json", "/stats.json", "/stats/report.json"} {
		if resp, body := s.request("GET", base+p, token(other, otherSecret), nil); resp.StatusCode != 404 || !strings.Contains(body, "4401") {
			t.Fatalf("other customer's key on %s: %d %s", p, resp.StatusCode, body)
		}
	}
}
