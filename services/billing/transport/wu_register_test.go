package transport

import (
	"net/http"
	"strings"
	"testing"
)

// registerReference is the register body of the wu reference, as written.
const registerReference = `{
"customer": {
"username": "newuser",
"password": "securepass123",
"email": "[email protected]"
},
"products": ["basic-plan"],
"duration": 1,
"duration_unit": "month",
"auto_renew": true,
"site": {
"site_url": "mynewsite",
"site_title": "My New Site",
"template_id": 1
},
"payment": {
"status": "completed"
},
"membership": {
"status": "active"
}
}`

func TestRegisterAsDocumented(t *testing.T) {
	h := newHarness(t)
	h.catalogue()
	if rec := h.ok(http.MethodGet, "/wp-json/wu/v2/register", ""); rec.Body.String() != `{"registration_status":"open"}` {
		t.Fatalf("GET /register %s", rec.Body)
	}
	m := object(t, h.ok(http.MethodPost, "/wp-json/wu/v2/register", registerReference))
	for _, part := range []string{"customer", "membership", "payment", "site"} {
		if _, ok := m[part].(map[string]any); !ok {
			t.Fatalf("no %s in %v", part, m)
		}
	}
	checkCustomer(t, m["customer"].(map[string]any))
	checkShape(t, m["membership"].(map[string]any), membershipTypes)
	checkShape(t, m["payment"].(map[string]any), paymentTypes)
	site := m["site"].(map[string]any)
	if site["id"] != float64(1) || site["site_url"] != "mynewsite" || site["template_id"] != float64(1) || site["title"] != "My New Site" {
		t.Fatalf("site %v", site)
	}
	mem, pay := m["membership"].(map[string]any), m["payment"].(map[string]any)
	if mem["status"] != "active" || mem["site_id"] != float64(1) || pay["status"] != "completed" || pay["total"] != 29.99 {
		t.Fatalf("membership %v payment %v", mem, pay)
	}
	if c := m["customer"].(map[string]any); c["email"] != "newuser@users.invalid" || c["signup_form"] != "checkout" {
		t.Fatalf("customer %v", c)
	}
	if s := h.sites.All(); len(s) != 1 || s[0].MembershipID != int64(mem["id"].(float64)) {
		t.Fatalf("sites %+v", s)
	}
	// The same again: the site address and the user are taken.
	rec := h.do(http.MethodPost, "/wp-json/wu/v2/register", registerReference, root)
	wantError(t, rec, 400, "wu_rest_invalid_parameter", "site.site_url")
}

func TestRegisterIdempotencyKey(t *testing.T) {
	h := newHarness(t)
	h.catalogue()
	send := func(key, body string, _ *any) *http.Request {
		req := h.request(http.MethodPost, "/wp-json/wu/v2/register", body, root)
		req.Header.Set("Idempotency-Key", key)
		return req
	}
	first := h.serve(send("order-1", registerReference, nil))
	if first.Code != 200 {
		t.Fatalf("first %d %s", first.Code, first.Body)
	}
	again := h.serve(send("order-1", registerReference, nil))
	if again.Code != 200 || again.Body.String() != first.Body.String() || again.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay %d %s %v", again.Code, again.Body, again.Header())
	}
	if _, n, _ := h.store.List(t.Context(), customersFilter()); n != 2 { // johndoe and newuser
		t.Fatalf("%d customers after a replay", n)
	}
	other := strings.Replace(registerReference, "mynewsite", "othersite", 1)
	rec := h.serve(send("order-1", other, nil))
	wantError(t, rec, 422, "wu_rest_idempotency_key_reused", "Idempotency-Key")
	// A failed request is not kept: fixed, it may be retried with its key.
	bad := strings.Replace(strings.Replace(registerReference, "mynewsite", "thirdsite", 1), `"newuser"`, `"x"`, 1)
	wantError(t, h.serve(send("order-2", bad, nil)), 400, "wu_rest_invalid_parameter", "customer.username")
	fixed := strings.Replace(strings.Replace(registerReference, "mynewsite", "thirdsite", 1), `"newuser"`, `"thirduser"`, 1)
	if rec := h.serve(send("order-2", fixed, nil)); rec.Code != 200 {
		t.Fatalf("retry after a failure %d %s", rec.Code, rec.Body)
	}
	// Another API key has its own keys.
	p := *root
	p.KeyID = 77
	req := h.request(http.MethodPost, "/wp-json/wu/v2/register", strings.Replace(fixed, "thirdsite", "fourthsite", 1), &p)
	req.Header.Set("Idempotency-Key", "order-1")
	if rec := h.serve(req); rec.Code != 409 || !strings.Contains(rec.Body.String(), `"customer.username"`) {
		t.Fatalf("another key's order-1 ran (and found thirduser taken): %d %s", rec.Code, rec.Body)
	}
	wantError(t, h.serve(send(strings.Repeat("k", 256), registerReference, nil)), 400, "wu_rest_invalid_parameter", "Idempotency-Key")
	// Payments honour keys too.
	pay := `{"customer_id":1,"total":5,"currency":"USD"}`
	req1 := h.request(http.MethodPost, "/wp-json/wu/v2/payments", pay, root)
	req1.Header.Set("Idempotency-Key", "pay-1")
	req2 := h.request(http.MethodPost, "/wp-json/wu/v2/payments", pay, root)
	req2.Header.Set("Idempotency-Key", "pay-1")
	a, b := h.serve(req1), h.serve(req2)
	if a.Code != 200 || b.Body.String() != a.Body.String() {
		t.Fatalf("payment replay %s / %s", a.Body, b.Body)
	}
}
