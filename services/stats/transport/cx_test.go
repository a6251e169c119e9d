package transport_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/stats"
)

func TestCXStatistics(t *testing.T) {
	h := newHarness(t, stats.Config{})
	ctx := context.Background()
	n := 0
	publish := func(typ string, data map[string]any) {
		t.Helper()
		n++
		e, _ := events.New("billing", typ, "x", data)
		e.Time = base.Add(time.Duration(n) * time.Second)
		if err := h.app.Handler(ctx, e); err != nil {
			t.Fatal(err)
		}
		// Delivered twice: counted once.
		if err := h.app.Handler(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	publish("customer.created", map[string]any{"customer_id": 10, "status": "active"}) // verified (billing says)
	publish("customer.created", map[string]any{"customer_id": 11, "status": "pending", "email_verification": "verified"})
	publish("customer.created", map[string]any{"customer_id": 12, "status": "active"})
	publish("customer.updated", map[string]any{"customer_id": 12, "status": "suspended"})
	publish("customer.created", map[string]any{"customer_id": 13, "status": "active"})
	publish("customer.deleted", map[string]any{"customer_id": 13, "status": "active"})
	publish("membership.created", map[string]any{"membership_id": 1, "customer_id": 10, "plan_id": 1, "status": "pending"})
	publish("membership.activated", map[string]any{"membership_id": 1, "customer_id": 10, "plan_id": 1, "status": "active"})
	publish("membership.created", map[string]any{"membership_id": 2, "customer_id": 11, "plan_id": 1, "status": "active"})
	publish("membership.suspended", map[string]any{"membership_id": 2, "customer_id": 11, "plan_id": 1, "status": "on-hold"})
	publish("payment.completed", map[string]any{"payment_id": 1, "customer_id": 10, "membership_id": 1, "total": "29.99", "currency": "EUR", "status": "completed"})
	publish("payment.completed", map[string]any{"payment_id": 2, "customer_id": 11, "membership_id": 2, "total": "10", "currency": "EUR", "status": "completed"})
	publish("payment.completed", map[string]any{"payment_id": 3, "customer_id": 11, "membership_id": 2, "total": "1000", "currency": "JPY", "status": "completed"})
	publish("payment.refunded", map[string]any{"payment_id": 2, "customer_id": 11, "membership_id": 2, "total": "10", "currency": "EUR", "status": "refunded"})
	publish("product.created", map[string]any{"product_id": 1})

	r := h.do("GET", "/api/application/statistics", "", "", root, "Accept", "application/json")
	d := at(r.body, "data")
	if r.status != 200 || num(at(d, "customers", "total")) != 3 || num(at(d, "customers", "active")) != 1 ||
		num(at(d, "customers", "suspended")) != 1 || num(at(d, "customers", "pending")) != 1 || num(at(d, "customers", "confirmed")) != 2 ||
		num(at(d, "services", "active")) != 1 || num(at(d, "services", "suspended")) != 1 || num(at(d, "services", "total")) != 2 ||
		num(at(d, "services", "expired")) != 0 {
		t.Fatalf("statistics: %d %s", r.status, r.raw)
	}
	if rev := at(d, "revenue"); at(rev, 0, "currency") != "EUR" || num(at(rev, 0, "total")) != 29.99 || at(rev, 0, "label") != "29.99 EUR" ||
		at(rev, 1, "currency") != "JPY" || at(rev, 1, "label") != "1000 JPY" {
		t.Fatalf("revenue %v", rev)
	}
	// A key restricted to customer 11 sees its own figures.
	r = h.do("GET", "/api/application/statistics", "", "", customerKey(11), "Accept", "application/json")
	if d := at(r.body, "data"); num(at(d, "customers", "total")) != 1 || num(at(d, "services", "total")) != 1 ||
		len(at(d, "revenue").([]any)) != 1 {
		t.Fatalf("restricted: %s", r.raw)
	}
	// XML when asked.
	r = h.do("GET", "/api/application/statistics", "", "", root, "Accept", "application/xml")
	if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "xml") || !strings.Contains(r.raw, "<confirmed>2</confirmed>") {
		t.Fatalf("xml: %d %s", r.status, r.raw)
	}
}
