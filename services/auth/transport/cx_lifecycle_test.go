package transport_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth/client"
)

// clock is a settable time for the service under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// created is what creating or rotating a key answers.
type created struct {
	ID        int64  `json:"id"`
	APIKey    string `json:"api_key"`
	APISecret string `json:"api_secret"`
	Token     string `json:"token"`
}

func (a *api) createKey(p *principal.Principal, body string) created {
	a.t.Helper()
	code, resp, _ := a.call(p, "POST", "/api/application/keys", body)
	if code != 201 {
		a.t.Fatalf("create: %d %s", code, resp)
	}
	var out struct{ Data created }
	_ = json.Unmarshal([]byte(resp), &out)
	return out.Data
}

func (a *api) verify(apiKey, secret string) (int, client.Identity, string) {
	a.t.Helper()
	code, body, _ := a.call(system, "POST", client.VerifyPath, fmt.Sprintf(`{"api_key":%q,"api_secret":%q}`, apiKey, secret))
	var id client.Identity
	_ = json.Unmarshal([]byte(body), &id)
	return code, id, body
}

func keyPath(id int64) string { return fmt.Sprintf("/api/application/keys/%d", id) }

func TestRotateThroughCX(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	a := newAPIAt(t, c.now)
	k := a.createKey(root, `{"name":"CRM","email":"crm@example.com","permissions":["customers:index"],"expires_in":"240h"}`)

	code, body, _ := a.call(root, "POST", keyPath(k.ID)+"/rotate", `{"grace":"2h"}`)
	if code != 200 {
		t.Fatalf("rotate: %d %s", code, body)
	}
	var r struct {
		Data struct {
			created
			RotatedAt      *time.Time `json:"rotated_at"`
			PreviousExpiry *time.Time `json:"previous_secret_expires_at"`
		}
	}
	_ = json.Unmarshal([]byte(body), &r)
	graceEnd := c.now().Add(2 * time.Hour)
	if r.Data.APISecret == "" || r.Data.APISecret == k.APISecret || r.Data.APIKey != k.APIKey ||
		r.Data.Token != k.APIKey+"."+r.Data.APISecret || r.Data.PreviousExpiry == nil || !r.Data.PreviousExpiry.Equal(graceEnd) {
		t.Fatalf("rotated: %s", body)
	}
	// The old secret's answer holds until the grace ends, the new one's until the key expires.
	code, id, resp := a.verify(k.APIKey, k.APISecret)
	if code != 200 || id.ExpiresAt == nil || !id.ExpiresAt.Equal(graceEnd) {
		t.Fatalf("old secret: %d %s", code, resp)
	}
	code, id, resp = a.verify(k.APIKey, r.Data.APISecret)
	if code != 200 || id.ExpiresAt == nil || !id.ExpiresAt.Equal(c.now().Add(240*time.Hour)) {
		t.Fatalf("new secret: %d %s", code, resp)
	}
	c.add(2 * time.Hour)
	if code, _, resp := a.verify(k.APIKey, k.APISecret); code != 401 || !strings.Contains(resp, `"reason":"rotated"`) {
		t.Fatalf("old secret after the grace: %d %s", code, resp)
	}
	if code, body, _ := a.call(root, "GET", keyPath(k.ID), ""); code != 200 || strings.Contains(body, "api_secret") ||
		!strings.Contains(body, `"previous_secret_expires_at":null`) {
		t.Fatalf("show after the grace: %d %s", code, body)
	}

	// The default grace is the key_rotation_grace setting.
	if code, body, _ := a.call(root, "PUT", "/wp-json/wu/v2/settings/key_rotation_grace", `{"value":"30m"}`); code != 200 {
		t.Fatalf("set grace: %d %s", code, body)
	}
	code, body, _ = a.call(root, "POST", keyPath(k.ID)+"/rotate", "")
	if code != 200 || !strings.Contains(body, `"previous_secret_expires_at":"`+c.now().Add(30*time.Minute).Format(time.RFC3339)) {
		t.Fatalf("default grace: %d %s", code, body)
	}

	// A retried rotation (same Idempotency-Key) gets the same secret.
	_, r1, _ := a.call(root, "POST", keyPath(k.ID)+"/rotate", `{"grace":"1h"}`, "Idempotency-Key", "rotate-42")
	_, r2, _ := a.call(root, "POST", keyPath(k.ID)+"/rotate", `{"grace":"1h"}`, "Idempotency-Key", "rotate-42")
	var s1, s2 struct{ Data created }
	_ = json.Unmarshal([]byte(r1), &s1)
	_ = json.Unmarshal([]byte(r2), &s2)
	if s1.Data.APISecret == "" || s1.Data.APISecret != s2.Data.APISecret {
		t.Fatalf("retried rotation:\n%s\n%s", r1, r2)
	}
	if code, _, _ := a.verify(k.APIKey, s1.Data.APISecret); code != 200 {
		t.Fatal("the retried rotation's secret does not work")
	}

	bad := []struct{ path, body, want string }{
		{keyPath(k.ID) + "/rotate", `{"grace":"soon"}`, `"grace"`},
		{keyPath(k.ID) + "/rotate", `{"grace":"800h"}`, `"grace"`},
		{keyPath(k.ID) + "/rotate", `{"grace":-5}`, `"grace"`},
	}
	for _, tt := range bad {
		if code, body, _ := a.call(root, "POST", tt.path, tt.body); code != 422 || !strings.Contains(body, tt.want) {
			t.Errorf("%s %s: %d %s", tt.path, tt.body, code, body)
		}
	}
	if code, _, _ := a.call(root, "POST", keyPath(999)+"/rotate", `{"grace":"soon"}`); code != 404 {
		t.Errorf("unknown key with a bad body: %d, want 404", code)
	}
	if code, _, _ := a.call(root, "DELETE", keyPath(k.ID), ""); code != 200 {
		t.Fatal("revoke")
	}
	if code, body, _ := a.call(root, "POST", keyPath(k.ID)+"/rotate", ""); code != 409 {
		t.Errorf("rotate a revoked key: %d %s", code, body)
	}
}

func TestUpdateThroughCX(t *testing.T) {
	a := newAPI(t)
	k := a.createKey(root, `{"name":"CRM","email":"crm@example.com","permissions":["customers:index"],"allowed_ips":["203.0.113.9"]}`)
	if code, id, body := a.verify(k.APIKey, k.APISecret); code != 200 || len(id.AllowedIPs) != 1 || id.AllowedIPs[0] != "203.0.113.9/32" {
		t.Fatalf("verify shows the allow-list: %s", body)
	}
	for _, method := range []string{"PUT", "POST"} {
		code, body, _ := a.call(root, method, keyPath(k.ID),
			`{"name":"CRM v2","permissions":"customers:index,customers:update","allowed_ips":["198.51.100.0/24","2001:db8::/32"],"rate_limit":"50/m","expires_in":"48h"}`)
		if code != 200 || !strings.Contains(body, `"name":"CRM v2"`) || !strings.Contains(body, `"allowed_ips":["198.51.100.0/24","2001:db8::/32"]`) ||
			!strings.Contains(body, `"rate_limit":"50/m"`) || !strings.Contains(body, `"customers:update"`) || strings.Contains(body, `"expires_at":null`) {
			t.Fatalf("%s update: %d %s", method, code, body)
		}
	}
	code, body, _ := a.call(root, "PUT", keyPath(k.ID), `{"allowed_ips":null,"rate_limit":null,"expires_at":null}`)
	if code != 200 || !strings.Contains(body, `"allowed_ips":[]`) || !strings.Contains(body, `"rate_limit":null`) || !strings.Contains(body, `"expires_at":null`) {
		t.Fatalf("clearing: %d %s", code, body)
	}
	// Form bodies too.
	code, body, _ = a.call(root, "POST", keyPath(k.ID), "allowed_ips[]=192.0.2.1&allowed_ips[]=192.0.2.0/28&name=Form")
	if code != 200 || !strings.Contains(body, `"allowed_ips":["192.0.2.1/32","192.0.2.0/28"]`) || !strings.Contains(body, `"name":"Form"`) {
		t.Fatalf("form update: %d %s", code, body)
	}

	bad := []struct{ body, field string }{
		{`{"allowed_ips":["10.0.0.0/33"]}`, "allowed_ips"},
		{`{"allowed_ips":"203.0.113.9, nope"}`, "allowed_ips"},
		{`{"allowed_ips":[1,2]}`, "allowed_ips"},
		{`{"permissions":["customers:fly"]}`, "permissions"},
		{`{"expires_at":"2001-01-01T00:00:00Z"}`, "expires_at"},
		{`{"expires_at":"tomorrow"}`, "expires_at"},
		{`{"expires_in":"-1h"}`, "expires_in"},
		{`{"name":""}`, "name"},
		{`{"rate_limit":"5/week"}`, "rate_limit"},
		{`{"customer_id":5}`, "customer_id"},
		{`{"email":"x@example.com"}`, "email"},
	}
	_, before, _ := a.call(root, "GET", keyPath(k.ID), "")
	for _, tt := range bad {
		code, body, _ := a.call(root, "PUT", keyPath(k.ID), tt.body)
		var e struct {
			Errors map[string][]string `json:"errors"`
		}
		_ = json.Unmarshal([]byte(body), &e)
		if code != 422 || len(e.Errors[tt.field]) == 0 {
			t.Errorf("%s: %d %s, want 422 naming %s", tt.body, code, body, tt.field)
		}
	}
	if _, after, _ := a.call(root, "GET", keyPath(k.ID), ""); after != before {
		t.Errorf("refused updates changed the key:\n%s\n%s", before, after)
	}
	if code, _, _ := a.call(root, "PUT", keyPath(999), `{"name":""}`); code != 404 {
		t.Errorf("unknown key: %d", code)
	}
	if code, body, _ := a.call(root, "POST", "/api/application/keys", `{"name":"x","email":"x@example.com","permissions":["*"],"allowed_ips":["300.1.1.1"]}`); code != 422 ||
		!strings.Contains(body, `"allowed_ips"`) {
		t.Errorf("create with a malformed CIDR: %d %s", code, body)
	}
}

func TestEscalationRefusedThroughCX(t *testing.T) {
	a := newAPI(t)
	limited := &principal.Principal{KeyID: 50, AccountID: 1, Permissions: []string{"keys:*", "customers:index"}}
	victim := a.createKey(root, `{"name":"root-like","email":"r@example.com","permissions":["*"]}`)
	tests := []struct{ method, path, body string }{
		{"POST", "/api/application/keys", `{"name":"x","email":"x@example.com","permissions":["*"]}`},
		{"POST", "/api/application/keys", `{"name":"x","email":"x@example.com","permissions":["customers:delete"]}`},
		{"POST", keyPath(victim.ID) + "/rotate", ``},
		{"PUT", keyPath(victim.ID), `{"name":"mine"}`},
		{"DELETE", keyPath(victim.ID), ``},
	}
	for _, tt := range tests {
		if code, body, _ := a.call(limited, tt.method, tt.path, tt.body); code != 403 {
			t.Errorf("%s %s %s: %d %s, want 403", tt.method, tt.path, tt.body, code, body)
		}
	}
	own := a.createKey(limited, `{"name":"small","email":"s@example.com","permissions":["customers:index"]}`)
	if code, body, _ := a.call(limited, "PUT", keyPath(own.ID), `{"permissions":["customers:index","customers:create"]}`); code != 403 {
		t.Errorf("raised a key above the caller: %d %s", code, body)
	}
	if code, body, _ := a.call(limited, "POST", keyPath(own.ID)+"/rotate", `{"grace":0}`); code != 200 {
		t.Errorf("rotate a key within reach: %d %s", code, body)
	}
	if code, _, _ := a.verify(victim.APIKey, victim.APISecret); code != 200 {
		t.Error("the victim key was changed")
	}
}

func TestActivityThroughCX(t *testing.T) {
	a := newAPI(t)
	k := a.createKey(root, `{"name":"CRM","email":"crm@example.com","permissions":["*"],"customer_id":4}`)
	other := a.createKey(root, `{"name":"Other","email":"o@example.com","permissions":["*"],"customer_id":5}`)
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	var calls []client.Call
	for i := range 30 {
		calls = append(calls, client.Call{KeyID: k.ID, Method: "GET", Path: fmt.Sprintf("/v1/sites/%d.json", i), Status: 200,
			At: at.Add(time.Duration(i) * time.Second), IP: "203.0.113.9"})
	}
	calls = append(calls, client.Call{KeyID: other.ID, Method: "GET", Path: "/", Status: 200, At: at, IP: "198.51.100.1"})
	batch, _ := json.Marshal(client.ActivityBatch{Calls: calls})
	if code, body, _ := a.call(system, "POST", client.ActivityPath, string(batch)); code != 200 || !strings.Contains(body, `"recorded":31`) {
		t.Fatalf("record: %d %s", code, body)
	}
	code, body, _ := a.call(root, "GET", keyPath(k.ID)+"/activity?per_page=10&page=2", "")
	var page struct {
		CurrentPage int `json:"current_page"`
		Total       int `json:"total"`
		Data        []struct {
			KeyID  int64     `json:"key_id"`
			Method string    `json:"method"`
			Path   string    `json:"path"`
			Status int       `json:"status"`
			IP     string    `json:"ip"`
			At     time.Time `json:"at"`
		} `json:"data"`
	}
	_ = json.Unmarshal([]byte(body), &page)
	if code != 200 || page.Total != 30 || page.CurrentPage != 2 || len(page.Data) != 10 || page.Data[0].Path != "/v1/sites/19.json" ||
		page.Data[0].IP != "203.0.113.9" || page.Data[0].Status != 200 || !page.Data[0].At.Equal(at.Add(19*time.Second)) {
		t.Fatalf("activity page: %d %s", code, body)
	}
	if code, body, _ := a.call(root, "GET", keyPath(k.ID)+"/activity", "", "Accept", "application/xml"); code != 200 || !strings.Contains(body, "<path>/v1/sites/29.json</path>") {
		t.Fatalf("xml: %d %s", code, body)
	}
	restricted := &principal.Principal{KeyID: k.ID, AccountID: 1, CustomerID: 4, Permissions: []string{"keys:index"}}
	if code, _, _ := a.call(restricted, "GET", keyPath(k.ID)+"/activity", ""); code != 200 {
		t.Fatalf("own customer's key: %d", code)
	}
	if code, body, _ := a.call(restricted, "GET", keyPath(other.ID)+"/activity", ""); code != 404 {
		t.Fatalf("another customer's key: %d %s", code, body)
	}
	if code, _, _ := a.call(root, "GET", keyPath(k.ID)+"/activity?sort=path", ""); code != 422 {
		t.Fatalf("unknown sort: %d", code)
	}
	// The last use follows the calls.
	if _, body, _ := a.call(root, "GET", keyPath(k.ID), ""); !strings.Contains(body, `"last_used_at":"2026-11-25T12:00:29Z"`) {
		t.Fatalf("last_used_at: %s", body)
	}
}

func TestLicense(t *testing.T) {
	a := newAPI(t)
	code, body, _ := a.call(root, "GET", "/api/application/license", "")
	var l struct {
		Status  string `json:"status"`
		License struct {
			Edition    string   `json:"edition"`
			Version    string   `json:"version"`
			InstanceID string   `json:"instance_id"`
			IssuedTo   string   `json:"issued_to"`
			Features   []string `json:"features"`
		} `json:"license"`
	}
	_ = json.Unmarshal([]byte(body), &l)
	if code != 200 || l.Status != "ok" || l.License.Edition != "community" || l.License.Version != "v0.7.0-test" ||
		len(l.License.InstanceID) != 36 || l.License.IssuedTo != "" && l.License.IssuedTo != "Hostplane" || len(l.License.Features) == 0 {
		t.Fatalf("license: %d %s", code, body)
	}
	first := l.License.InstanceID
	a.call(root, "PUT", "/v1/account/contact.json", `{"company_name":"Operator SARL"}`)
	_, body, _ = a.call(root, "GET", "/api/application/license", "")
	_ = json.Unmarshal([]byte(body), &l)
	if l.License.IssuedTo != "Operator SARL" || l.License.InstanceID != first {
		t.Fatalf("issued to the operator's company: %s", body)
	}
	a.call(root, "PUT", "/wp-json/wu/v2/settings/company_name", `{"value":"Brand Name"}`)
	_, body, _ = a.call(root, "GET", "/api/application/license", "")
	if !strings.Contains(body, `"issued_to":"Brand Name"`) {
		t.Fatalf("issued to company_name: %s", body)
	}
	if code, body, _ := a.call(root, "GET", "/api/application/license", "", "Accept", "application/xml"); code != 200 ||
		!strings.Contains(body, "<status>ok</status>") || !strings.Contains(body, "<features>api:wu</features>") {
		t.Fatalf("xml: %d %s", code, body)
	}
}
