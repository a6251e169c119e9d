package telemetry

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is a component's Prometheus registry with the HTTP server metrics
// every component exports.
type Metrics struct {
	Component string
	Registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	inflight  prometheus.Gauge

	mu       sync.RWMutex
	children map[childKey]child
}

type childKey struct {
	route, method string
	status        int
}

type child struct {
	count prometheus.Counter
	dur   prometheus.Observer
}

// LatencyBuckets are the histogram buckets (seconds) of request latency.
var LatencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// NewMetrics returns the registry of component with Go and process
// collectors and the HTTP request metrics registered.
func NewMetrics(component string) *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{
		Component: component,
		Registry:  reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: Name(component, "http_requests_total"),
			Help: "HTTP requests served, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    Name(component, "http_request_duration_seconds"),
			Help:    "HTTP request latency, by route pattern, method and status.",
			Buckets: LatencyBuckets,
		}, []string{"route", "method", "status"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: Name(component, "http_requests_in_flight"),
			Help: "HTTP requests being served.",
		}),
		children: map[childKey]child{},
	}
	reg.MustRegister(m.requests, m.duration, m.inflight)
	return m
}

// Name builds hostplane_<component>_<thing>.
func Name(component, thing string) string { return "hostplane_" + component + "_" + thing }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Observe records one served request.
func (m *Metrics) Observe(route, method string, status int, d time.Duration) {
	k := childKey{route, method, status}
	m.mu.RLock()
	c, ok := m.children[k]
	m.mu.RUnlock()
	if !ok {
		s := strconv.Itoa(status)
		c = child{m.requests.WithLabelValues(route, method, s), m.duration.WithLabelValues(route, method, s)}
		m.mu.Lock()
		m.children[k] = c
		m.mu.Unlock()
	}
	c.count.Inc()
	c.dur.Observe(d.Seconds())
}

// Middleware records every request under the route routeOf names (use the
// matched pattern, never the raw path, to bound cardinality).
func (m *Metrics) Middleware(routeOf func(*http.Request) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			m.inflight.Inc()
			sw := NewStatusWriter(w)
			returned := false
			defer func() {
				m.inflight.Dec()
				m.Observe(routeOf(r), r.Method, finalStatus(sw, returned), time.Since(start))
			}()
			next.ServeHTTP(sw, r)
			returned = true
		})
	}
}
