package transport

import (
	"net/http"
	"strings"
	"testing"
)

// productTypes is the JSON type of every field of a wu product.
var productTypes = map[string]string{
	"id": "number", "model": "string", "slug": "string", "date_created": "string", "date_modified": "string",
	"migrated_from_id": "number", "name": "string", "description": "string", "currency": "string",
	"pricing_type": "string", "setup_fee": "number", "parent_id": "number", "recurring": "boolean",
	"trial_duration": "number", "trial_duration_unit": "string", "duration": "number", "duration_unit": "string",
	"amount": "number", "billing_cycles": "number", "list_order": "number", "active": "boolean", "type": "string",
	"featured_image_id": "number", "taxable": "boolean", "tax_category": "string", "feature_list": "null",
	"customer_role": "null", "price_variations": "null", "available_addons": "array", "product_group": "string",
	"network_id": "null", "contact_us_label": "string", "contact_us_link": "string", "legacy_options": "null",
	"limitations": "array", "featured_plan": "null", "status": "string", "group_id": "number", "stock": "number",
	"pinned": "boolean", "quantity_max": "number", "limits": "object",
}

var membershipTypes = map[string]string{
	"id": "number", "model": "string", "slug": "string", "date_created": "string", "date_modified": "string",
	"migrated_from_id": "number", "customer_id": "number", "user_id": "number", "plan_id": "number",
	"addon_products": "array", "currency": "string", "initial_amount": "number", "recurring": "boolean",
	"auto_renew": "boolean", "duration": "number", "duration_unit": "string", "amount": "number",
	"date_activated": "string|null", "date_trial_end": "string|null", "date_renewed": "string|null",
	"date_cancellation": "string|null", "date_expiration": "string|null", "date_payment_plan_completed": "null",
	"times_billed": "number", "billing_cycles": "number", "status": "string", "gateway_customer_id": "string",
	"gateway_subscription_id": "string", "gateway": "string", "signup_method": "string", "upgraded_from": "boolean",
	"disabled": "boolean", "discount_code": "null", "cancellation_reason": "string|null", "network_id": "null",
	"gateway_info": "object", "limitations": "array", "billing_address": "null", "notes": "null", "site_id": "number",
}

var paymentTypes = map[string]string{
	"id": "number", "model": "string", "slug": "string", "date_created": "string", "date_modified": "string",
	"migrated_from_id": "number", "product_id": "number", "customer_id": "number", "membership_id": "number",
	"parent_id": "number", "currency": "string", "subtotal": "number", "refund_total": "number",
	"discount_total": "number", "tax_total": "number", "discount_code": "string", "total": "number", "status": "string",
	"gateway": "string", "gateway_payment_id": "string", "line_items": "null", "invoice_number": "string",
	"cancel_membership_on_refund": "boolean", "notes": "null",
}

// catalogue creates the reference's plan (reference 25, with a decimal
// amount) and a customer, as the reference's later examples expect.
func (h *harness) catalogue() {
	h.t.Helper()
	h.ok(http.MethodPost, "/wp-json/wu/v2/products", `{"name":"Basic Plan","slug":"basic-plan","description":"Basic plan","amount":29.99,"currency":"USD","duration":1,"duration_unit":"month"}`)
	h.create("johndoe", "")
}

func TestWUProducts(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/wp-json/wu/v2/products", "/wp-json/wu/v2/product"} {
		if rec := h.ok(http.MethodGet, path, ""); rec.Body.String() != "[]" || strings.Join(rec.Header()["X-WP-Total"], "") != "0" {
			t.Fatalf("empty list %s: %s %v", path, rec.Body, rec.Header())
		}
	}
	created := object(t, h.ok(http.MethodPost, "/wp-json/wu/v2/product", `{"name":"Basic Plan","slug":"basic-plan","amount":29.99,"currency":"USD","limits":{"space_bytes":1073741824}}`))
	checkShape(t, created, productTypes)
	if created["amount"] != 29.99 || created["active"] != true || created["stock"] != float64(-1) || created["date_created"] != "2026-11-23 21:02:51" {
		t.Fatalf("created %v", created)
	}
	// Exact decimals in the body, as text.
	raw := h.ok(http.MethodGet, "/wp-json/wu/v2/products/1", "").Body.String()
	if !strings.Contains(raw, `"amount":29.99,`) || !strings.Contains(raw, `"setup_fee":0.00,`) || !strings.Contains(raw, `"limits":{"space_bytes":1073741824}`) {
		t.Fatalf("decimals %s", raw)
	}
	// The plugin's integer body (reference 25) and a string amount.
	h.ok(http.MethodPost, "/wp-json/wu/v2/products", `{"name":"Pro","amount":29,"currency":"JPY","type":"package"}`)
	h.ok(http.MethodPost, "/wp-json/wu/v2/products", `{"name":"Gold","amount":"99.5","status":"hidden","list_order":1}`)
	list := array(t, h.ok(http.MethodGet, "/wp-json/wu/v2/products?orderby=amount&order=asc", ""))
	if len(list) != 3 || list[0]["slug"] != "pro" || list[0]["amount"] != float64(29) || list[2]["slug"] != "gold" {
		t.Fatalf("list by amount %v", ids(list))
	}
	if l := array(t, h.ok(http.MethodGet, "/wp-json/wu/v2/products?type=package", "")); len(l) != 1 || l[0]["slug"] != "pro" {
		t.Fatalf("type filter %v", l)
	}
	if l := array(t, h.ok(http.MethodGet, "/wp-json/wu/v2/products?status=hidden&search=GOL", "")); len(l) != 1 {
		t.Fatalf("status and search %v", l)
	}
	// Update by PUT, PATCH and POST; active false unreferences it.
	for _, m := range []string{http.MethodPut, http.MethodPatch, http.MethodPost} {
		h.ok(m, "/wp-json/wu/v2/products/3", `{"description":"by `+m+`"}`)
	}
	got := object(t, h.ok(http.MethodPatch, "/wp-json/wu/v2/products/3", `{"active":false}`))
	if got["active"] != false || got["status"] != "unreferenced" || got["description"] != "by POST" {
		t.Fatalf("updated %v", got)
	}
	if rec := h.ok(http.MethodDelete, "/wp-json/wu/v2/products/3", ""); !strings.HasPrefix(rec.Body.String(), `{"deleted":true,"previous":{"id":3,`) {
		t.Fatalf("delete %s", rec.Body)
	}
	wantError(t, h.do(http.MethodGet, "/wp-json/wu/v2/products/3", "", root), 404, "wu_rest_product_invalid_id")
	wantError(t, h.do(http.MethodPut, "/wp-json/wu/v2/products/3", `{"bogus":1}`, root), 404, "wu_rest_product_invalid_id")
}

func TestWUProductsRefuseBadInput(t *testing.T) {
	h := newHarness(t)
	h.ok(http.MethodPost, "/wp-json/wu/v2/products", `{"name":"Basic Plan"}`)
	for _, tt := range []struct {
		body   string
		code   string
		params []string
	}{
		{`{"name":"x","amount":-1}`, "wu_rest_invalid_parameter", []string{"amount"}},
		{`{"name":"x","amount":29.999}`, "wu_rest_invalid_parameter", []string{"amount"}},
		{`{"name":"x","amount":1.5,"currency":"JPY"}`, "wu_rest_invalid_parameter", []string{"amount"}},
		{`{"name":"x","currency":"EURO"}`, "wu_rest_invalid_parameter", []string{"currency"}},
		{`{"name":"x","amount":"abc"}`, "wu_rest_invalid_parameter", []string{"amount"}},
		{`{"name":"x","amount":true}`, "wu_rest_invalid_parameter", []string{"amount"}},
		{`{}`, "wu_rest_invalid_parameter", []string{"name", "slug"}},
		{`{"name":"x","type":"bundle","duration_unit":"hour","stock":-2,"limits":{"cpu":1}}`, "wu_rest_invalid_parameter", []string{"duration_unit", "limits", "stock", "type"}},
		{`{"name":"x","pricing_type":"free","amount":1}`, "wu_rest_invalid_parameter", []string{"amount"}},
		{`{"name":"x","available_addons":[42]}`, "wu_rest_invalid_parameter", []string{"available_addons"}},
		{`{"name":"x","unknown":1}`, "wu_rest_invalid_parameter", []string{"unknown"}},
		{`{"name":"Basic Plan"}`, "wu_rest_conflict", []string{"slug"}},
	} {
		status := 400
		if tt.code == "wu_rest_conflict" {
			status = 409
		}
		wantError(t, h.do(http.MethodPost, "/wp-json/wu/v2/products", tt.body, root), status, tt.code, tt.params...)
	}
	// The plugin's echo of an object is accepted (its fields without a
	// Hostplane value are ignored).
	h.ok(http.MethodPut, "/wp-json/wu/v2/products/1", `{"featured_image_id":0,"feature_list":null,"product_group":"","limitations":[]}`)
}

func TestWUMemberships(t *testing.T) {
	h := newHarness(t)
	h.catalogue()
	// The reference body, with the ids of this installation.
	created := object(t, h.ok(http.MethodPost, "/wp-json/wu/v2/memberships", `{
"customer_id": 1,
"plan_id": 1,
"status": "active",
"gateway": "stripe",
"gateway_subscription_id": "sub_1234567890",
"auto_renew": true
}`))
	checkShape(t, created, membershipTypes)
	if created["status"] != "active" || created["amount"] != 29.99 || created["date_activated"] != "2026-11-23 21:02:51" ||
		created["date_expiration"] != "2026-12-23 21:02:51" || created["gateway_subscription_id"] != "sub_1234567890" {
		t.Fatalf("created %v", created)
	}
	// As documented, with ids that do not exist: 400 naming them.
	wantError(t, h.do(http.MethodPost, "/wp-json/wu/v2/membership", `{"customer_id": 5, "plan_id": 3, "status": "active"}`, root),
		400, "wu_rest_invalid_parameter", "customer_id", "plan_id")
	wantError(t, h.do(http.MethodPost, "/wp-json/wu/v2/membership", `{"customer_id": 1, "plan_id": 1, "status": "on-hold"}`, root),
		400, "wu_rest_invalid_parameter", "status")
	// The lifecycle: on-hold and back, then cancelled for good.
	if m := object(t, h.ok(http.MethodPut, "/wp-json/wu/v2/memberships/1", `{"status":"on-hold"}`)); m["status"] != "on-hold" {
		t.Fatalf("%v", m)
	}
	h.ok(http.MethodPatch, "/wp-json/wu/v2/memberships/1", `{"status":"active"}`)
	h.ok(http.MethodPost, "/wp-json/wu/v2/membership/1", `{"status":"cancelled","cancellation_reason":"moving"}`)
	wantError(t, h.do(http.MethodPut, "/wp-json/wu/v2/memberships/1", `{"status":"active"}`, root), 409, "wu_rest_conflict", "status")
	m := object(t, h.ok(http.MethodGet, "/wp-json/wu/v2/memberships/1", ""))
	if m["status"] != "cancelled" || m["cancellation_reason"] != "moving" || m["auto_renew"] != false || m["date_cancellation"] == nil {
		t.Fatalf("cancelled %v", m)
	}
	h.ok(http.MethodPost, "/wp-json/wu/v2/memberships", `{"customer_id":1,"plan_id":1,"amount":"10","date_expiration":"2027-01-01"}`)
	list := array(t, h.ok(http.MethodGet, "/wp-json/wu/v2/memberships?customer_id=1&orderby=amount&order=asc", ""))
	if len(list) != 2 || list[0]["amount"] != float64(10) || list[0]["status"] != "pending" || list[0]["date_expiration"] != "2027-01-01 00:00:00" {
		t.Fatalf("list %v", list)
	}
	if l := array(t, h.ok(http.MethodGet, "/wp-json/wu/v2/memberships?status=cancelled", "")); len(l) != 1 {
		t.Fatalf("status filter %v", l)
	}
	wantError(t, h.do(http.MethodGet, "/wp-json/wu/v2/memberships?customer_id=x&orderby=x", "", root), 400, "wu_rest_invalid_parameter", "customer_id", "orderby")
	// A key restricted to another customer sees none of it.
	other := restricted(99)
	other.Permissions = []string{"*"}
	wantError(t, h.do(http.MethodGet, "/wp-json/wu/v2/memberships/1", "", other), 404, "wu_rest_membership_invalid_id")
	if rec := h.do(http.MethodGet, "/wp-json/wu/v2/memberships", "", other); rec.Body.String() != "[]" {
		t.Fatalf("restricted list %s", rec.Body)
	}
	if rec := h.ok(http.MethodDelete, "/wp-json/wu/v2/memberships/2", ""); !strings.Contains(rec.Body.String(), `"deleted":true`) {
		t.Fatalf("delete %s", rec.Body)
	}
}

func TestWUPayments(t *testing.T) {
	h := newHarness(t)
	h.catalogue()
	h.ok(http.MethodPost, "/wp-json/wu/v2/memberships", `{"customer_id":1,"plan_id":1,"status":"active"}`)
	// The reference body: subtotal defaults to the total.
	created := object(t, h.ok(http.MethodPost, "/wp-json/wu/v2/payments", `{
"customer_id": 1,
"membership_id": 1,
"status": "completed",
"gateway": "stripe",
"gateway_payment_id": "pi_1234567890",
"total": 29.99,
"currency": "USD"
}`))
	checkShape(t, created, paymentTypes)
	if created["subtotal"] != 29.99 || created["total"] != 29.99 || created["invoice_number"] != "INV-000001" || created["status"] != "completed" {
		t.Fatalf("created %v", created)
	}
	// The currency comes from the membership; tax adds up.
	p := object(t, h.ok(http.MethodPost, "/wp-json/wu/v2/payment", `{"customer_id":1,"membership_id":1,"subtotal":"10","tax_total":"2.00"}`))
	if p["total"] != float64(12) || p["currency"] != "USD" || p["status"] != "pending" || p["invoice_number"] != "INV-000002" {
		t.Fatalf("second %v", p)
	}
	for _, tt := range []struct {
		body   string
		params []string
	}{
		{`{"customer_id": 5, "membership_id": 10, "status": "completed", "total": 29.99, "currency": "USD"}`, []string{"customer_id", "membership_id"}},
		{`{"customer_id": 1, "total": -1, "currency": "USD"}`, []string{"total"}},
		{`{"customer_id": 1, "total": 1.001, "currency": "USD"}`, []string{"total"}},
		{`{"customer_id": 1, "total": 1, "currency": "XYZ"}`, []string{"currency"}},
		{`{"customer_id": 1, "total": 10, "subtotal": 5, "currency": "USD"}`, []string{"total"}},
		{`{"customer_id": 1, "currency": "USD"}`, []string{"total"}},
		{`{"customer_id": 1, "total": 5}`, []string{"currency"}},
		{`{"customer_id": 1, "total": 5, "currency": "USD", "status": "paid"}`, []string{"status"}},
	} {
		wantError(t, h.do(http.MethodPost, "/wp-json/wu/v2/payments", tt.body, root), 400, "wu_rest_invalid_parameter", tt.params...)
	}
	// Status lifecycle: a refund sets refund_total; refunded is final.
	if p := object(t, h.ok(http.MethodPut, "/wp-json/wu/v2/payments/1", `{"status":"refunded"}`)); p["refund_total"] != 29.99 {
		t.Fatalf("refunded %v", p)
	}
	wantError(t, h.do(http.MethodPut, "/wp-json/wu/v2/payments/1", `{"status":"completed"}`, root), 409, "wu_rest_conflict", "status")
	if l := array(t, h.ok(http.MethodGet, "/wp-json/wu/v2/payments?status=pending&customer_id=1", "")); len(l) != 1 || id(l[0]) != 2 {
		t.Fatalf("list %v", l)
	}
}
