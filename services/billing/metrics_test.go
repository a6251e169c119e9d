package billing_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
)

// The business metrics exist at zero on a fresh process and follow what
// the API changes, on both store adapters.
func TestBusinessMetrics(t *testing.T) {
	for name, dbURL := range map[string]func(*testing.T) string{
		"memory":   func(*testing.T) string { return "" },
		"postgres": func(t *testing.T) string { return pgtest.Fresh(t) },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := testConfig()
			cfg.DatabaseURL = dbURL(t)
			h := wire(t, cfg)
			fresh := []string{
				`hostplane_billing_payments_total{status="completed"} 0`,
				`hostplane_billing_payments_total{status="failed"} 0`,
				`hostplane_billing_revenue_total{currency="USD"} 0`,
				`hostplane_billing_signups_total 0`,
				`hostplane_billing_memberships_active 0`,
			}
			if body := scrape(h); !containsAll(body, fresh) {
				t.Fatalf("a fresh process lacks a zero series:\n%s", grepBilling(body))
			}
			post := func(path, body string) string {
				t.Helper()
				rec := call(t, h, http.MethodPost, path, body)
				var out struct {
					ID int64 `json:"id"`
				}
				if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil || out.ID == 0 {
					t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
				}
				return jsonInt(out.ID)
			}
			customer := post("/wp-json/wu/v2/customers", `{"username":"metered","email":"metered@example.com","password":"secret1"}`)
			plan := post("/wp-json/wu/v2/products", `{"name":"Metered","slug":"metered","type":"plan","amount":29.99,"currency":"USD","duration":1,"duration_unit":"month"}`)
			membership := post("/wp-json/wu/v2/memberships", `{"customer_id":`+customer+`,"plan_id":`+plan+`,"status":"active"}`)
			post("/wp-json/wu/v2/payments", `{"customer_id":`+customer+`,"membership_id":`+membership+`,"status":"completed","total":29.99,"currency":"USD"}`)
			pending := post("/wp-json/wu/v2/payments", `{"customer_id":`+customer+`,"membership_id":`+membership+`,"status":"pending","total":10,"currency":"USD"}`)
			post("/wp-json/wu/v2/payments/"+pending, `{"status":"failed"}`)
			want := []string{
				`hostplane_billing_payments_total{status="completed"} 1`,
				`hostplane_billing_payments_total{status="pending"} 1`,
				`hostplane_billing_payments_total{status="failed"} 1`,
				`hostplane_billing_revenue_total{currency="USD"} 29.99`,
				`hostplane_billing_signups_total 1`,
				`hostplane_billing_memberships_active 1`,
			}
			// The relay publishes asynchronously: wait for it (bounded).
			var body string
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if body = scrape(h); containsAll(body, want) {
					return
				}
			}
			t.Fatalf("metrics do not follow the changes, want %q:\n%s", want, grepBilling(body))
		})
	}
}

func scrape(h http.Handler) string {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

func containsAll(body string, lines []string) bool {
	for _, l := range lines {
		if !strings.Contains(body, "\n"+l+"\n") {
			return false
		}
	}
	return true
}

func grepBilling(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "hostplane_billing_") && !strings.Contains(l, "_seconds") && !strings.Contains(l, "revenue_total") || strings.Contains(l, `currency="USD"`) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
