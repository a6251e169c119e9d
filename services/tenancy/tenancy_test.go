package tenancy_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/tenancy"
)

const secret = "0123456789abcdef0123456789abcdef"

// TestWiring serves health, readiness and metrics in the clear and refuses
// API calls without the gateway's signature.
func TestWiring(t *testing.T) {
	ctx := context.Background()
	cfg := tenancy.Config{Config: component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 20, ShutdownGrace: time.Second, Upstreams: "sites=127.0.0.1:1"},
		NamePrefix: "tenant_", KVPrefix: "hostplane/tenants/", Workers: 2}
	rt, err := component.New(ctx, tenancy.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := tenancy.New(ctx, cfg, rt, tenancy.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	srv := httptest.NewServer(rt.Handler(app.API))
	defer srv.Close()

	get := func(path string, sign bool) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if sign {
			_ = principal.NewSigner(secret).Apply(req.Header, "GET", path, &principal.Principal{KeyID: 1, Permissions: []string{"*"}})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz", false); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	if code, _ := get("/readyz", false); code != 200 {
		t.Fatalf("readyz %d", code)
	}
	code, body := get("/metrics", false)
	if code != 200 || !strings.Contains(body, "hostplane_tenancy_http_requests_total") && !strings.Contains(body, "go_goroutines") {
		t.Fatalf("metrics %d", code)
	}
	// The dashboards' series exist at zero on a fresh process.
	for _, series := range []string{
		`hostplane_tenancy_bootstraps_total{result="ready"} 0`,
		`hostplane_tenancy_bootstraps_total{result="failed"} 0`,
		`hostplane_tenancy_bootstrap_duration_seconds_count 0`,
		`hostplane_tenancy_verifications_total{result="passed"} 0`,
		`hostplane_tenancy_verifications_total{result="failed"} 0`,
	} {
		if !strings.Contains(body, series+"\n") {
			t.Errorf("metrics: no %s", series)
		}
	}
	if code, _ := get("/v1/sites.json", false); code != 401 {
		t.Fatalf("unsigned API call: %d", code)
	}
	if code, body := get("/v1/nothing.json", true); code != 404 || !strings.Contains(body, "4401") {
		t.Fatalf("signed call to an unknown route: %d %s", code, body)
	}
}

// A configuration that cannot start is an error, not a crash: without any
// address of the sites service, New fails and releases what it opened.
func TestNewFailsCleanly(t *testing.T) {
	ctx := context.Background()
	cfg := tenancy.Config{Config: component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 20, ShutdownGrace: time.Second},
		NamePrefix: "tenant_", KVPrefix: "hostplane/tenants/", Workers: 2}
	rt, err := component.New(ctx, tenancy.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := tenancy.New(ctx, cfg, rt, tenancy.Deps{})
	if err == nil || app != nil {
		t.Fatalf("New without the sites service's address = %v, %v; want an error", app, err)
	}
}
