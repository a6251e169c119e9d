package httpkit

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// metricValue returns the value of the sample of name whose labels include
// every label of want (`key="value"`), and whether there is one.
func metricValue(body, name string, want ...string) (string, bool) {
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") {
			continue
		}
		labels, value, _ := strings.Cut(line[len(name):], "} ")
		all := true
		for _, w := range want {
			if !strings.Contains(labels, w) {
				all = false
				break
			}
		}
		if all {
			return value, true
		}
	}
	return "", false
}

func TestNewServiceHandler(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tr, err := telemetry.NewTracing(context.Background(), "stacktest", telemetry.TracingOptions{Exporter: exp, Synchronous: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Shutdown(context.Background())
	signer := principal.NewSigner(testSecret)
	health := NewHealth(Check{Name: "db", Critical: true, Fn: ok("")})

	api := NewRouter()
	api.HandleFunc("GET", "/v1/sites/{code}.json", func(w http.ResponseWriter, r *http.Request) {
		p := principal.From(r.Context())
		fmt.Fprintf(w, "site %s for key %d", r.PathValue("code"), p.KeyID)
	})
	api.HandleFunc("POST", "/internal/upload", func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	api.HandleFunc("GET", "/internal/panic", func(http.ResponseWriter, *http.Request) { panic("boom: internal detail") })

	srv := httptest.NewServer(NewServiceHandler(ServiceOptions{
		Log: discard, Metrics: telemetry.NewMetrics("stacktest"), Tracing: tr,
		Health: health, Signer: signer, MaxBody: 64, API: api,
	}))
	defer srv.Close()
	client := srv.Client()

	// do sends body with its length declared, or chunked when the path
	// ends in "?chunked".
	do := func(method, path string, body string, sign bool) (*http.Response, string) {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
			if strings.HasSuffix(path, "?chunked") {
				rd = io.MultiReader(rd)
			}
		}
		req, err := http.NewRequest(method, srv.URL+path, rd)
		if err != nil {
			t.Fatal(err)
		}
		if sign {
			if err := signer.Apply(req.Header, method, req.URL.Path, &principal.Principal{KeyID: 9}); err != nil {
				t.Fatal(err)
			}
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	// Health and metrics are served without a principal.
	if resp, _ := do("GET", "/healthz", "", false); resp.StatusCode != 200 {
		t.Errorf("/healthz = %d", resp.StatusCode)
	}
	if resp, body := do("GET", "/readyz", "", false); resp.StatusCode != 200 || !strings.Contains(body, `"db"`) {
		t.Errorf("/readyz = %d %s", resp.StatusCode, body)
	}

	// The API needs a signed principal.
	if resp, body := do("GET", "/v1/sites/abc.json", "", false); resp.StatusCode != 401 || !strings.Contains(body, "4307") {
		t.Errorf("unsigned = %d %s, want 401 in sb shape", resp.StatusCode, body)
	}
	for i := 0; i < 2; i++ {
		resp, body := do("GET", fmt.Sprintf("/v1/sites/site%d.json", i), "", true)
		if resp.StatusCode != 200 || body != fmt.Sprintf("site site%d for key 9", i) {
			t.Errorf("signed = %d %q", resp.StatusCode, body)
		}
		if resp.Header.Get(RequestIDHeader) == "" {
			t.Error("no request id in the response")
		}
	}
	if resp, body := do("POST", "/internal/upload", strings.Repeat("x", 65), true); resp.StatusCode != 413 || !strings.Contains(body, "too_large") {
		t.Errorf("declared body over MaxBody = %d %s, want 413 before the API", resp.StatusCode, body)
	}
	if resp, body := do("POST", "/internal/upload?chunked", strings.Repeat("x", 65), true); resp.StatusCode != 413 || !strings.Contains(body, "too large") {
		t.Errorf("chunked body over MaxBody = %d %s, want the handler's 413", resp.StatusCode, body)
	}
	if resp, _ := do("POST", "/internal/upload", strings.Repeat("x", 64), true); resp.StatusCode != 204 {
		t.Errorf("body at MaxBody = %d, want 204", resp.StatusCode)
	}
	if resp, body := do("GET", "/internal/panic", "", true); resp.StatusCode != 500 || strings.Contains(body, "boom") {
		t.Errorf("panic = %d %s, want a 500 without the panic text", resp.StatusCode, body)
	}
	if resp, _ := do("DELETE", "/v1/sites/abc.json", "", true); resp.StatusCode != 404 {
		t.Errorf("wrong method = %d, want 404 (sb)", resp.StatusCode)
	}

	_, metrics := do("GET", "/metrics", "", false)
	name := "hostplane_stacktest_http_requests_total"
	tests := []struct {
		labels []string
		want   string
	}{
		{[]string{`route="/v1/sites/{code}.json"`, `method="GET"`, `status="200"`}, "2"},
		{[]string{`route="unmatched"`, `method="GET"`, `status="401"`}, "1"},
		{[]string{`route="unmatched"`, `method="POST"`, `status="413"`}, "1"},
		{[]string{`route="/internal/upload"`, `method="POST"`, `status="413"`}, "1"},
		{[]string{`route="/internal/upload"`, `method="POST"`, `status="204"`}, "1"},
		{[]string{`route="/internal/panic"`, `status="500"`}, "1"},
		{[]string{`route="/v1/sites/{code}.json"`, `method="DELETE"`, `status="404"`}, "1"},
	}
	for _, tt := range tests {
		if got, ok := metricValue(metrics, name, tt.labels...); !ok || got != tt.want {
			t.Errorf("%s%v = %q (found %v), want %s\n%s", name, tt.labels, got, ok, tt.want, metrics)
		}
	}
	if strings.Contains(metrics, `route="/v1/sites/site0.json"`) || strings.Contains(metrics, `route="/healthz"`) {
		t.Error("metrics carry a raw path or a health route; want patterns of the API only")
	}
	if _, ok := metricValue(metrics, "hostplane_stacktest_http_request_duration_seconds_bucket", `route="/v1/sites/{code}.json"`); !ok {
		t.Error("no latency histogram for the route")
	}

	// Spans are named by pattern too.
	var names []string
	for _, s := range exp.GetSpans() {
		names = append(names, s.Name)
	}
	if !strings.Contains(strings.Join(names, "|"), "GET /v1/sites/{code}.json") {
		t.Errorf("spans %v, want one named by the route pattern", names)
	}
}

func TestNewServiceHandlerDefaultMaxBody(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	h := NewServiceHandler(ServiceOptions{
		Log: discard, Metrics: telemetry.NewMetrics("maxbodytest"), Health: NewHealth(),
		Signer: principal.NewSigner(testSecret), API: api,
	})
	req := httptest.NewRequest("POST", "/internal/x", strings.NewReader("x"))
	req.ContentLength = 1<<20 + 1
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Errorf("1 MiB + 1 with default MaxBody = %d, want 413", rec.Code)
	}
	req = signed(principal.NewSigner(testSecret), "POST", "/internal/x", &principal.Principal{KeyID: 1}, time.Now())
	req.ContentLength = 1 << 20
	req.Body = io.NopCloser(strings.NewReader(strings.Repeat("x", 1<<20)))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 204 {
		t.Errorf("1 MiB with default MaxBody = %d, want 204", rec.Code)
	}
}

func TestNewServiceHandlerPublicRoutes(t *testing.T) {
	signer := principal.NewSigner(testSecret)
	api := NewRouter()
	api.HandleFunc("POST", "/collect", func(w http.ResponseWriter, r *http.Request) {
		if principal.From(r.Context()) != nil || r.Header.Get(principal.HeaderPrincipal) != "" {
			http.Error(w, "a public route saw a principal", 500)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	api.HandleFunc("GET", "/collect", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
	h := NewServiceHandler(ServiceOptions{
		Log: discard, Metrics: telemetry.NewMetrics("publictest"), Health: NewHealth(),
		Signer: signer, MaxBody: 8, API: api, Public: []string{"POST /collect"},
	})
	serve := func(req *http.Request) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := serve(httptest.NewRequest("POST", "/collect", nil)); code != 204 {
		t.Errorf("unsigned public route = %d, want 204", code)
	}
	// A signed principal is dropped, not trusted nor refused.
	if code := serve(signed(signer, "POST", "/collect", &principal.Principal{KeyID: 1}, time.Now())); code != 204 {
		t.Errorf("signed public route = %d, want 204 without the principal", code)
	}
	// Only the declared method and path are public.
	if code := serve(httptest.NewRequest("GET", "/collect", nil)); code != 401 {
		t.Errorf("unsigned GET of a POST-only public route = %d, want 401", code)
	}
	// The body limit still applies.
	req := httptest.NewRequest("POST", "/collect", strings.NewReader("123456789"))
	if code := serve(req); code != 413 {
		t.Errorf("public route over MaxBody = %d, want 413", code)
	}
}
