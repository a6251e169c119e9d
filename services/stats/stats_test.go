package stats_test

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
	"github.com/hostplane/hostplane/services/stats"
)

const secret = "0123456789abcdef0123456789abcdef"

// TestWiring serves health, readiness and metrics in the clear and refuses
// API calls without the gateway's signature.
func TestWiring(t *testing.T) {
	ctx := context.Background()
	cfg := stats.Config{Config: component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 20, ShutdownGrace: time.Second}}
	rt, err := component.New(ctx, stats.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := stats.New(ctx, cfg, rt, stats.Deps{})
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
	if code != 200 {
		t.Fatalf("metrics %d", code)
	}
	// The dashboards' series exist at zero on a fresh process.
	for _, series := range []string{
		`hostplane_stats_events_ingested_total{source="stream"} 0`,
		`hostplane_stats_events_ingested_total{source="api"} 0`,
		`hostplane_stats_events_ingested_total{source="beacon"} 0`,
		`hostplane_stats_events_ingested_total{source="usage"} 0`,
		`hostplane_stats_consumer_lag{stream="hostplane:events:billing"} 0`,
		`hostplane_stats_consumer_lag{stream="hostplane:events:sites"} 0`,
		`hostplane_stats_consumer_lag{stream="hostplane:events:auth"} 0`,
	} {
		if !strings.Contains(body, series+"\n") {
			t.Errorf("metrics lack %s", series)
		}
	}
	if code, _ := get("/v1/sites.json", false); code != 401 {
		t.Fatalf("unsigned API call: %d", code)
	}
	if code, body := get("/v1/nothing.json", true); code != 404 || !strings.Contains(body, "4401") {
		t.Fatalf("signed call to an unknown route: %d %s", code, body)
	}
}

// ingestedFrom reads hostplane_stats_events_ingested_total{source}.
func ingestedFrom(t *testing.T, rt *component.Runtime, source string) float64 {
	t.Helper()
	mfs, err := rt.Metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "hostplane_stats_events_ingested_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "source" && l.GetValue() == source {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no hostplane_stats_events_ingested_total{source=%q}", source)
	return 0
}
