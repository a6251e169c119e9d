package transport_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/sites"
	"github.com/hostplane/hostplane/services/sites/site"
)

const secret = "sites-transport-test-secret"

// fakeBilling knows customers 5 and 6, membership 10 (customer 5, plan
// 3) and 11 (customer 6, plan 4, trialing), plans 3 (Pro) and 4 (Free).
type fakeBilling struct {
	mu          sync.Mutex
	memberships map[int64]site.Membership
}

func newFakeBilling() *fakeBilling {
	exp := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	return &fakeBilling{memberships: map[int64]site.Membership{
		10: {ID: 10, CustomerID: 5, PlanID: 3, Status: "active", AutoRenew: true, Options: []string{"extra-storage"}},
		11: {ID: 11, CustomerID: 6, PlanID: 4, Status: "trialing", DateExpiration: &exp, DateTrialEnd: &exp},
	}}
}

func (f *fakeBilling) CustomerExists(_ context.Context, id int64) error {
	if id == 5 || id == 6 {
		return nil
	}
	return errs.NotFoundResource("customer", "")
}

func (f *fakeBilling) Membership(_ context.Context, id int64) (site.Membership, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.memberships[id]
	if !ok {
		return site.Membership{}, errs.NotFoundResource("membership", "")
	}
	return m, nil
}

func (f *fakeBilling) setStatus(id int64, status string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.memberships[id]
	m.Status = status
	f.memberships[id] = m
}

func (f *fakeBilling) Product(_ context.Context, id int64) (site.Product, error) {
	switch id {
	case 3:
		return site.Product{ID: 3, Name: "Pro", Type: "plan"}, nil
	case 4:
		return site.Product{ID: 4, Name: "Free", Type: "plan", Free: true}, nil
	case 7:
		return site.Product{ID: 7, Name: "Addon", Type: "package"}, nil
	}
	return site.Product{}, errs.NotFoundResource("product", "")
}

// fakeDNS resolves what it was told to.
type fakeDNS struct {
	mu    sync.Mutex
	hosts map[string][]string
	certs map[string]bool
}

func (f *fakeDNS) LookupHost(_ context.Context, host string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a, ok := f.hosts[host]; ok {
		return a, nil
	}
	return nil, &errs.Error{Kind: errs.NotFound, Message: "no such host"}
}

func (f *fakeDNS) Probe(_ context.Context, host string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.certs[host] {
		return nil
	}
	return errs.New(errs.Unavailable, "bad certificate")
}

func (f *fakeDNS) set(host string, addrs []string, cert bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hosts[host] = addrs
	f.certs[host] = cert
}

type harness struct {
	t       *testing.T
	h       http.Handler
	app     *sites.App
	billing *fakeBilling
	dns     *fakeDNS
	bus     *events.Local
	signer  *principal.Signer
}

// root holds every permission and no restriction.
var root = &principal.Principal{KeyID: 1, AccountID: 1, KeyName: "root", Permissions: []string{"*"}}

// restricted is a key confined to customer id.
func restricted(id int64) *principal.Principal {
	return &principal.Principal{KeyID: 2, AccountID: 1, KeyName: "restricted", CustomerID: id, Permissions: []string{"*"}}
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	ctx := context.Background()
	cfg := sites.Config{
		Config:  component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 20},
		DataDir: t.TempDir(), BaseDomain: "hostplane.test", BackupRetention: 3, JobWorkers: 2,
		JobLease: 3 * time.Second, DomainCheck: time.Hour,
	}
	rt, err := component.New(ctx, sites.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, billing: newFakeBilling(), dns: &fakeDNS{hosts: map[string][]string{}, certs: map[string]bool{}},
		bus: events.NewLocal(), signer: principal.NewSigner(secret)}
	app, err := sites.New(ctx, cfg, rt, sites.Deps{Billing: h.billing, Resolver: h.dns, Prober: h.dns, Events: h.bus})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	h.app, h.h = app, rt.Handler(app.API)
	return h
}

// do sends a request signed for p (unsigned when nil).
func (h *harness) do(method, target, body string, p *principal.Principal, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		ct := "application/json"
		if !strings.HasPrefix(strings.TrimSpace(body), "{") {
			ct = "application/x-www-form-urlencoded"
		}
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if p != nil {
		if err := h.signer.Apply(req.Header, method, req.URL.Path, p); err != nil {
			h.t.Fatal(err)
		}
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	return rec
}

// ok sends as root and wants 200.
func (h *harness) ok(method, target, body string, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	rec := h.do(method, target, body, root, headers...)
	if rec.Code != http.StatusOK {
		h.t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
	}
	return rec
}

func object(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	return m
}

func array(t *testing.T, rec *httptest.ResponseRecorder) []map[string]any {
	t.Helper()
	var a []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	return a
}

// sbData decodes an sb envelope and returns its data.
func sbData(t *testing.T, rec *httptest.ResponseRecorder) any {
	t.Helper()
	var env struct {
		Meta struct {
			Success bool `json:"success"`
		} `json:"meta"`
		Data any `json:"data"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || !env.Meta.Success {
		t.Fatalf("sb envelope %s: %v", rec.Body, err)
	}
	return env.Data
}

// sbError asserts an sb error: HTTP status, code and the fields named.
func sbError(t *testing.T, rec *httptest.ResponseRecorder, status, code int, fields ...string) {
	t.Helper()
	var env struct {
		Meta struct {
			Success    bool `json:"success"`
			StatusCode int  `json:"status_code"`
		} `json:"meta"`
		Error struct {
			Code   int               `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	if rec.Code != status || env.Meta.Success || env.Meta.StatusCode != status || env.Error.Code != code {
		t.Fatalf("want %d/%d, got %d: %s", status, code, rec.Code, rec.Body)
	}
	if len(fields) > 0 && len(env.Error.Fields) != len(fields) {
		t.Fatalf("fields %v, want %v", env.Error.Fields, fields)
	}
	for _, f := range fields {
		if env.Error.Fields[f] == "" {
			t.Fatalf("field %s not named: %s", f, rec.Body)
		}
	}
}

// wuError asserts a wu error body and its params.
func wuError(t *testing.T, rec *httptest.ResponseRecorder, status int, code string, params ...string) {
	t.Helper()
	m := object(t, rec)
	if rec.Code != status || m["code"] != code {
		t.Fatalf("want %d %s, got %d: %s", status, code, rec.Code, rec.Body)
	}
	p, _ := m["data"].(map[string]any)["params"].(map[string]any)
	for _, f := range params {
		if _, ok := p[f]; !ok {
			t.Fatalf("param %s not named: %s", f, rec.Body)
		}
	}
}

// waitJob polls a job until it is done or halted.
func (h *harness) waitJob(code string, id int64) map[string]any {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rec := h.ok("GET", "/v1/sites/"+code+"/jobs/"+itoa(id)+".json", "")
		j := sbData(h.t, rec).(map[string]any)
		if j["status"] == "done" || j["status"] == "halt" {
			return j
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("job %d not finished: %v", id, j)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func itoa(n int64) string { return strings.TrimSpace(strings.Replace(jsonNum(n), " ", "", -1)) }

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

func (h *harness) root(id int64) string { return h.app.Layout.Root(id) }

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o640); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
