package transport

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/services/billing/client"
)

// subscribed registers a customer with a plan, an add-on and a site.
func (h *harness) subscribed() {
	h.t.Helper()
	h.catalogue()
	h.ok(http.MethodPost, "/wp-json/wu/v2/products", `{"name":"Extra storage","slug":"extra-storage","type":"service","amount":"5","quantity_max":4,"limits":{"space_bytes":1000}}`)
	h.ok(http.MethodPost, "/wp-json/wu/v2/register", `{"customer":{"username":"siteowner","password":"secret12","email":"owner@example.com"},
		"products":["extra-storage","basic-plan"],"site":{"site_url":"ownersite","site_title":"Owner site"},"payment":{"status":"completed"}}`)
}

func TestSBPlansAndSubscriptions(t *testing.T) {
	h := newHarness(t)
	h.subscribed()
	h.ok(http.MethodPost, "/wp-json/wu/v2/products", `{"name":"Hidden","status":"hidden"}`)
	h.ok(http.MethodPost, "/wp-json/wu/v2/products", `{"name":"Yearly","amount":"120","duration_unit":"year"}`)
	rec := h.ok(http.MethodGet, "/v1/plans.json", "")
	want := `{"meta":{"success":true,"status_code":200,"rate_remaining":0,"items_count":2,"items_per_page":20,"current_page":0,` +
		`"link":{"first_page":"/v1/plans.json?limit=20&page=0","previous_page":false,"next_page":false,"last_page":"/v1/plans.json?limit=20&page=0"}},` +
		`"error":null,"data":[{"plan_id":1,"name":"Basic Plan","description":"Basic plan","monthly_cost":29.99,"monthly_cost_label":"29.99 USD"},` +
		`{"plan_id":4,"name":"Yearly","description":"","monthly_cost":10,"monthly_cost_label":"10.00 USD"}]}`
	if rec.Body.String() != want {
		t.Fatalf("plans\n got %s\nwant %s", rec.Body, want)
	}
	if rec := h.do(http.MethodGet, "/v1/plans.json?limit=21", "", root); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"code":4002`) {
		t.Fatalf("limit %d %s", rec.Code, rec.Body)
	}
	sub := object(t, h.ok(http.MethodGet, "/v1/sites/ownersite/subscriptions.json", ""))["data"].(map[string]any)
	if sub["plan_id"] != float64(1) || sub["plan_name"] != "Basic Plan" || sub["monthly_cost"] != 34.99 || sub["has_options"] != true ||
		sub["is_trial"] != false || sub["closing_date"] != "2026-12-23" || sub["closing_date_f"] != "23/12/2026" || sub["endtrial_date"] != "" {
		t.Fatalf("subscription %v", sub)
	}
	opts := object(t, h.ok(http.MethodGet, "/v1/sites/ownersite/subscriptions/options.json", ""))["data"].([]any)
	o := opts[0].(map[string]any)
	if len(opts) != 1 || o["code"] != "extra-storage" || o["quantity"] != float64(1) || o["quantity_max"] != float64(4) ||
		o["quantity_remaining"] != float64(3) || o["monthly_cost"] != float64(5) || o["monthly_cost_label"] != "5.00 USD" {
		t.Fatalf("options %v", opts)
	}
	for _, path := range []string{"/v1/sites/nosuch/subscriptions.json", "/v1/sites/nosuch/subscriptions/options.json"} {
		if rec := h.do(http.MethodGet, path, "", root); rec.Code != 404 || !strings.Contains(rec.Body.String(), `"code":4401`) {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	// A key restricted to another customer does not see the site.
	other := restricted(1)
	other.Permissions = []string{"*"}
	if rec := h.do(http.MethodGet, "/v1/sites/ownersite/subscriptions.json", "", other); rec.Code != 404 {
		t.Fatalf("restricted %d %s", rec.Code, rec.Body)
	}
}

func TestInternalMembershipsAndProducts(t *testing.T) {
	h := newHarness(t)
	h.subscribed()
	var m client.Membership
	if err := json.Unmarshal(h.ok(http.MethodGet, "/internal/v1/memberships/1", "").Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m.ID != 1 || m.CustomerID != 2 || m.PlanID != 1 || m.SiteID != 1 || m.Status != "active" || m.Amount != "34.99" ||
		m.Currency != "USD" || m.DateExpiration == nil || len(m.Options) != 1 || m.Options[0].Code != "extra-storage" ||
		m.Options[0].MonthlyCost != "5.00" || m.Options[0].QuantityMax != 4 {
		t.Fatalf("membership %+v", m)
	}
	for _, q := range []string{"site_id=1", "customer_id=2"} {
		var list struct {
			Data []client.Membership `json:"data"`
		}
		if err := json.Unmarshal(h.ok(http.MethodGet, "/internal/v1/memberships?"+q, "").Body.Bytes(), &list); err != nil || len(list.Data) != 1 || list.Data[0].ID != 1 {
			t.Fatalf("%s: %+v %v", q, list, err)
		}
	}
	if rec := h.ok(http.MethodGet, "/internal/v1/memberships?site_id=9", ""); rec.Body.String() != `{"data":[]}` {
		t.Fatalf("none %s", rec.Body)
	}
	if rec := h.do(http.MethodGet, "/internal/v1/memberships", "", root); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"site_id"`) {
		t.Fatalf("no filter %d %s", rec.Code, rec.Body)
	}
	var p client.Product
	if err := json.Unmarshal(h.ok(http.MethodGet, "/internal/v1/products/2", "").Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Slug != "extra-storage" || p.Amount != "5.00" || p.MonthlyCost != "5.00" || p.Limits["space_bytes"] != 1000 || !p.Active {
		t.Fatalf("product %+v", p)
	}
	if rec := h.do(http.MethodGet, "/internal/v1/memberships/9", "", root); rec.Code != 404 || !strings.Contains(rec.Body.String(), `"resource":"membership"`) {
		t.Fatalf("missing %d %s", rec.Code, rec.Body)
	}
}
