package billing_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/config"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/billing"
)

var db = pgtest.New()

func TestMain(m *testing.M) { os.Exit(db.Main(m)) }

const secret = "billing-wiring-test-secret"

func testConfig() billing.Config {
	return billing.Config{
		Config:       component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 20, LogLevel: "info"},
		Addr:         "127.0.0.1:0",
		Argon2Memory: 64, Argon2Time: 1, Argon2Threads: 1, DBMaxConns: 8,
	}
}

// wire builds the service as Run does and returns its full handler.
func wire(t *testing.T, cfg billing.Config) http.Handler {
	t.Helper()
	ctx := context.Background()
	rt, err := component.New(ctx, billing.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := billing.New(ctx, cfg, rt, billing.Deps{Now: func() time.Time { return time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	return rt.Handler(app.API)
}

func call(t *testing.T, h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	p := &principal.Principal{KeyID: 1, AccountID: 1, Permissions: []string{"*"}, RequestID: "req-1"}
	if err := principal.NewSigner(secret).Apply(req.Header, method, req.URL.Path, p); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// exercise drives one customer through every route.
func exercise(t *testing.T, h http.Handler) {
	t.Helper()
	rec := call(t, h, http.MethodPost, "/wp-json/wu/v2/customers", `{"username":"wired","email":"wired@example.com","password":"secret1"}`)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"date_created":"2026-11-23 21:02:51"`) {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var c struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil || c.ID == 0 {
		t.Fatalf("create body %s", rec.Body)
	}
	one := "/wp-json/wu/v2/customer/" + jsonInt(c.ID)
	for _, tt := range []struct {
		method, path, body string
		status             int
		contains           string
	}{
		{http.MethodGet, one, "", 200, `"username":"wired"`},
		{http.MethodPut, one, `{"vip": true, "extra_information": "VIP customer notes"}`, 200, `"vip":true`},
		{http.MethodGet, "/wp-json/wu/v2/customers?search=WIRED", "", 200, `"extra_information":"VIP customer notes"`},
		{http.MethodGet, "/internal/v1/customers/" + jsonInt(c.ID), "", 200, `"date_created":"2026-11-23T21:02:51Z"`},
		{http.MethodPost, "/wp-json/wu/v2/customers", `{"username":"wired","email":"x@example.com","password":"secret1"}`, 409, `"username"`},
		{http.MethodDelete, one, "", 200, `"deleted":true`},
		{http.MethodGet, one, "", 404, `wu_rest_customer_invalid_id`},
	} {
		rec := call(t, h, tt.method, tt.path, tt.body)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.contains) {
			t.Fatalf("%s %s: %d %s", tt.method, tt.path, rec.Code, rec.Body)
		}
	}
	if rec := call(t, h, http.MethodGet, "/wp-json/wu/v2/customers", ""); strings.Join(rec.Header()["X-WP-Total"], "") != "0" {
		t.Fatalf("list after delete: %s %v", rec.Body, rec.Header())
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `hostplane_billing_customers_call_duration_seconds_count{method="create",outcome="ok"} 1`) {
		t.Fatalf("metrics lack the customer calls:\n%s", rec.Body)
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestWiringWithMemoryStores(t *testing.T) {
	exercise(t, wire(t, testConfig()))
}

func TestWiringWithPostgres(t *testing.T) {
	cfg := testConfig()
	cfg.DatabaseURL = db.URL(t)
	h := wire(t, cfg)
	exercise(t, h)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if !strings.Contains(rec.Body.String(), `"postgres":{"status":"ok"`) {
		t.Fatalf("readyz without postgres: %s", rec.Body)
	}
}

func TestNewFailsOnABadDatabase(t *testing.T) {
	cfg := testConfig()
	cfg.DatabaseURL = "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"
	rt, err := component.New(context.Background(), billing.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := billing.New(context.Background(), cfg, rt, billing.Deps{}); err == nil {
		t.Fatal("New with an unreachable database succeeded")
	}
}

func TestConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	var cfg billing.Config
	if err := config.Load(&cfg, nil, env(map[string]string{"HOSTPLANE_INTERNAL_SECRET": secret})); err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8082" || cfg.Argon2Memory != 7168 || cfg.Argon2Time != 5 || cfg.Argon2Threads != 1 ||
		cfg.DBMaxConns != 16 || cfg.RenewalInterval != 30*time.Second || cfg.RenewalGrace != 72*time.Hour {
		t.Fatalf("defaults %+v", cfg)
	}
	if p := cfg.PasswordParams(); p.Memory != 7168 || p.Time != 5 || p.Threads != 1 {
		t.Fatalf("params %+v", p)
	}
	cfg = billing.Config{}
	if err := config.Load(&cfg, []string{"-addr", ":9999"}, env(map[string]string{
		"HOSTPLANE_INTERNAL_SECRET": secret, "HOSTPLANE_BILLING_ADDR": ":1234",
		"HOSTPLANE_BILLING_DATABASE_URL": "postgres://u:pw@db/hostplane_billing",
	})); err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":9999" || cfg.DatabaseURL != "postgres://u:pw@db/hostplane_billing" {
		t.Fatalf("flags and env: %+v", cfg)
	}
	if masked := config.Masked(&cfg); strings.Contains(strings.Join(values(masked), " "), "pw@") || strings.Contains(strings.Join(values(masked), " "), secret) {
		t.Fatalf("secrets in the logged config: %v", masked)
	}
	for name, vars := range map[string]map[string]string{
		"no secret":           {},
		"no threads":          {"HOSTPLANE_INTERNAL_SECRET": secret, "HOSTPLANE_BILLING_ARGON2_THREADS": "0"},
		"too many threads":    {"HOSTPLANE_INTERNAL_SECRET": secret, "HOSTPLANE_BILLING_ARGON2_THREADS": "256"},
		"memory below lanes":  {"HOSTPLANE_INTERNAL_SECRET": secret, "HOSTPLANE_BILLING_ARGON2_MEMORY_KIB": "8", "HOSTPLANE_BILLING_ARGON2_THREADS": "2"},
		"no passes":           {"HOSTPLANE_INTERNAL_SECRET": secret, "HOSTPLANE_BILLING_ARGON2_TIME": "0"},
		"memory out of range": {"HOSTPLANE_INTERNAL_SECRET": secret, "HOSTPLANE_BILLING_ARGON2_MEMORY_KIB": "4294967296"},
		"one connection":      {"HOSTPLANE_INTERNAL_SECRET": secret, "HOSTPLANE_BILLING_DB_MAX_CONNS": "1"},
		"negative interval":   {"HOSTPLANE_INTERNAL_SECRET": secret, "HOSTPLANE_BILLING_RENEWAL_INTERVAL": "-1s"},
	} {
		var cfg billing.Config
		if err := config.Load(&cfg, nil, env(vars)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- billing.Run(ctx, testConfig(), io.Discard) }()
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
	cfg := testConfig()
	cfg.InternalSecret = ""
	if err := billing.Run(context.Background(), cfg, io.Discard); err == nil {
		t.Fatal("Run without a secret succeeded")
	}
}
