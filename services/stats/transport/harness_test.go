package transport_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/stats"
	"github.com/hostplane/hostplane/services/stats/directory"
)

const secret = "stats-transport-test-secret-0123"

// base is the harness clock: Wednesday 25 November 2026, 10:00 UTC.
var base = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// fakeSites is the sites service: two sites of two customers.
type fakeSites struct {
	mu    sync.Mutex
	sites map[string]directory.Site
	calls int
	down  bool
}

func (f *fakeSites) SiteByCode(_ context.Context, code string) (directory.Site, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.down {
		return directory.Site{}, errs.New(errs.Unavailable, "sites is down")
	}
	s, ok := f.sites[code]
	if !ok {
		return directory.Site{}, errs.NotFoundResource("site", "")
	}
	return s, nil
}

func (f *fakeSites) Site(ctx context.Context, id int64) (directory.Site, error) {
	f.mu.Lock()
	var code string
	for c, s := range f.sites {
		if s.ID == id {
			code = c
		}
	}
	f.mu.Unlock()
	if code == "" {
		return directory.Site{}, errs.NotFoundResource("site", "")
	}
	return f.SiteByCode(ctx, code)
}

// fakePlans gives every site the same limits.
type fakePlans struct{ limits map[string]int64 }

func (f fakePlans) Limits(context.Context, int64) (map[string]int64, error) { return f.limits, nil }

// fakeCustomers says customer 10's email is verified.
type fakeCustomers struct{}

func (fakeCustomers) EmailVerification(_ context.Context, id int64) (string, error) {
	if id == 10 {
		return "verified", nil
	}
	return "none", nil
}

// harness is the stats service behind the real middleware stack, over
// memory stores, a fake sites service and fake plans.
type harness struct {
	t      *testing.T
	h      http.Handler
	app    *stats.App
	sites  *fakeSites
	clock  *clock
	signer *principal.Signer
	root   string // shop's filesystem root
}

// root holds every permission and no customer restriction.
var root = &principal.Principal{KeyID: 1, AccountID: 1, KeyName: "root", Permissions: []string{"*"}}

// system is a service-to-service caller (the gateway reporting usage).
var system = &principal.Principal{System: true, Permissions: []string{"*"}}

// customerKey is a key confined to customer id.
func customerKey(id int64) *principal.Principal {
	return &principal.Principal{KeyID: 2, KeyName: "restricted", CustomerID: id, Permissions: []string{"*"}}
}

func newHarness(t *testing.T, cfg stats.Config) *harness {
	t.Helper()
	ctx := context.Background()
	h := &harness{t: t, clock: &clock{t: base}, signer: principal.NewSigner(secret), root: t.TempDir()}
	h.sites = &fakeSites{sites: map[string]directory.Site{
		"shop": {ID: 1, Code: "shop", CustomerID: 10, Status: "open", Root: h.root},
		"blog": {ID: 2, Code: "blog", CustomerID: 20, Status: "open"},
	}}
	cfg.Config = component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 20, ShutdownGrace: time.Second}
	rt, err := component.New(ctx, stats.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := stats.New(ctx, cfg, rt, stats.Deps{Sites: h.sites, Now: h.clock.now, Customers: fakeCustomers{},
		Plans: fakePlans{limits: map[string]int64{"space_bytes": 1000, "bandwidth_bytes": 10000, "api_pfo": 100, "forms": 5}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	h.app, h.h = app, rt.Handler(app.API)
	return h
}

// reply is an answer: status, headers and the decoded JSON body.
type reply struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// do sends a request signed for p (unsigned when p is nil).
func (h *harness) do(method, path, body, contentType string, p *principal.Principal, headers ...string) reply {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
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
	out := reply{status: rec.Code, header: rec.Header(), raw: rec.Body.String()}
	if strings.Contains(rec.Header().Get("Content-Type"), "json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &out.body); err != nil {
			h.t.Fatalf("%s %s: body %q: %v", method, path, rec.Body.String(), err)
		}
	}
	return out
}

func (h *harness) get(path string, p *principal.Principal) reply { return h.do("GET", path, "", "", p) }

func (h *harness) postJSON(path, body string, p *principal.Principal, headers ...string) reply {
	return h.do("POST", path, body, "application/json", p, headers...)
}

// at walks a decoded body: at(body, "data", "checkout", "pending_orders").
func at(v any, path ...any) any {
	for _, k := range path {
		switch key := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[key]
		case int:
			l, _ := v.([]any)
			if key >= len(l) {
				return nil
			}
			v = l[key]
		}
	}
	return v
}

// num reads a JSON number.
func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

// sbError checks an sb error answer: status, code and the field named.
func sbError(t *testing.T, r reply, status, code int, field string) {
	t.Helper()
	if r.status != status || num(at(r.body, "error", "code")) != float64(code) || at(r.body, "meta", "success") != false {
		t.Fatalf("got %d %s, want %d with code %d", r.status, r.raw, status, code)
	}
	if field != "" {
		if _, ok := at(r.body, "error", "fields").(map[string]any)[field]; !ok {
			t.Fatalf("error does not name %q: %s", field, r.raw)
		}
	}
}
