package telemetry

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// sample is one gathered series: its labels and value (count for histograms).
type sample struct {
	labels map[string]string
	value  float64
	sum    float64
}

func gather(t *testing.T, m *Metrics, name string) []sample {
	t.Helper()
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []sample
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, mt := range mf.GetMetric() {
			s := sample{labels: map[string]string{}}
			for _, l := range mt.GetLabel() {
				s.labels[l.GetName()] = l.GetValue()
			}
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				s.value = mt.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				s.value = mt.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				s.value = float64(mt.GetHistogram().GetSampleCount())
				s.sum = mt.GetHistogram().GetSampleSum()
			}
			out = append(out, s)
		}
	}
	return out
}

// find returns the value of the series with exactly labels.
func find(samples []sample, labels map[string]string) (sample, bool) {
	for _, s := range samples {
		if len(s.labels) != len(labels) {
			continue
		}
		match := true
		for k, v := range labels {
			if s.labels[k] != v {
				match = false
			}
		}
		if match {
			return s, true
		}
	}
	return sample{}, false
}

func labels(route, method, status string) map[string]string {
	return map[string]string{"route": route, "method": method, "status": status}
}

func TestName(t *testing.T) {
	if got := Name("gateway", "rate_limited_total"); got != "hostplane_gateway_rate_limited_total" {
		t.Errorf("Name = %q", got)
	}
}

func TestObserve(t *testing.T) {
	m := NewMetrics("obs")
	m.Observe("/v1/sites/{code}.json", "GET", 200, 10*time.Millisecond)
	m.Observe("/v1/sites/{code}.json", "GET", 200, 30*time.Millisecond)
	m.Observe("/v1/sites/{code}.json", "GET", 404, time.Millisecond)
	m.Observe("/v1/sites/{code}.json", "POST", 200, time.Millisecond)

	reqs := gather(t, m, "hostplane_obs_http_requests_total")
	durs := gather(t, m, "hostplane_obs_http_request_duration_seconds")
	tests := []struct {
		labels map[string]string
		count  float64
		sum    float64
	}{
		{labels("/v1/sites/{code}.json", "GET", "200"), 2, 0.040},
		{labels("/v1/sites/{code}.json", "GET", "404"), 1, 0.001},
		{labels("/v1/sites/{code}.json", "POST", "200"), 1, 0.001},
	}
	for _, tt := range tests {
		c, ok := find(reqs, tt.labels)
		if !ok || c.value != tt.count {
			t.Errorf("requests%v = %v (found %v), want %v", tt.labels, c.value, ok, tt.count)
		}
		h, ok := find(durs, tt.labels)
		if !ok || h.value != tt.count || h.sum < tt.sum-1e-9 || h.sum > tt.sum+1e-9 {
			t.Errorf("duration%v = count %v sum %v (found %v), want %v %v", tt.labels, h.value, h.sum, ok, tt.count, tt.sum)
		}
	}
	if len(reqs) != 3 {
		t.Errorf("%d request series, want 3", len(reqs))
	}
}

func TestMetricsMiddleware(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"implicit 200", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }, "200"},
		{"no body", func(w http.ResponseWriter, r *http.Request) {}, "200"},
		{"explicit 201", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(201) }, "201"},
		{"first status wins", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503); w.WriteHeader(200) }, "503"},
		{"404", http.NotFound, "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMetrics("mw")
			h := m.Middleware(func(r *http.Request) string { return "/items/{id}" })(tt.handler)
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("PUT", "/items/123", nil))
			reqs := gather(t, m, "hostplane_mw_http_requests_total")
			if c, ok := find(reqs, labels("/items/{id}", "PUT", tt.want)); !ok || c.value != 1 || len(reqs) != 1 {
				t.Errorf("series = %+v, want one PUT /items/{id} %s", reqs, tt.want)
			}
		})
	}
}

// A handler that panics before answering is served a 500 by the recovery
// middleware outside: it must be counted as a 500, not a 200.
func TestMetricsMiddlewarePanic(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"panic before answering", func(w http.ResponseWriter, r *http.Request) { panic("boom") }, "500"},
		{"panic after the header", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(202); panic("boom") }, "202"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMetrics("panic")
			h := m.Middleware(func(*http.Request) string { return "/p" })(tt.handler)
			func() {
				defer func() { _ = recover() }()
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/p", nil))
			}()
			reqs := gather(t, m, "hostplane_panic_http_requests_total")
			if c, ok := find(reqs, labels("/p", "GET", tt.want)); !ok || c.value != 1 {
				t.Errorf("series = %+v, want GET /p %s", reqs, tt.want)
			}
			if g := gather(t, m, "hostplane_panic_http_requests_in_flight"); len(g) != 1 || g[0].value != 0 {
				t.Errorf("in flight after a panic = %+v, want 0", g)
			}
		})
	}
}

func TestMetricsInFlight(t *testing.T) {
	m := NewMetrics("inflight")
	var during float64
	h := m.Middleware(func(*http.Request) string { return "/x" })(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		during = gather(t, m, "hostplane_inflight_http_requests_in_flight")[0].value
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	after := gather(t, m, "hostplane_inflight_http_requests_in_flight")[0].value
	if during != 1 || after != 0 {
		t.Errorf("in flight during = %v after = %v, want 1 and 0", during, after)
	}
}

func TestMetricsHandler(t *testing.T) {
	m := NewMetrics("exp")
	m.Observe("/a/{id}", "GET", 200, time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	var missing []string
	for _, want := range []string{
		`hostplane_exp_http_requests_total{method="GET",route="/a/{id}",status="200"} 1`,
		`# TYPE hostplane_exp_http_request_duration_seconds histogram`,
		`hostplane_exp_http_requests_in_flight 0`,
		`go_goroutines`,
		`process_`,
	} {
		if !strings.Contains(body, want) {
			missing = append(missing, want)
		}
	}
	sort.Strings(missing)
	if rec.Code != 200 || len(missing) > 0 {
		t.Errorf("status %d, missing %q", rec.Code, missing)
	}
}
