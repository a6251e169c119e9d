package gateway

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/discovery"
	"github.com/hostplane/hostplane/libs/keyevents"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth"
)

const testSecret = "0123456789abcdef0123456789abcdef"

// harness is a gateway in front of a real auth service (memory store) and
// a recording fake billing.
type harness struct {
	t        *testing.T
	gw       *httptest.Server
	static   *discovery.Static
	authApp  *auth.App
	bus      *keyevents.Local
	logs     *syncBuffer
	billing  *recorder
	rootKey  string
	rootPass string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// recorder is a fake upstream that verifies the signed principal and
// records what it received.
type recorder struct {
	mu     sync.Mutex
	signer *principal.Signer
	reqs   []recorded
	delay  time.Duration
}

type recorded struct {
	method, path, rawQuery string
	header                 http.Header
	principal              *principal.Principal
	verifyErr              error
	body                   string
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, err := rc.signer.Verify(r)
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), p, err, string(body)})
	delay := rc.delay
	rc.mu.Unlock()
	time.Sleep(delay)
	if err != nil {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`[]`))
}

func (rc *recorder) last() recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.reqs[len(rc.reqs)-1]
}

func newHarness(t *testing.T, mutate ...func(*Config)) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h := &harness{t: t, logs: &syncBuffer{}, bus: keyevents.NewLocal(), rootKey: "hp_root_test", rootPass: "root-secret-0123456789"}
	common := component.Config{LogLevel: "debug", InternalSecret: testSecret, MaxBodyBytes: 1 << 20, ShutdownGrace: time.Second, Upstreams: "auth=x"}

	authRT, err := component.New(ctx, "auth", common, h.logs)
	if err != nil {
		t.Fatal(err)
	}
	h.authApp, err = auth.New(ctx, auth.Config{Config: common, RootAPIKey: h.rootKey, RootAPISecret: h.rootPass}, authRT, auth.Deps{Bus: h.bus})
	if err != nil {
		t.Fatal(err)
	}
	authSrv := httptest.NewServer(authRT.Handler(h.authApp.API))
	t.Cleanup(authSrv.Close)

	h.billing = &recorder{signer: principal.NewSigner(testSecret)}
	billingSrv := httptest.NewServer(h.billing)
	t.Cleanup(billingSrv.Close)

	h.static = discovery.NewStatic(map[string][]string{
		"auth":    {strings.TrimPrefix(authSrv.URL, "http://")},
		"billing": {strings.TrimPrefix(billingSrv.URL, "http://")},
	})
	cfg := Config{Config: common, Name: "Test Network", DefaultRateLimit: "1000/s", AuthFailureLimit: "1000/m", UpstreamTimeout: 2 * time.Second}
	for _, m := range mutate {
		m(&cfg)
	}
	rt, err := component.New(ctx, Name, cfg.Config, h.logs)
	if err != nil {
		t.Fatal(err)
	}
	g, closeFn, err := New(ctx, cfg, rt, Deps{Bus: h.bus, Resolver: h.static})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeFn)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go g.Serve(ctx, ln)
	h.gw = &httptest.Server{URL: "http://" + ln.Addr().String()}
	return h
}

// do sends a request; auth is "basic", "bearer", "token", "query" or "".
func (h *harness) do(method, path, auth, key, secret string, body io.Reader, hdr ...string) (*http.Response, []byte) {
	h.t.Helper()
	u := h.gw.URL + path
	if auth == "query" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		u += sep + "api_key=" + url.QueryEscape(key) + "&api_secret=" + url.QueryEscape(secret)
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		h.t.Fatal(err)
	}
	switch auth {
	case "basic":
		req.SetBasicAuth(key, secret)
	case "bearer":
		req.Header.Set("Authorization", "Bearer "+key+"."+secret)
	case "token":
		req.Header.Set("Authorization", "token "+key+"."+secret)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// newKey creates a key through the gateway with the root key.
func (h *harness) newKey(perms []string, rate string) (key, secret string) {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"name": "k", "email": "k@example.com", "permissions": perms, "rate_limit": rate})
	resp, b := h.do("POST", "/api/application/keys", "basic", h.rootKey, h.rootPass, bytes.NewReader(body), "Content-Type", "application/json")
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("create key: %d %s", resp.StatusCode, b)
	}
	var out struct {
		Data struct{ APIKey, APISecret string } `json:"data"`
	}
	_ = json.Unmarshal(b, &out)
	var raw map[string]map[string]any
	_ = json.Unmarshal(b, &raw)
	return raw["data"]["api_key"].(string), raw["data"]["api_secret"].(string)
}

func TestEveryPresentationIsAccepted(t *testing.T) {
	h := newHarness(t)
	for _, scheme := range []string{"basic", "bearer", "token", "query"} {
		t.Run(scheme, func(t *testing.T) {
			resp, b := h.do("GET", "/wp-json/wu/v2/customers?page=2", scheme, h.rootKey, h.rootPass, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			got := h.billing.last()
			if got.verifyErr != nil || got.principal.KeyID == 0 || !principal.Allows(got.principal.Permissions, "customers:index") {
				t.Fatalf("principal not signed: %+v %v", got.principal, got.verifyErr)
			}
			if got.rawQuery != "page=2" {
				t.Fatalf("upstream query %q: credentials not stripped", got.rawQuery)
			}
			if got.header.Get("Authorization") != "" {
				t.Fatal("credentials forwarded upstream")
			}
			if resp.Header.Get("X-Ratelimit-Limit") == "" || resp.Header.Get("X-Ratelimit-Remaining") == "" {
				t.Fatal("rate-limit headers missing")
			}
		})
	}
	resp, b := h.do("GET", "/wp-json/wu/v2/auth", "basic", h.rootKey, h.rootPass, nil)
	if resp.StatusCode != 200 || string(b) != `{"success":true,"label":"Test Network","message":"Welcome to our API"}` {
		t.Fatalf("wu auth: %d %s", resp.StatusCode, b)
	}
}

func TestWrongSecretInEachDialect(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		path, want string
	}{
		{"/wp-json/wu/v2/customers", `{"code":"rest_forbidden","message":"Unauthenticated: invalid API key or secret.","data":{"status":401}}`},
		{"/api/application/keys", `{"message":"Unauthenticated."}`},
		{"/v1/rate.json", `"error":{"code":4311,`},
	}
	for _, tt := range tests {
		resp, b := h.do("GET", tt.path, "basic", h.rootKey, "wrong-secret-000000", nil)
		if resp.StatusCode != 401 || !strings.Contains(string(b), tt.want) {
			t.Errorf("%s: %d %s", tt.path, resp.StatusCode, b)
		}
	}
	// No credential at all: sb says "authentication needed".
	resp, b := h.do("GET", "/v1/rate.json", "", "", "", nil)
	if resp.StatusCode != 401 || !strings.Contains(string(b), `"code":4307`) || !strings.Contains(string(b), `"success":false`) {
		t.Errorf("no credential: %d %s", resp.StatusCode, b)
	}
	if strings.Contains(h.logs.String(), "wrong-secret-000000") || strings.Contains(h.logs.String(), h.rootPass) {
		t.Fatal("a secret reached the logs")
	}
}

func TestScopeRefused(t *testing.T) {
	h := newHarness(t)
	key, secret := h.newKey([]string{"keys:index"}, "")
	resp, b := h.do("GET", "/wp-json/wu/v2/customers", "basic", key, secret, nil)
	if resp.StatusCode != 403 || !strings.Contains(string(b), `"code":"rest_forbidden"`) {
		t.Fatalf("wu: %d %s", resp.StatusCode, b)
	}
	resp, b = h.do("GET", "/api/application/keys", "bearer", key, secret, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("granted scope refused: %d %s", resp.StatusCode, b)
	}
	resp, b = h.do("POST", "/api/application/keys", "bearer", key, secret, strings.NewReader(`{}`), "Content-Type", "application/json")
	if resp.StatusCode != 403 || !strings.Contains(string(b), `"message"`) {
		t.Fatalf("cx: %d %s", resp.StatusCode, b)
	}
}

func TestRateLimitPerKey(t *testing.T) {
	h := newHarness(t)
	key, secret := h.newKey([]string{"*"}, "5/s")
	var last *http.Response
	var body []byte
	for range 6 {
		last, body = h.do("GET", "/wp-json/wu/v2/customers", "basic", key, secret, nil)
	}
	if last.StatusCode != 429 || last.Header.Get("Retry-After") == "" || !strings.Contains(string(body), `"code":"wu_rest_rate_limited"`) {
		t.Fatalf("6th request: %d %v %s", last.StatusCode, last.Header, body)
	}
	if last.Header.Get("X-Ratelimit-Limit") != "5" || last.Header.Get("X-Ratelimit-Remaining") != "0" {
		t.Fatalf("headers: %v", last.Header)
	}
	resp, b := h.do("GET", "/v1/rate.json", "token", key, secret, nil)
	if resp.StatusCode != 429 || !strings.Contains(string(b), `"code":4300`) {
		t.Fatalf("sb 429: %d %s", resp.StatusCode, b)
	}
}

func TestFailedAuthenticationsAreLimitedPerIP(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.AuthFailureLimit = "3/m" })
	var resp *http.Response
	for range 5 {
		resp, _ = h.do("GET", "/wp-json/wu/v2/customers", "basic", "hp_nobody", "not-the-secret-000", nil)
	}
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d after 5 failures", resp.StatusCode)
	}
	// Even the right credential waits: the address is blocked.
	resp, _ = h.do("GET", "/wp-json/wu/v2/customers", "basic", h.rootKey, h.rootPass, nil)
	if resp.StatusCode != 429 {
		t.Fatalf("blocked address served: %d", resp.StatusCode)
	}
}

func TestRevocationIsImmediate(t *testing.T) {
	h := newHarness(t)
	key, secret := h.newKey([]string{"*"}, "")
	if resp, _ := h.do("GET", "/wp-json/wu/v2/customers", "basic", key, secret, nil); resp.StatusCode != 200 {
		t.Fatal("new key refused")
	}
	var list struct {
		Data []struct {
			ID     int64  `json:"id"`
			APIKey string `json:"api_key"`
		} `json:"data"`
	}
	_, b := h.do("GET", "/api/application/keys", "basic", h.rootKey, h.rootPass, nil)
	_ = json.Unmarshal(b, &list)
	var id int64
	for _, k := range list.Data {
		if k.APIKey == key {
			id = k.ID
		}
	}
	if resp, b := h.do("DELETE", "/api/application/keys/"+itoa(id), "basic", h.rootKey, h.rootPass, nil); resp.StatusCode != 200 {
		t.Fatalf("revoke: %d %s", resp.StatusCode, b)
	}
	if resp, _ := h.do("GET", "/wp-json/wu/v2/customers", "basic", key, secret, nil); resp.StatusCode != 401 {
		t.Fatalf("revoked key served from cache: %d", resp.StatusCode)
	}
}

func TestForgedHeadersAreStripped(t *testing.T) {
	h := newHarness(t)
	forged, _ := principal.Encode(&principal.Principal{KeyID: 999, Permissions: []string{"*"}})
	h.do("GET", "/wp-json/wu/v2/customers", "basic", h.rootKey, h.rootPass, nil, "X-Hostplane-Principal", forged, "X-Hostplane-Anything", "x")
	got := h.billing.last()
	if got.principal == nil || got.principal.KeyID == 999 || got.header.Get("X-Hostplane-Anything") != "" {
		t.Fatalf("forged headers reached upstream: %+v %v", got.principal, got.header)
	}
}

func TestUnknownRoutesInDialectShape(t *testing.T) {
	h := newHarness(t)
	tests := []struct{ path, want string }{
		{"/wp-json/wu/v2/nothing", `"code":"rest_no_route"`},
		{"/api/application/nothing", `"message"`},
		{"/v1/nothing.json", `"code":4401`},
	}
	for _, tt := range tests {
		resp, b := h.do("GET", tt.path, "basic", h.rootKey, h.rootPass, nil)
		if resp.StatusCode != 404 || !strings.Contains(string(b), tt.want) {
			t.Errorf("%s: %d %s", tt.path, resp.StatusCode, b)
		}
	}
}

func TestUpstreamFailuresInDialectShape(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.UpstreamTimeout = 200 * time.Millisecond })
	h.billing.delay = time.Second
	resp, b := h.do("GET", "/wp-json/wu/v2/customers", "basic", h.rootKey, h.rootPass, nil)
	if resp.StatusCode != 504 || !strings.Contains(string(b), `"code":"wu_rest_upstream_timeout"`) {
		t.Fatalf("timeout: %d %s", resp.StatusCode, b)
	}
	h.billing.delay = 0
	h.static.Set("billing")
	resp, b = h.do("GET", "/wp-json/wu/v2/customers", "basic", h.rootKey, h.rootPass, nil)
	if resp.StatusCode != 503 || !strings.Contains(string(b), `"code":"wu_rest_unavailable"`) {
		t.Fatalf("no instance: %d %s", resp.StatusCode, b)
	}
}

func TestIdempotentRequestRetriedOnAnotherInstance(t *testing.T) {
	h := newHarness(t)
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	deadAddr := dead.Addr().String()
	dead.Close()
	live := h.static.Instances("billing")[0]
	h.static.Set("billing", deadAddr, live)
	for i := range 10 {
		resp, b := h.do("GET", "/wp-json/wu/v2/customers", "basic", h.rootKey, h.rootPass, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, b)
		}
	}
	// A POST is not retried: it may have been applied.
	failures := 0
	for range 4 {
		resp, _ := h.do("POST", "/wp-json/wu/v2/customers", "basic", h.rootKey, h.rootPass, strings.NewReader(`{}`), "Content-Type", "application/json")
		if resp.StatusCode == 503 {
			failures++
		}
	}
	if failures == 0 {
		t.Fatal("POSTs to a dead instance were retried")
	}
}

func TestSBMethodTunnelling(t *testing.T) {
	h := newHarness(t)
	form := url.Values{"method": {"GET"}, "page": {"1"}}
	resp, b := h.do("POST", "/v1/rate.json", "token", h.rootKey, h.rootPass, strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"success":true`) {
		t.Fatalf("tunnelled GET: %d %s", resp.StatusCode, b)
	}
}

func TestHeadIsAnsweredAsGet(t *testing.T) {
	h := newHarness(t)
	resp, b := h.do("HEAD", "/wp-json/wu/v2/customers", "basic", h.rootKey, h.rootPass, nil)
	if resp.StatusCode != 200 || len(b) != 0 || resp.ContentLength != 2 || resp.Header.Get("X-Ratelimit-Limit") == "" {
		t.Fatalf("HEAD: %d, body %q, length %d, header %v", resp.StatusCode, b, resp.ContentLength, resp.Header)
	}
	if got := h.billing.last(); got.method != "GET" || got.path != "/wp-json/wu/v2/customers" || got.verifyErr != nil {
		t.Fatalf("upstream got %s %s (signature %v)", got.method, got.path, got.verifyErr)
	}
	resp, _ = h.do("HEAD", "/wp-json/wu/v2/customers", "", "", "", nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("HEAD without a key: %d", resp.StatusCode)
	}
}

func TestBasicWithMalformedHeader(t *testing.T) {
	h := newHarness(t)
	req, _ := http.NewRequest("GET", h.gw.URL+"/wp-json/wu/v2/customers", nil)
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("nocolon")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
