package transport_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth"
	"github.com/hostplane/hostplane/services/auth/client"
)

const secret = "0123456789abcdef0123456789abcdef"

type api struct {
	t   testing.TB
	srv *httptest.Server
}

func newAPI(t testing.TB) *api { return newAPIAt(t, nil) }

// newAPIAt is newAPI on a clock (nil: time.Now).
func newAPIAt(t testing.TB, now func() time.Time) *api {
	ctx := context.Background()
	cfg := auth.Config{Config: component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 20, ShutdownGrace: time.Second}}
	rt, err := component.New(ctx, auth.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := auth.New(ctx, cfg, rt, auth.Deps{Now: now, Version: "v0.7.0-test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rt.Handler(app.API))
	t.Cleanup(srv.Close)
	t.Cleanup(app.Close)
	return &api{t: t, srv: srv}
}

func (a *api) call(p *principal.Principal, method, path, body string, hdr ...string) (int, string, http.Header) {
	a.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, a.srv.URL+path, rd)
	if body != "" {
		ct := "application/json"
		if !strings.HasPrefix(strings.TrimSpace(body), "{") && !strings.HasPrefix(strings.TrimSpace(body), "[") && strings.Contains(body, "=") {
			ct = "application/x-www-form-urlencoded" // a form body
		}
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if p != nil {
		_ = principal.NewSigner(secret).Apply(req.Header, method, req.URL.Path, p)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var (
	root   = &principal.Principal{KeyID: 1, AccountID: 1, Permissions: []string{"*"}}
	system = &principal.Principal{System: true, Permissions: []string{"*"}}
)

func TestKeysLifecycle(t *testing.T) {
	a := newAPI(t)
	code, body, _ := a.call(root, "POST", "/api/application/keys", `{"name":"CRM","email":"crm@example.com","permissions":["customers:index"],"rate_limit":"5/s","expires_in":"24h","customer_id":4}`)
	if code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	var created struct {
		Data map[string]any `json:"data"`
	}
	_ = json.Unmarshal([]byte(body), &created)
	d := created.Data
	if d["api_secret"] == nil || d["token"] != d["api_key"].(string)+"."+d["api_secret"].(string) ||
		d["rate_limit"] != "5/s" || d["customer_id"] != float64(4) || d["status"] != "active" || d["expires_at"] == nil {
		t.Fatalf("created: %s", body)
	}
	id := int64(d["id"].(float64))
	path := "/api/application/keys/" + itoa(id)

	code, body, _ = a.call(root, "GET", path, "")
	if code != 200 || strings.Contains(body, "api_secret") || !strings.Contains(body, `"data":{"id":`) {
		t.Fatalf("get: %d %s", code, body)
	}
	code, body, _ = a.call(root, "GET", "/api/application/keys?per_page=1", "")
	if code != 200 || !strings.Contains(body, `"current_page":1`) || !strings.Contains(body, `"total":1`) || strings.Contains(body, "api_secret") {
		t.Fatalf("list: %d %s", code, body)
	}
	code, body, _ = a.call(root, "GET", "/api/application/keys", "", "Accept", "application/xml")
	if code != 200 || !strings.HasPrefix(body, "<?xml") || !strings.Contains(body, "<api_key>") {
		t.Fatalf("xml list: %d %s", code, body)
	}

	// The verification the gateway makes.
	code, body, _ = a.call(system, "POST", client.VerifyPath, `{"api_key":"`+d["api_key"].(string)+`","api_secret":"`+d["api_secret"].(string)+`"}`)
	if code != 200 || !strings.Contains(body, `"customer_id":4`) || !strings.Contains(body, `"rate_limit":5`) ||
		!strings.Contains(body, `"expires_at":"`) {
		t.Fatalf("verify: %d %s", code, body)
	}
	if code, _, _ := a.call(root, "POST", client.VerifyPath, `{"api_key":"x","api_secret":"y"}`); code != 403 {
		t.Fatalf("an API key's principal reached an internal route: %d", code)
	}
	code, body, _ = a.call(system, "POST", client.VerifyPath, `{"api_key":"`+d["api_key"].(string)+`","api_secret":"nope-nope-nope-nope"}`)
	if code != 401 || !strings.Contains(body, `"reason":"bad_secret"`) {
		t.Fatalf("verify refused: %d %s", code, body)
	}

	code, body, _ = a.call(root, "DELETE", path, "")
	if code != 200 || !strings.Contains(body, `"status":"revoked"`) {
		t.Fatalf("revoke: %d %s", code, body)
	}
	code, body, _ = a.call(system, "POST", client.VerifyPath, `{"api_key":"`+d["api_key"].(string)+`","api_secret":"`+d["api_secret"].(string)+`"}`)
	if code != 401 || !strings.Contains(body, `"reason":"revoked"`) {
		t.Fatalf("verify revoked: %d %s", code, body)
	}
}

func TestKeysBadInput(t *testing.T) {
	a := newAPI(t)
	tests := []struct {
		name, method, path, body string
		code                     int
		want                     string
	}{
		{"missing fields", "POST", "/api/application/keys", `{}`, 422, `"errors":{`},
		{"unknown permission", "POST", "/api/application/keys", `{"name":"a","email":"a@example.com","permissions":["fly"]}`, 422, `"permissions"`},
		{"permissions as a string", "POST", "/api/application/keys", `{"name":"a","email":"a@example.com","permissions":"customers:index,customers:create"}`, 201, `"customers:create"`},
		{"bad json", "POST", "/api/application/keys", `{"name":`, 422, `"message"`},
		{"wrong type", "POST", "/api/application/keys", `{"name":"a","email":"a@example.com","permissions":["*"],"customer_id":"x"}`, 422, `"customer_id"`},
		{"bad expiry", "POST", "/api/application/keys", `{"name":"a","email":"a@example.com","permissions":["*"],"expires_in":"soon"}`, 422, `"expires_in"`},
		{"unknown account", "POST", "/api/application/keys", `{"name":"a","email":"a@example.com","permissions":["*"],"account_id":99}`, 422, `"account_id":[`},
		{"reseller and account", "POST", "/api/application/keys", `{"name":"a","email":"a@example.com","permissions":["*"],"account_id":1,"reseller":true}`, 422, `"reseller":[`},
		{"reseller, as a form", "POST", "/api/application/keys", "name=a&email=a%40example.com&permissions[]=*&reseller=1", 201, `"account_id":2`},
		{"account_id cannot change", "PUT", "/api/application/keys/1", `{"account_id":2}`, 422, `"account_id":[`},
		{"unknown key", "GET", "/api/application/keys/999", "", 404, `{"message":`},
		{"not an id", "GET", "/api/application/keys/abc", "", 404, `{"message":`},
		{"bad filter", "GET", "/api/application/keys?filter[customer_id]=x", "", 422, `filter[customer_id]`},
		{"unknown filter", "GET", "/api/application/keys?filter[secret]=x", "", 422, `filter[secret]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := a.call(root, tt.method, tt.path, tt.body)
			if code != tt.code || !strings.Contains(body, tt.want) {
				t.Fatalf("%d %s", code, body)
			}
		})
	}
	if code, _, _ := a.call(nil, "GET", "/api/application/keys", ""); code != 401 {
		t.Fatalf("unsigned: %d", code)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func FuzzCreateBody(f *testing.F) {
	f.Add(`{"name":"a","email":"a@example.com","permissions":["*"]}`)
	f.Add(`{"name":"a","email":"a@example.com","permissions":"x,y","rate_limit":"5/s","expires_in":"1h","customer_id":3}`)
	f.Add(`{"expires_at":"2030-01-01T00:00:00Z"}`)
	f.Add(`[]`)
	f.Add(`{"permissions":[1,2]}`)
	f.Add(`{"name":"a","email":"a@example.com","permissions":["*"],"reseller":true}`)
	f.Add(`{"name":"a","email":"a@example.com","permissions":["*"],"account_id":"x","reseller":"maybe"}`)
	a := newAPI(f)
	f.Fuzz(func(t *testing.T, body string) {
		a.t = t
		code, resp, _ := a.call(root, "POST", "/api/application/keys", body)
		if code >= 500 {
			t.Fatalf("%d for %q: %s", code, body, resp)
		}
	})
}

func TestKeysSort(t *testing.T) {
	a := newAPI(t)
	first := a.createKey(root, `{"name":"first","email":"a@example.com","permissions":["*"]}`)
	second := a.createKey(root, `{"name":"second","email":"a@example.com","permissions":["*"]}`)
	for _, tt := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{first.ID, second.ID}},
		{"?sort=id", []int64{first.ID, second.ID}},
		{"?sort=-id", []int64{second.ID, first.ID}},
		{"?sort=-id&per_page=1&page=2", []int64{first.ID}},
	} {
		code, body, _ := a.call(root, "GET", "/api/application/keys"+tt.query, "")
		var page struct {
			Data []struct {
				ID int64 `json:"id"`
			} `json:"data"`
		}
		_ = json.Unmarshal([]byte(body), &page)
		var got []int64
		for _, k := range page.Data {
			got = append(got, k.ID)
		}
		if code != 200 || fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q: %d %v, want %v", tt.query, code, got, tt.want)
		}
	}
	if code, body, _ := a.call(root, "GET", "/api/application/keys?sort=-secret", ""); code != 422 || !strings.Contains(body, `"sort"`) {
		t.Errorf("unknown sort: %d %s", code, body)
	}
}
