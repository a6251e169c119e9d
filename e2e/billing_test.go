package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// billJSON decodes a JSON object answer.
func billJSON(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("not a JSON object: %s", body)
	}
	return m
}

func billID(m map[string]any) string { return fmt.Sprint(int64(m["id"].(float64))) }

// billStream reads the entries of a Redis Stream added since a time with a raw RESP
// command (the e2e module keeps to the standard library).
func billStream(t *testing.T, redisURL, stream string, since time.Time) string {
	t.Helper()
	u, err := url.Parse(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(3 * time.Second))
	db := strings.TrimPrefix(u.Path, "/")
	w := bufio.NewWriter(conn)
	if db != "" && db != "0" {
		fmt.Fprintf(w, "*2\r\n$6\r\nSELECT\r\n$%d\r\n%s\r\n", len(db), db)
	}
	args := []string{"XRANGE", stream, fmt.Sprint(since.UnixMilli()), "+", "COUNT", "500"}
	fmt.Fprintf(w, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(w, "$%d\r\n%s\r\n", len(a), a)
	}
	_ = w.Flush()
	var out strings.Builder
	buf := make([]byte, 1<<16)
	for {
		n, err := conn.Read(buf)
		out.Write(buf[:n])
		if err != nil || n < len(buf) {
			break
		}
	}
	return out.String()
}

// TestE2EBillingReference sends the billing examples of the wu and cx
// references through the gateway, as written, then with the ids of this
// installation where the written ones name nothing.
func TestE2EBillingReference(t *testing.T) {
	begun := time.Now()
	s := startStack(t, 1)
	key, secret, _ := s.createKey([]string{"*"}, map[string]any{"rate_limit": "1000/s"})
	a := basic(key, secret)

	// GET /wu/v2/products on an empty catalogue, then the plan the
	// register example names, with a decimal amount.
	if resp, body := s.request("GET", "/wp-json/wu/v2/products", a, nil); resp.StatusCode != 200 || body != "[]" || resp.Header.Get("X-WP-Total") != "0" {
		t.Fatalf("empty products: %d %s", resp.StatusCode, body)
	}
	resp, body := s.request("POST", "/wp-json/wu/v2/products", a, `{"name":"Basic Plan","slug":"basic-plan","description":"Basic plan","amount":29.99,"currency":"USD","duration":1,"duration_unit":"month"}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"amount":29.99`) {
		t.Fatalf("product: %d %s", resp.StatusCode, body)
	}
	plan := billJSON(t, body)

	// The register example, as written.
	registration := `{
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
	start := time.Now()
	resp, body = s.request("POST", "/wp-json/wu/v2/register", a, registration, "Idempotency-Key", "e2e-register-1")
	took := time.Since(start)
	if resp.StatusCode != 200 {
		t.Fatalf("register: %d %s", resp.StatusCode, body)
	}
	reg := billJSON(t, body)
	customer, membership := reg["customer"].(map[string]any), reg["membership"].(map[string]any)
	payment, site := reg["payment"].(map[string]any), reg["site"].(map[string]any)
	if membership["status"] != "active" || payment["status"] != "completed" || site["id"] == nil || site["site_url"] != "mynewsite" ||
		membership["site_id"] != site["id"] || payment["total"] != 29.99 {
		t.Fatalf("register answer %s", body)
	}
	t.Logf("register took %v", took)
	// The site exists in the sites service, for the customer.
	if resp, body := s.request("GET", "/v1/sites/mynewsite.json", a, nil); resp.StatusCode != 200 {
		t.Fatalf("site: %d %s", resp.StatusCode, body)
	}
	// Retried with its key: the same answer, nothing created twice.
	resp, again := s.request("POST", "/wp-json/wu/v2/register", a, registration, "Idempotency-Key", "e2e-register-1")
	if resp.StatusCode != 200 || again != body || resp.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s", resp.StatusCode, again)
	}
	if resp, body := s.request("POST", "/wp-json/wu/v2/register", a, strings.Replace(registration, "mynewsite", "othersite", 1), "Idempotency-Key", "e2e-register-1"); resp.StatusCode != 422 {
		t.Fatalf("key reused with another body: %d %s", resp.StatusCode, body)
	}
	if resp, body := s.request("GET", "/wp-json/wu/v2/register", a, nil); resp.StatusCode != 200 || body != `{"registration_status":"open"}` {
		t.Fatalf("GET register: %d %s", resp.StatusCode, body)
	}

	// The membership and payment examples as written name customer 5,
	// plan 3 and membership 10, which do not exist: 400 naming them.
	resp, body = s.request("POST", "/wp-json/wu/v2/memberships", a, `{
"customer_id": 5,
"plan_id": 3,
"status": "active",
"gateway": "stripe",
"gateway_subscription_id": "sub_1234567890",
"auto_renew": true
}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"customer_id"`) || !strings.Contains(body, `"plan_id"`) {
		t.Fatalf("membership as written: %d %s", resp.StatusCode, body)
	}
	resp, body = s.request("POST", "/wp-json/wu/v2/membership", a, `{"customer_id": `+billID(customer)+`, "plan_id": `+billID(plan)+`,
"status": "active", "gateway": "stripe", "gateway_subscription_id": "sub_1234567890", "auto_renew": true}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"gateway_subscription_id":"sub_1234567890"`) {
		t.Fatalf("membership: %d %s", resp.StatusCode, body)
	}
	second := billJSON(t, body)
	resp, body = s.request("POST", "/wp-json/wu/v2/payments", a, `{
"customer_id": 5,
"membership_id": 10,
"status": "completed",
"gateway": "stripe",
"gateway_payment_id": "pi_1234567890",
"total": 29.99,
"currency": "USD"
}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"customer_id"`) {
		t.Fatalf("payment as written: %d %s", resp.StatusCode, body)
	}
	resp, body = s.request("POST", "/wp-json/wu/v2/payment", a, `{"customer_id": `+billID(customer)+`, "membership_id": `+billID(second)+`,
"status": "completed", "gateway": "stripe", "gateway_payment_id": "pi_1234567890", "total": 29.99, "currency": "USD"}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"subtotal":29.99`) || !strings.Contains(body, `"invoice_number":"INV-000002"`) {
		t.Fatalf("payment: %d %s", resp.StatusCode, body)
	}
	for _, path := range []string{"/wp-json/wu/v2/memberships", "/wp-json/wu/v2/payments", "/wp-json/wu/v2/products"} {
		if resp, body := s.request("GET", path, a, nil); resp.StatusCode != 200 || !strings.HasPrefix(body, `[{"id":`) || resp.Header.Get("X-WP-Total") == "" {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
	}

	// cx: the reference's example, ?pricing=1, and XML.
	cx := bearer(key, secret)
	resp, body = s.request("GET", "/api/application/products?pricing=1", cx, nil, "Accept", "application/json")
	if resp.StatusCode != 200 || !strings.Contains(body, `"pricing":[{"id":1`) || !strings.Contains(body, `"monthly":29.99`) {
		t.Fatalf("cx products: %d %s", resp.StatusCode, body)
	}
	resp, body = s.request("GET", "/api/application/services/"+billID(membership), cx, nil, "Accept", "application/xml")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "<?xml") || !strings.Contains(body, "<status>active</status>") {
		t.Fatalf("cx service xml: %d %s", resp.StatusCode, body)
	}
	svc := "/api/application/services/" + billID(membership)
	for _, step := range []struct {
		path, body string
		code       int
		status     string
	}{
		{svc + "/suspend", `{"reason":"Unpaid invoice"}`, 200, "suspended"},
		{svc + "/suspend", ``, 409, ""},
		{svc + "/unsuspend", ``, 200, "active"},
		{svc + "/expire", ``, 200, "expired"},
	} {
		var b any
		if step.body != "" {
			b = step.body
		}
		resp, body := s.request("POST", step.path, cx, b, "Accept", "application/json")
		if resp.StatusCode != step.code || (step.status != "" && !strings.Contains(body, `"status":"`+step.status+`"`)) {
			t.Fatalf("%s: %d %s", step.path, resp.StatusCode, body)
		}
	}
	// A key without the scope is refused by the gateway.
	k2, s2, _ := s.createKey([]string{"services:index"}, nil)
	if resp, _ := s.request("POST", svc+"/unsuspend", bearer(k2, s2), nil); resp.StatusCode != 403 {
		t.Fatalf("unsuspend without services:unsuspend: %d", resp.StatusCode)
	}

	// sb: the plans, and the subscription of the registered site.
	tok := token(key, secret)
	resp, body = s.request("GET", "/v1/plans.json", tok, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"plan_id":1,"name":"Basic Plan","description":"Basic plan","monthly_cost":29.99,"monthly_cost_label":"29.99 USD"`) {
		t.Fatalf("plans: %d %s", resp.StatusCode, body)
	}
	resp, body = s.request("GET", "/v1/sites/mynewsite/subscriptions.json", tok, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"plan_name":"Basic Plan"`) || !strings.Contains(body, `"success":true`) {
		t.Fatalf("subscription: %d %s", resp.StatusCode, body)
	}
	if resp, body := s.request("GET", "/v1/sites/mynewsite/subscriptions/options.json", tok, nil); resp.StatusCode != 200 || !strings.Contains(body, `"data":[]`) {
		t.Fatalf("options: %d %s", resp.StatusCode, body)
	}

	// The events reached billing's Redis Stream.
	deadline := time.Now().Add(10 * time.Second)
	for {
		stream := billStream(t, s.envValue("HOSTPLANE_REDIS_URL"), "hostplane:events:billing", begun)
		if strings.Contains(stream, `"type":"membership.suspended"`) && strings.Contains(stream, `"type":"membership.expired"`) &&
			strings.Contains(stream, `"type":"payment.created"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("events not in the stream: %.2000s", stream)
		}
		time.Sleep(200 * time.Millisecond)
	}

	// The business metrics counted what was published: the registration's
	// signup, its completed payment and the second one, their revenue; the
	// gauge exists.
	resp, err := http.Get("http://" + s.proc("billing", 0).addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	metrics := string(raw)
	for _, line := range []string{
		`hostplane_billing_signups_total 1`,
		`hostplane_billing_payments_total{status="completed"} 2`,
		`hostplane_billing_payments_total{status="failed"} 0`,
		`hostplane_billing_revenue_total{currency="USD"} 59.98`,
		`hostplane_billing_revenue_total{currency="EUR"} 0`,
		`hostplane_billing_memberships_active `,
	} {
		if !strings.Contains(metrics, "\n"+line) {
			t.Errorf("billing metrics lack %q", line)
		}
	}
}
