package transport

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/billing/checkout"
	"github.com/hostplane/hostplane/services/billing/checkout/fakesites"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/groups"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/memory"
	"github.com/hostplane/hostplane/services/billing/password"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
	"github.com/hostplane/hostplane/services/billing/subscriptions"
)

const secret = "billing-transport-test-secret"

// base is the harness clock's start: the plugin's recorded date.
var base = time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is the service behind the real middleware stack: every route
// on a router, wrapped by component.Runtime.Handler, over memory stores
// and a fake sites service.
type harness struct {
	t      *testing.T
	h      http.Handler
	stores *memory.Stores
	store  *memory.Customers
	sites  *fakesites.Sites
	hasher *password.Argon2id
	clock  *clock
	signer *principal.Signer
	app    services
}

// services are the harness's services, to arrange state directly.
type services struct {
	customers   customers.Service
	products    products.Service
	memberships memberships.Service
	payments    payments.Service
}

// root holds every permission and no customer restriction.
var root = &principal.Principal{KeyID: 1, AccountID: 1, KeyName: "root", Permissions: []string{"*"}}

// restricted is a key confined to customer id.
func restricted(id int64) *principal.Principal {
	return &principal.Principal{KeyID: 2, AccountID: 1, KeyName: "restricted", CustomerID: id, Permissions: []string{"customers:*"}}
}

func newHarness(t *testing.T) *harness { return newHarnessMax(t, 1<<20) }

func newHarnessMax(t *testing.T, maxBody int64) *harness { return newHarnessWith(t, maxBody, nil) }

// newHarnessWith lets change (when not nil) change the checkout's deps.
func newHarnessWith(t *testing.T, maxBody int64, change func(*checkout.Deps)) *harness {
	t.Helper()
	rt, err := component.New(context.Background(), "billing", component.Config{InternalSecret: secret, MaxBodyBytes: maxBody}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	hasher, err := password.NewArgon2id(password.Params{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: base}
	st := memory.NewStores()
	sites := fakesites.New()
	reg := rt.Metrics.Registry
	cs := customers.NewService(st.Customers, hasher, clk.now)
	cs = customers.InstrumentingMiddleware(reg)(customers.LoggingMiddleware(rt.Log)(cs))
	gs := groups.NewService(st.Groups, clk.now)
	ps := products.NewService(st.Products, st.Runner, clk.now)
	ms := memberships.NewService(st.Memberships, st.Customers, st.Products, st.Runner, clk.now)
	pays := payments.NewService(st.Payments, st.Customers, st.Memberships, st.Products, clk.now)
	deps := checkout.Deps{Customers: cs, Hasher: hasher, Catalog: ps, Memberships: ms, Payments: pays,
		Sites: sites, Tx: st.Runner}
	if change != nil {
		change(&deps)
	}
	co := checkout.NewService(deps)
	subs := subscriptions.NewService(sites, ms, ps)
	router := httpkit.NewRouter()
	eps := Endpoints{
		Customers: customers.MakeEndpoints(cs), Products: products.MakeEndpoints(ps), Groups: groups.MakeEndpoints(gs),
		Memberships: memberships.MakeEndpoints(ms), Payments: payments.MakeEndpoints(pays), Checkout: checkout.MakeEndpoints(co),
		Subscriptions: subscriptions.MakeEndpoints(subs), Options: subs,
	}
	MountWU(router, eps, Retries{Store: st.Idempotency, Secret: []byte(secret), Now: clk.now})
	MountCX(router, eps)
	MountSB(router, eps)
	MountInternal(router, eps)
	return &harness{t: t, h: rt.Handler(router), stores: st, store: st.Customers, sites: sites, hasher: hasher, clock: clk,
		signer: principal.NewSigner(secret), app: services{cs, ps, ms, pays}}
}

// request builds a request signed for p (unsigned when p is nil), as the
// gateway sends it.
func (h *harness) request(method, target, body string, p *principal.Principal) *http.Request {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if p != nil {
		if err := h.signer.Apply(req.Header, method, req.URL.Path, p); err != nil {
			h.t.Fatal(err)
		}
	}
	return req
}

func (h *harness) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	return rec
}

// do sends a request signed for p.
func (h *harness) do(method, target, body string, p *principal.Principal) *httptest.ResponseRecorder {
	h.t.Helper()
	return h.serve(h.request(method, target, body, p))
}

// ok sends as root and wants 200.
func (h *harness) ok(method, target, body string) *httptest.ResponseRecorder {
	h.t.Helper()
	rec := h.do(method, target, body, root)
	if rec.Code != http.StatusOK {
		h.t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
	}
	return rec
}

// create makes a customer with a new user and returns its JSON object.
func (h *harness) create(username string, extra string) map[string]any {
	h.t.Helper()
	body := `{"username":"` + username + `","email":"` + username + `@example.com","password":"secret1"` + extra + `}`
	return object(h.t, h.ok(http.MethodPost, "/wp-json/wu/v2/customers", body))
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

func id(m map[string]any) int64 { return int64(m["id"].(float64)) }

func ids(a []map[string]any) []int64 {
	out := make([]int64, len(a))
	for i, m := range a {
		out[i] = id(m)
	}
	return out
}

// customerTypes is the JSON type of every field of a wu customer.
var customerTypes = map[string]string{
	"id": "number", "model": "string", "slug": "string", "date_created": "string", "date_modified": "string",
	"migrated_from_id": "null", "user_id": "number", "type": "string", "date_registered": "string",
	"email_verification": "string", "last_login": "string|null", "has_trialed": "boolean", "vip": "boolean",
	"ips": "array", "signup_form": "string", "extra_information": "string", "network_id": "null",
	"_user": "object", "billing_address": "object", "notes": "null", "status": "string", "email": "string",
}

var userTypes = map[string]string{"id": "number", "username": "string", "email": "string", "display_name": "string"}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case float64:
		return "number"
	case string:
		return "string"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

// checkShape asserts that m has exactly the fields of types, each of its
// JSON type.
func checkShape(t *testing.T, m map[string]any, types map[string]string) {
	t.Helper()
	var got, want []string
	for k := range m {
		got = append(got, k)
	}
	for k := range types {
		want = append(want, k)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
	for k, typ := range types {
		if jt := jsonType(m[k]); !strings.Contains("|"+typ+"|", "|"+jt+"|") {
			t.Errorf("field %s is %s (%v), want %s", k, jt, m[k], typ)
		}
	}
}

func checkCustomer(t *testing.T, m map[string]any) {
	t.Helper()
	checkShape(t, m, customerTypes)
	checkShape(t, m["_user"].(map[string]any), userTypes)
	for _, ip := range m["ips"].([]any) {
		if _, ok := ip.(string); !ok {
			t.Errorf("ips item %v is not a string", ip)
		}
	}
}

// wantError asserts a wu error body: status, code and, when given, the
// exact set of params.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code string, params ...string) map[string]any {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	m := object(t, rec)
	if m["code"] != code {
		t.Fatalf("code %v, want %s: %s", m["code"], code, rec.Body)
	}
	data, _ := m["data"].(map[string]any)
	if data == nil || data["status"] != float64(status) {
		t.Fatalf("data.status: %s", rec.Body)
	}
	if _, ok := m["message"].(string); !ok {
		t.Fatalf("message: %s", rec.Body)
	}
	if params != nil {
		got := []string{}
		if p, ok := data["params"].(map[string]any); ok {
			for k := range p {
				got = append(got, k)
			}
		}
		sort.Strings(got)
		sort.Strings(params)
		if !reflect.DeepEqual(got, params) {
			t.Fatalf("params %v, want %v: %s", got, params, rec.Body)
		}
	}
	return m
}

func param(m map[string]any, field string) string {
	s, _ := m["data"].(map[string]any)["params"].(map[string]any)[field].(string)
	return s
}

func customersFilter() customers.ListFilter { return customers.ListFilter{} }

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
