package transport

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// cx sends a cx request as root, JSON unless accept says otherwise.
func (h *harness) cx(method, path, body, accept string) (int, string) {
	h.t.Helper()
	req := h.request(method, path, body, root)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := h.serve(req)
	return rec.Code, rec.Body.String()
}

func data(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := jsonUnmarshal(body, &m); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	d, ok := m["data"].(map[string]any)
	if !ok {
		t.Fatalf("no data object: %s", body)
	}
	return d
}

func TestCXCustomers(t *testing.T) {
	h := newHarness(t)
	code, body := h.cx(http.MethodPost, "/api/application/customers", `{"email":"Jane@Example.com","password":"secret12","firstname":"Jane","lastname":"Doe","country":"fr","company_name":"ACME"}`, "")
	if code != 201 {
		t.Fatalf("create %d %s", code, body)
	}
	c := data(t, body)
	if c["username"] != "jane@example.com" || c["country"] != "FR" || c["status"] != "active" || c["email_verified"] != false {
		t.Fatalf("created %v", c)
	}
	// The wu view of the same customer shows the display name from the names.
	if u := object(t, h.ok(http.MethodGet, "/wp-json/wu/v2/customers/1", ""))["_user"].(map[string]any); u["display_name"] != "Jane Doe" {
		t.Fatalf("wu view %v", u)
	}
	code, body = h.cx(http.MethodPost, "/api/application/customers", `{"firstname":"x"}`, "")
	if code != 422 || !strings.Contains(body, `"email":["This field is required."]`) || !strings.Contains(body, `"password"`) {
		t.Fatalf("missing fields %d %s", code, body)
	}
	for _, m := range []string{http.MethodPut, http.MethodPost} {
		code, body = h.cx(m, "/api/application/customers/1", `{"phone":"+33 1 02 03 04 05","city":"Paris"}`, "")
		if code != 200 || data(t, body)["city"] != "Paris" {
			t.Fatalf("%s update %d %s", m, code, body)
		}
	}
	// Status actions, each once.
	for _, tt := range []struct {
		action string
		code   int
		status string
	}{
		{"suspend", 200, "suspended"}, {"suspend", 409, ""}, {"ban", 200, "banned"}, {"reactivate", 200, "active"},
		{"reactivate", 409, ""}, {"explode", 404, ""},
	} {
		code, body := h.cx(http.MethodPost, "/api/application/customers/1/action/"+tt.action, "", "")
		if code != tt.code || (tt.status != "" && data(t, body)["status"] != tt.status) {
			t.Fatalf("%s: %d %s", tt.action, code, body)
		}
	}
	code, body = h.cx(http.MethodGet, "/api/application/customers?q=acme&filter[status]=active", "", "")
	if code != 200 || !strings.Contains(body, `"total":1`) || !strings.Contains(body, `"current_page":1`) {
		t.Fatalf("list %d %s", code, body)
	}
	// filter[email] (whole, any case) and filter[email_verification] filter.
	for _, tt := range []struct {
		query string
		total int
	}{
		{"filter[email]=JANE@example.com", 1}, {"filter[email]=example.com", 0},
		{"filter[email_verification]=none", 1}, {"filter[email_verification]=verified", 0},
	} {
		code, body = h.cx(http.MethodGet, "/api/application/customers?"+tt.query, "", "")
		if code != 200 || !strings.Contains(body, fmt.Sprintf(`"total":%d`, tt.total)) {
			t.Fatalf("%s: %d %s", tt.query, code, body)
		}
	}
	code, body = h.cx(http.MethodGet, "/api/application/customers?filter[email]=%00", "", "")
	if code != 422 || !strings.Contains(body, `"filter[email]"`) {
		t.Fatalf("bad filter[email]: %d %s", code, body)
	}
	code, body = h.cx(http.MethodGet, "/api/application/customers?filter[status]=gone&sort=password", "", "")
	if code != 422 || !strings.Contains(body, `"sort"`) || !strings.Contains(body, `"filter[status]"`) {
		t.Fatalf("bad list %d %s", code, body)
	}
	// XML when Accept asks for it.
	code, body = h.cx(http.MethodGet, "/api/application/customers/1", "", "application/xml")
	var x struct {
		XMLName xml.Name `xml:"response"`
		Data    struct {
			ID      int64  `xml:"id"`
			Email   string `xml:"email"`
			Country string `xml:"country"`
		} `xml:"data"`
	}
	if code != 200 || xml.Unmarshal([]byte(body), &x) != nil || x.Data.ID != 1 || x.Data.Country != "FR" {
		t.Fatalf("xml %d %s", code, body)
	}
	if code, _ := h.cx(http.MethodDelete, "/api/application/customers/1", "", ""); code != 200 {
		t.Fatalf("delete %d", code)
	}
	if code, body := h.cx(http.MethodGet, "/api/application/customers/1", "", ""); code != 404 || body != `{"message":"Item not found."}` {
		t.Fatalf("deleted %d %s", code, body)
	}
}

func TestCXCatalog(t *testing.T) {
	h := newHarness(t)
	code, body := h.cx(http.MethodPost, "/api/application/groups", `{"name":"VPS","sort_order":1}`, "")
	if code != 201 || data(t, body)["slug"] != "vps" {
		t.Fatalf("group %d %s", code, body)
	}
	code, body = h.cx(http.MethodPost, "/api/application/products", `{"name":"VPS S","group_id":1,"price":"9.99","currency":"EUR","stock":3}`, "")
	if code != 201 || data(t, body)["price"] != 9.99 || data(t, body)["billing"] != "monthly" {
		t.Fatalf("product %d %s", code, body)
	}
	// Its own pricing follows its primary price; another currency is a pricing.
	code, body = h.cx(http.MethodPost, "/api/application/pricings", `{"product_id":1,"currency":"USD","monthly":10.5,"annually":"105","setup_monthly":null}`, "")
	if code != 201 || data(t, body)["annually"] != float64(105) || data(t, body)["quarterly"] != nil {
		t.Fatalf("pricing %d %s", code, body)
	}
	code, body = h.cx(http.MethodPost, "/api/application/pricings", `{"product_id":1,"currency":"USD"}`, "")
	if code != 409 {
		t.Fatalf("second USD pricing %d %s", code, body)
	}
	code, body = h.cx(http.MethodPost, "/api/application/pricings", `{"product_id":1,"currency":"GBP","weekly":2}`, "")
	if code != 422 || !strings.Contains(body, `"weekly"`) {
		t.Fatalf("unknown cycle %d %s", code, body)
	}
	code, body = h.cx(http.MethodPost, "/api/application/pricings", `{"product_id":1,"currency":"GBP","monthly":-1,"setup_annually":"1.234"}`, "")
	if code != 422 || !strings.Contains(body, `"monthly"`) || !strings.Contains(body, `"setup_annually"`) {
		t.Fatalf("bad prices %d %s", code, body)
	}
	// ?pricing=1 (the reference's tip) and include=pricing,group embed them.
	code, body = h.cx(http.MethodGet, "/api/application/products?pricing=1", "", "application/json")
	if code != 200 || !strings.Contains(body, `"pricing":[{"id":1,"product_id":1,"related_id":1,"related_type":"product","currency":"EUR","onetime":null,"monthly":9.99,`) ||
		!strings.Contains(body, `"currency":"USD","onetime":null,"monthly":10.50,"quarterly":null,"semiannually":null,"annually":105.00`) || strings.Contains(body, `"group":`) {
		t.Fatalf("pricing=1 %s", body)
	}
	code, body = h.cx(http.MethodGet, "/api/application/products/1?include=group,pricing", "", "")
	if code != 200 || !strings.Contains(body, `"group":{"id":1,"name":"VPS","slug":"vps"`) || !strings.Contains(body, `"pricing":[`) {
		t.Fatalf("include %s", body)
	}
	code, body = h.cx(http.MethodGet, "/api/application/products?include=pricing", "", "text/xml")
	if code != 200 || !strings.Contains(body, "<pricing><id>1</id>") || !strings.Contains(body, "<monthly>9.99</monthly>") {
		t.Fatalf("xml list %s", body)
	}
	if code, body := h.cx(http.MethodGet, "/api/application/products?include=owner", "", ""); code != 422 || !strings.Contains(body, `"include"`) {
		t.Fatalf("bad include %d %s", code, body)
	}
	code, body = h.cx(http.MethodPut, "/api/application/pricings/2", `{"annually":null,"quarterly":"30"}`, "")
	if code != 200 || data(t, body)["annually"] != nil || data(t, body)["quarterly"] != float64(30) {
		t.Fatalf("pricing update %d %s", code, body)
	}
	code, body = h.cx(http.MethodGet, "/api/application/pricings?filter[product_id]=1&filter[currency]=usd", "", "")
	if code != 200 || !strings.Contains(body, `"total":1`) {
		t.Fatalf("pricing list %d %s", code, body)
	}
	code, body = h.cx(http.MethodPost, "/api/application/groups/1", `{"status":"hidden"}`, "")
	if code != 200 || data(t, body)["status"] != "hidden" {
		t.Fatalf("group update %d %s", code, body)
	}
	code, body = h.cx(http.MethodGet, "/api/application/products?filter[group_id]=1&sort=-created_at", "", "")
	if code != 200 || !strings.Contains(body, `"total":1`) {
		t.Fatalf("filter group %d %s", code, body)
	}
	if code, _ := h.cx(http.MethodDelete, "/api/application/groups/1", "", ""); code != 200 {
		t.Fatal(code)
	}
	if _, body := h.cx(http.MethodGet, "/api/application/products/1", "", ""); data(t, body)["group_id"] != nil {
		t.Fatalf("group kept after delete: %s", body)
	}
	if code, _ := h.cx(http.MethodDelete, "/api/application/pricings/2", "", ""); code != 200 {
		t.Fatal(code)
	}
	if code, _ := h.cx(http.MethodDelete, "/api/application/products/1", "", ""); code != 200 {
		t.Fatal(code)
	}
}

func TestCXServices(t *testing.T) {
	h := newHarness(t)
	h.catalogue()
	h.ok(http.MethodPost, "/wp-json/wu/v2/memberships", `{"customer_id":1,"plan_id":1,"status":"active"}`)
	code, body := h.cx(http.MethodGet, "/api/application/services/1", "", "")
	if code != 200 || data(t, body)["status"] != "active" || data(t, body)["price"] != 29.99 || data(t, body)["billing"] != "monthly" {
		t.Fatalf("show %d %s", code, body)
	}
	for _, tt := range []struct {
		method, path, body string
		code               int
		status             string
	}{
		{http.MethodPost, "/suspend", `{"reason":"Unpaid invoice"}`, 200, "suspended"},
		{http.MethodPost, "/suspend", ``, 409, ""},
		{http.MethodPost, "/unsuspend", ``, 200, "active"},
		{http.MethodPost, "/unsuspend", ``, 409, ""},
		{http.MethodPut, "", `{"status":"suspended","reason":"fraud"}`, 200, "suspended"},
		{http.MethodPost, "", `{"status":"pending"}`, 409, ""},
		{http.MethodPost, "/expire", ``, 200, "expired"},
		{http.MethodPost, "/expire", ``, 409, ""},
		{http.MethodPost, "/suspend", ``, 409, ""},
		{http.MethodDelete, "", `{"reason":"closing"}`, 200, "cancelled"},
		{http.MethodDelete, "", ``, 409, ""},
	} {
		code, body := h.cx(tt.method, "/api/application/services/1"+tt.path, tt.body, "")
		if code != tt.code || (tt.status != "" && data(t, body)["status"] != tt.status) {
			t.Fatalf("%s %s: %d %s", tt.method, tt.path, code, body)
		}
	}
	// wu sees the same membership (on-hold is cx's suspended).
	m := object(t, h.ok(http.MethodGet, "/wp-json/wu/v2/memberships/1", ""))
	if m["status"] != "cancelled" || m["cancellation_reason"] != "closing" {
		t.Fatalf("wu view %v", m)
	}
	h.ok(http.MethodPost, "/wp-json/wu/v2/memberships", `{"customer_id":1,"plan_id":1,"status":"active"}`)
	h.cx(http.MethodPost, "/api/application/services/2/suspend", "", "")
	code, body = h.cx(http.MethodGet, "/api/application/services?filter[status]=suspended", "", "")
	if code != 200 || !strings.Contains(body, `"total":1`) || !strings.Contains(body, `"status":"suspended"`) {
		t.Fatalf("filter suspended %d %s", code, body)
	}
	code, body = h.cx(http.MethodPut, "/api/application/services/2", `{"price":"19.99","billing":"annually","expires_at":"2027-06-01"}`, "application/xml")
	if code != 200 || !strings.Contains(body, "<price>19.99</price>") || !strings.Contains(body, "<billing>annually</billing>") ||
		!strings.Contains(body, "<expires_at>2027-06-01T00:00:00Z</expires_at>") {
		t.Fatalf("update xml %d %s", code, body)
	}
	code, body = h.cx(http.MethodPut, "/api/application/services/2", `{"billing":"weekly","price":"-1","expires_at":"soon"}`, "")
	if code != 422 || !strings.Contains(body, `"billing"`) || !strings.Contains(body, `"expires_at"`) {
		t.Fatalf("bad update %d %s", code, body)
	}
	if code, _ := h.cx(http.MethodGet, "/api/application/services/99", "", ""); code != 404 {
		t.Fatal(code)
	}
}
