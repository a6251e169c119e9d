package gateway

import (
	"testing"
	"time"

	"github.com/hostplane/hostplane/gateway/authcache"
	"github.com/hostplane/hostplane/libs/route"
	"github.com/prometheus/client_golang/prometheus"
)

func TestSiteOf(t *testing.T) {
	tests := []struct {
		pattern string
		params  route.Params
		want    siteRef
	}{
		{"/v1/sites/{code}.json", route.Params{{Name: "code", Value: "shop"}}, siteRef{code: "shop"}},
		{"/v1/sites/{code}/stats/report.json", route.Params{{Name: "code", Value: "shop"}}, siteRef{code: "shop"}},
		{"/wp-json/wu/v2/sites/{id}", route.Params{{Name: "id", Value: "12"}}, siteRef{id: 12}},
		{"/wp-json/wu/v2/tenants/{site_id}/verify", route.Params{{Name: "site_id", Value: "7"}}, siteRef{id: 7}},
		{"/wp-json/wu/v2/customers/{id}", route.Params{{Name: "id", Value: "12"}}, siteRef{}},
	}
	for _, tt := range tests {
		if got := siteOf(tt.pattern, tt.params); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.pattern, got, tt.want)
		}
	}
}

func TestUsageLogCountsAndPutsBack(t *testing.T) {
	u := newUsageLog(2, prometheus.NewRegistry())
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	key := &authcache.Identity{KeyID: 3, Name: "crm", CustomerID: 9}
	u.add(siteRef{code: "shop"}, key, "GET", "/v1/sites/shop.json", 200, at)
	u.add(siteRef{code: "shop"}, key, "GET", "/v1/sites/shop.json", 200, at)
	u.add(siteRef{}, key, "POST", "/wp-json/wu/v2/customers", 201, at)
	u.add(siteRef{}, &authcache.Identity{KeyID: 4}, "GET", "/x", 200, at) // no site, no customer: not counted
	u.add(siteRef{code: "shop"}, key, "DELETE", "/v1/sites/shop.json", 404, at)
	b := u.take()
	counts := map[string]int64{}
	for _, h := range b.Hits {
		counts[h.SiteCode+"|"+h.Day+"|"+itoa(h.CustomerID)] = h.Count
	}
	if counts["shop|2026-11-25|0"] != 3 || counts["|2026-11-25|9"] != 1 || len(counts) != 2 {
		t.Fatalf("hits %v", counts)
	}
	if len(b.Writes) != 1 || b.Writes[0].KeyName != "crm" || b.Writes[0].Method != "POST" {
		t.Fatalf("writes %+v", b.Writes)
	}
	// A failed send comes back whole, merged with what came since.
	u.add(siteRef{code: "shop"}, key, "GET", "/v1/sites/shop.json", 200, at)
	u.putBack(b)
	again := u.take()
	total := int64(0)
	for _, h := range again.Hits {
		total += h.Count
	}
	if total != 5 || len(again.Writes) != 1 {
		t.Fatalf("after put back: %d hits, %d writes", total, len(again.Writes))
	}
}
