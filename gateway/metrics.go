package gateway

import (
	"github.com/hostplane/hostplane/gateway/authcache"
	"github.com/hostplane/hostplane/gateway/routes"
	"github.com/hostplane/hostplane/libs/discovery"
	"github.com/prometheus/client_golang/prometheus"
)

// gatewayMetrics are the gateway's own metrics beyond request RED.
type gatewayMetrics struct {
	authFailures *prometheus.CounterVec
	rateLimited  *prometheus.CounterVec
	upstream     *prometheus.HistogramVec
	fallback     prometheus.Gauge
	upstreamObs  map[string]prometheus.Observer
}

func newGatewayMetrics(reg prometheus.Registerer, cache *authcache.Cache, resolver discovery.Resolver) *gatewayMetrics {
	m := &gatewayMetrics{
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hostplane_gateway_auth_failures_total",
			Help: "Refused authentications by reason.",
		}, []string{"reason"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hostplane_gateway_rate_limited_total",
			Help: "Requests refused with 429, by kind (key or auth_failure) and dialect.",
		}, []string{"kind", "dialect"}),
		upstream: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hostplane_gateway_upstream_duration_seconds",
			Help:    "Time to an upstream's answer, by service.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"service"}),
		fallback: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hostplane_gateway_limiter_fallback",
			Help: "1 while rate limits are decided in process because Redis is unreachable.",
		}),
		upstreamObs: map[string]prometheus.Observer{},
	}
	reg.MustRegister(m.authFailures, m.rateLimited, m.upstream, m.fallback)
	for _, s := range routes.Upstreams {
		m.upstreamObs[s] = m.upstream.WithLabelValues(s)
		svc := s
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "hostplane_gateway_upstream_instances",
			Help:        "Healthy instances known per service.",
			ConstLabels: prometheus.Labels{"service": svc},
		}, func() float64 { return float64(len(resolver.Instances(svc))) }))
	}
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hostplane_gateway_auth_cache_hits_total",
			Help: "Credential verifications answered from the cache.",
		}, func() float64 { h, _ := cache.Stats(); return float64(h) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hostplane_gateway_auth_cache_misses_total",
			Help: "Credential verifications that asked the auth service.",
		}, func() float64 { _, m := cache.Stats(); return float64(m) }),
	)
	return m
}
