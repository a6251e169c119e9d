package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// within polls probe until it reports done, failing after limit; it returns
// how long it took.
func within(t *testing.T, limit time.Duration, what string, probe func() (done bool, last string)) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		done, last := probe()
		if done {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %s (last: %s)", what, limit, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// status is the status of method path on the gateway at base.
func (s *stack) status(base, method, path string, a auth, body any, headers ...string) (int, string) {
	s.t.Helper()
	resp, out := do(s.t, method, base+path, a, body, headers...)
	return resp.StatusCode, out
}

func TestE2EAuthKeys(t *testing.T) {
	s := startStack(t, 1)
	root := basic(s.rootKey, s.rootSecret)
	gw1 := s.gatewayURL
	gw2 := "http://" + s.start("gateway", "").addr
	// A third gateway believes X-Forwarded-For from 127.0.0.1 (a proxy in
	// front of it); the other two do not.
	s.env = append(s.env, "HOSTPLANE_TRUSTED_PROXIES=127.0.0.1/32")
	gw3 := "http://" + s.start("gateway", "").addr
	const customers = "/wp-json/wu/v2/customers"

	t.Run("revocation reaches a second gateway within a second", func(t *testing.T) {
		k, sec, id := s.createKey([]string{"customers:index"}, nil)
		for _, gw := range []string{gw1, gw2} {
			if code, body := s.status(gw, "GET", customers, basic(k, sec), nil); code != 200 {
				t.Fatalf("%s before revocation: %d %s", gw, code, body)
			}
		}
		if code, body := s.status(gw1, "DELETE", "/api/application/keys/"+itoa(id), root, nil); code != 200 {
			t.Fatalf("revoke: %d %s", code, body)
		}
		took := within(t, time.Second, "revocation seen by the second gateway", func() (bool, string) {
			code, body := s.status(gw2, "GET", customers, basic(k, sec), nil)
			return code == 401, body
		})
		t.Logf("second gateway refused the revoked key after %v", took)
	})

	t.Run("rotation: both secrets during the grace, then only the new one", func(t *testing.T) {
		k, old, id := s.createKey([]string{"customers:index"}, nil)
		for _, gw := range []string{gw1, gw2} {
			if code, _ := s.status(gw, "GET", customers, basic(k, old), nil); code != 200 {
				t.Fatal("new key refused")
			}
		}
		code, body := s.status(gw1, "POST", "/api/application/keys/"+itoa(id)+"/rotate", root, `{"grace":"3s"}`)
		if code != 200 {
			t.Fatalf("rotate: %d %s", code, body)
		}
		var r struct {
			Data struct {
				APISecret string    `json:"api_secret"`
				GraceEnd  time.Time `json:"previous_secret_expires_at"`
			} `json:"data"`
		}
		_ = json.Unmarshal([]byte(body), &r)
		for _, gw := range []string{gw1, gw2} {
			for _, sec := range []string{old, r.Data.APISecret} {
				if code, body := s.status(gw, "GET", customers, basic(k, sec), nil); code != 200 {
					t.Fatalf("%s during the grace: %d %s", gw, code, body)
				}
			}
		}
		time.Sleep(time.Until(r.Data.GraceEnd))
		for _, gw := range []string{gw1, gw2} {
			within(t, time.Second, gw+" refuses the old secret after the grace", func() (bool, string) {
				code, body := s.status(gw, "GET", customers, basic(k, old), nil)
				return code == 401, body
			})
			if code, _ := s.status(gw, "GET", customers, bearer(k, r.Data.APISecret), nil); code != 200 {
				t.Fatalf("%s: new secret refused", gw)
			}
		}
		// Without grace the old secret stops at once, everywhere.
		code, body = s.status(gw1, "POST", "/api/application/keys/"+itoa(id)+"/rotate", root, `{"grace":0}`)
		if code != 200 {
			t.Fatalf("rotate without grace: %d %s", code, body)
		}
		within(t, time.Second, "the second gateway refuses the rotated secret", func() (bool, string) {
			code, body := s.status(gw2, "GET", customers, bearer(k, r.Data.APISecret), nil)
			return code == 401, body
		})
	})

	t.Run("IP allow-list, X-Forwarded-For only from trusted proxies", func(t *testing.T) {
		k, sec, id := s.createKey([]string{"customers:index"}, map[string]any{"allowed_ips": []string{"203.0.113.0/24"}})
		a := basic(k, sec)
		cases := []struct {
			gw, xff string
			want    int
		}{
			{gw1, "", 403},                          // 127.0.0.1 is not allowed
			{gw1, "203.0.113.9", 403},               // no trusted proxy: the header is the client's word
			{gw3, "203.0.113.9", 200},               // the trusted proxy says 203.0.113.9
			{gw3, "198.51.100.7", 403},              // outside the list
			{gw3, "203.0.113.9, 198.51.100.7", 403}, // a client cannot prepend its way in
			{gw3, "198.51.100.7, 203.0.113.9", 200}, // the proxy appended the real address
			{gw3, "", 403},                          // the proxy itself
		}
		for _, c := range cases {
			var headers []string
			if c.xff != "" {
				headers = []string{"X-Forwarded-For", c.xff}
			}
			code, body := s.status(c.gw, "GET", customers, a, nil, headers...)
			if code != c.want {
				t.Errorf("%s X-Forwarded-For %q: %d %s, want %d", c.gw, c.xff, code, body, c.want)
			}
			if code == 403 && !strings.Contains(body, `"code":"rest_forbidden"`) {
				t.Errorf("403 not in the wu shape: %s", body)
			}
		}
		// A changed allow-list applies at once (every gateway drops its answer).
		code, body := s.status(gw1, "PUT", "/api/application/keys/"+itoa(id), root, `{"allowed_ips":["203.0.113.0/24","127.0.0.1"]}`)
		if code != 200 || !strings.Contains(body, `"allowed_ips":["203.0.113.0/24","127.0.0.1/32"]`) {
			t.Fatalf("update allow-list: %d %s", code, body)
		}
		within(t, time.Second, "the new allow-list", func() (bool, string) {
			code, body := s.status(gw1, "GET", customers, a, nil)
			return code == 200, body
		})
		// Malformed CIDRs are refused, naming the field, and change nothing.
		code, body = s.status(gw1, "PUT", "/api/application/keys/"+itoa(id), root, `{"allowed_ips":["203.0.113.0/33"]}`)
		if code != 422 || !strings.Contains(body, `"allowed_ips":[`) {
			t.Fatalf("malformed CIDR: %d %s", code, body)
		}

		// The activity log holds the calls, with the client's address.
		within(t, 3*time.Second, "the key's activity", func() (bool, string) {
			code, body := s.status(gw1, "GET", "/api/application/keys/"+itoa(id)+"/activity?per_page=100", root, nil)
			return code == 200 && strings.Contains(body, `"ip":"203.0.113.9"`) && strings.Contains(body, `"status":403`) &&
				strings.Contains(body, `"path":"/wp-json/wu/v2/customers"`), body
		})
		code, body = s.status(gw1, "GET", "/api/application/keys/"+itoa(id), root, nil)
		if code != 200 || strings.Contains(body, `"last_used_at":null`) {
			t.Fatalf("last_used_at: %d %s", code, body)
		}
	})

	t.Run("escalation refused", func(t *testing.T) {
		k, sec, _ := s.createKey([]string{"keys:*", "customers:index"}, nil)
		_, _, strong := s.createKey([]string{"*"}, nil)
		a := bearer(k, sec)
		for _, c := range []struct{ method, path, body string }{
			{"POST", "/api/application/keys", `{"name":"x","email":"x@example.com","permissions":["*"]}`},
			{"PUT", "/api/application/keys/" + itoa(strong), `{"name":"mine"}`},
			{"POST", "/api/application/keys/" + itoa(strong) + "/rotate", `{}`},
		} {
			if code, body := s.status(gw1, c.method, c.path, a, c.body); code != 403 {
				t.Errorf("%s %s: %d %s, want 403", c.method, c.path, code, body)
			}
		}
		code, body := s.status(gw1, "POST", "/api/application/keys", a, `{"name":"x","email":"x@example.com","permissions":["customers:index","statitics"]}`)
		if code != 403 {
			t.Errorf("granting statitics without holding it: %d %s", code, body)
		}
		code, body = s.status(gw1, "POST", "/api/application/keys", a, `{"name":"x","email":"x@example.com","permissions":["customers:fly"]}`)
		if code != 422 || !strings.Contains(body, `"permissions"`) {
			t.Errorf("unknown permission: %d %s", code, body)
		}
	})

	t.Run("sb account and contact, cx license", func(t *testing.T) {
		k, sec, _ := s.createKey([]string{"account:*", "license"}, nil)
		tok := token(k, sec)
		code, body := s.status(gw1, "GET", "/v1/account.json", tok, nil)
		if code != 200 || !strings.Contains(body, `"account_number":"000001"`) || !strings.Contains(body, `"account_type":"operator"`) {
			t.Fatalf("account: %d %s", code, body)
		}
		// Kiubi's client: a form POST naming the method.
		form := "method=PUT&firstname=Ada&lastname=Lovelace&civility=Mrs&email=ada%40example.com&company_name=Analytical+SAS" +
			"&company_country_id=250&company_siret=732+829+320+00074&company_tva=FR44732829320"
		code, body = s.status(gw1, "POST", "/v1/account/contact.json", tok, form, "Content-Type", "application/x-www-form-urlencoded")
		if code != 200 || !strings.Contains(body, `"company_country":"France"`) || !strings.Contains(body, `"company_siret":"73282932000074"`) {
			t.Fatalf("contact update: %d %s", code, body)
		}
		code, body = s.status(gw1, "PUT", "/v1/account/contact.json", tok, `{"company_siret":"73282932000075","civility":"Sir"}`)
		if code != 400 || !strings.Contains(body, `"code":4002`) || !strings.Contains(body, `"company_siret"`) || !strings.Contains(body, `"civility"`) {
			t.Fatalf("bad contact: %d %s", code, body)
		}
		code, body = s.status(gw1, "GET", "/api/application/license", bearer(k, sec), nil)
		if code != 200 || !strings.Contains(body, `"status":"ok"`) || !strings.Contains(body, `"issued_to":"Analytical SAS"`) ||
			!strings.Contains(body, `"instance_id":"`) {
			t.Fatalf("license: %d %s", code, body)
		}
		if code, _ := s.status(gw1, "GET", "/api/application/license", bearer(k, sec), nil, "Accept", "application/xml"); code != 200 {
			t.Fatalf("license xml: %d", code)
		}
		// The same instance id from every gateway and every call.
		_, again := s.status(gw2, "GET", "/api/application/license", bearer(k, sec), nil)
		if instanceID(body) == "" || instanceID(again) != instanceID(body) {
			t.Fatalf("instance id not stable: %s / %s", body, again)
		}
		if code, _ := s.status(gw1, "GET", "/api/application/keys", tok, nil); code != 403 {
			t.Fatalf("scope: %d", code)
		}
	})

	t.Run("a reseller's account and keys", func(t *testing.T) {
		code, body := s.status(gw1, "POST", "/api/application/keys", root,
			`{"name":"reseller","email":"r@example.com","permissions":["account:*","keys:*","customers:index"],"reseller":true}`)
		var created struct {
			Data struct {
				ID        int64  `json:"id"`
				AccountID int64  `json:"account_id"`
				APIKey    string `json:"api_key"`
				APISecret string `json:"api_secret"`
			} `json:"data"`
		}
		if code != 201 || json.Unmarshal([]byte(body), &created) != nil || created.Data.AccountID <= 1 {
			t.Fatalf("reseller key: %d %s", code, body)
		}
		r := token(created.Data.APIKey, created.Data.APISecret)
		number := fmt.Sprintf(`"account_number":"%06d"`, created.Data.AccountID)
		if code, body := s.status(gw1, "GET", "/v1/account.json", r, nil); code != 200 || !strings.Contains(body, number) ||
			!strings.Contains(body, `"account_type":"reseller"`) {
			t.Fatalf("reseller's account: %d %s", code, body)
		}
		if code, body := s.status(gw1, "POST", "/v1/account/contact.json", r, "method=PUT&firstname=Grace&lastname=Hopper&email=grace%40example.com",
			"Content-Type", "application/x-www-form-urlencoded"); code != 200 || !strings.Contains(body, `"firstname":"Grace"`) {
			t.Fatalf("reseller's contact: %d %s", code, body)
		}
		if code, body := s.status(gw1, "GET", "/v1/account/contact.json", root, nil); code != 200 || strings.Contains(body, "Grace") {
			t.Fatalf("the operator's contact changed: %d %s", code, body)
		}
		// The reseller makes keys in its own account and sees only those.
		code, body = s.status(gw1, "POST", "/api/application/keys", bearer(created.Data.APIKey, created.Data.APISecret),
			`{"name":"shop","email":"shop@example.com","permissions":["customers:index"]}`)
		if code != 201 || !strings.Contains(body, fmt.Sprintf(`"account_id":%d`, created.Data.AccountID)) {
			t.Fatalf("reseller's sub-key: %d %s", code, body)
		}
		if code, body := s.status(gw1, "GET", "/api/application/keys", r, nil); code != 200 || !strings.Contains(body, `"total":2`) {
			t.Fatalf("reseller's keys: %d %s", code, body)
		}
		for _, extra := range []string{`"reseller":true`, `"account_id":1`} {
			code, body := s.status(gw1, "POST", "/api/application/keys", r, `{"name":"x","email":"x@example.com","permissions":["customers:index"],`+extra+`}`)
			if code != 403 {
				t.Errorf("reseller key with %s: %d %s", extra, code, body)
			}
		}
		code, body = s.status(gw1, "POST", "/api/application/keys", root, `{"name":"x","email":"x@example.com","permissions":["*"],"account_id":424242}`)
		if code != 422 || !strings.Contains(body, `"account_id"`) {
			t.Fatalf("unknown account: %d %s", code, body)
		}
	})
}

func instanceID(body string) string {
	var l struct {
		License struct {
			InstanceID string `json:"instance_id"`
		} `json:"license"`
	}
	_ = json.Unmarshal([]byte(body), &l)
	return l.License.InstanceID
}
