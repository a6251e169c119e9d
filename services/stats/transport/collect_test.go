package transport_test

import (
	"net/url"
	"testing"

	"github.com/hostplane/hostplane/services/stats"
)

func TestCollectBeacon(t *testing.T) {
	h := newHarness(t, stats.Config{CollectLimit: "3/m"})
	k := h.get("/v1/sites/shop/stats/collect.json", root)
	key, _ := at(k.body, "data", "public_key").(string)
	if k.status != 200 || len(key) < 10 || at(k.body, "data", "beacon_url") != "/v1/collect.json" {
		t.Fatalf("collect key: %s", k.raw)
	}
	if other := h.get("/v1/sites/blog/stats/collect.json", root); at(other.body, "data", "public_key") == key {
		t.Fatal("two sites share a collect key")
	}
	ip := func(addr string) []string { return []string{"X-Forwarded-For", addr} }
	// Unsigned, as the gateway forwards public routes; sendBeacon's text/plain JSON.
	r := h.do("POST", "/v1/collect.json", `{"site":"shop","key":"`+key+`","visitor_id":"v9","path":"/x","visit":true}`, "text/plain;charset=UTF-8", nil, ip("192.0.2.1")...)
	if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("beacon: %d %s", r.status, r.raw)
	}
	// A form, then query parameters.
	form := url.Values{"site": {"shop"}, "key": {key}, "path": {"/y"}}
	if r := h.do("POST", "/v1/collect.json", form.Encode(), "application/x-www-form-urlencoded", nil, ip("192.0.2.1")...); r.status != 204 {
		t.Fatalf("form beacon: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", "/v1/collect.json?"+form.Encode(), "", "", nil, ip("192.0.2.2")...); r.status != 204 {
		t.Fatalf("query beacon: %d %s", r.status, r.raw)
	}
	rep := h.get("/v1/sites/shop/stats/report.json?start_date=2026-11-25", root)
	if num(at(rep.body, "data", "pageviews")) != 3 || num(at(rep.body, "data", "visitors")) != 1 {
		t.Fatalf("report after beacons: %s", rep.raw)
	}
	// The address has spent its 3 a minute.
	if r := h.do("POST", "/v1/collect.json", `{"site":"shop","key":"`+key+`"}`, "application/json", nil, ip("192.0.2.1")...); r.status != 204 {
		t.Fatalf("3rd beacon: %d %s", r.status, r.raw)
	}
	r = h.do("POST", "/v1/collect.json", `{"site":"shop","key":"`+key+`"}`, "application/json", nil, ip("192.0.2.1")...)
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Fatalf("4th beacon of one address: %d %s", r.status, r.raw)
	}
	// Wrong key, unknown site, bad field.
	for _, body := range []string{
		`{"site":"shop","key":"pk_wrong"}`,
		`{"site":"nope","key":"` + key + `"}`,
	} {
		if r := h.do("POST", "/v1/collect.json", body, "application/json", nil, ip("198.51.100.7")...); r.status != 400 || num(at(r.body, "error", "code")) != 4002 {
			t.Fatalf("%s: %d %s", body, r.status, r.raw)
		}
	}
	if r := h.do("POST", "/v1/collect.json", `{"site":"shop","key":"`+key+`","bytes":-3}`, "application/json", nil, ip("198.51.100.8")...); r.status != 400 ||
		at(r.body, "error", "fields", "bytes") == nil {
		t.Fatalf("negative bytes: %d %s", r.status, r.raw)
	}
	// CORS preflight.
	if r := h.do("OPTIONS", "/v1/collect.json", "", "", nil); r.status != 204 || r.header.Get("Access-Control-Allow-Methods") == "" {
		t.Fatalf("preflight: %d %v", r.status, r.header)
	}
	// The short path answers too, in the sb envelope as the long one.
	if r := h.do("POST", "/collect", `{"site":"shop","key":"pk_wrong"}`, "application/json", nil, ip("198.51.100.9")...); r.status != 400 ||
		num(at(r.body, "error", "code")) != 4002 {
		t.Fatalf("/collect: %d %s", r.status, r.raw)
	}
	// Only /collect is public.
	if r := h.get("/v1/sites/shop/stats/live.json", nil); r.status != 401 {
		t.Fatalf("unsigned stats route: %d", r.status)
	}
}
