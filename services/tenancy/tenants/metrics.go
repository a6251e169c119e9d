package tenants

import (
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// Outcomes of the counters, every one present from start-up.
const (
	resultReady  = "ready"
	resultFailed = "failed"
	resultPassed = "passed"
)

// Metrics are the series the operations dashboards and alerts read:
// bootstraps by result, how long a bootstrap job takes to ready, and
// verification runs by result. A nil *Metrics records nothing.
type Metrics struct {
	bootstraps    *prometheus.CounterVec
	duration      prometheus.Histogram
	verifications *prometheus.CounterVec
}

// NewMetrics registers the tenancy metrics on reg, each known label value
// initialised so that every series exists at zero on a fresh process.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		bootstraps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: telemetry.Name("tenancy", "bootstraps_total"),
			Help: "Bootstrap jobs finished, by result (ready|failed).",
		}, []string{"result"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    telemetry.Name("tenancy", "bootstrap_duration_seconds"),
			Help:    "Time of a bootstrap job from its start (or resume) to ready.",
			Buckets: []float64{0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800},
		}),
		verifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: telemetry.Name("tenancy", "verifications_total"),
			Help: "Verification runs (bootstrap's verify step and POST verify), by result (passed|failed).",
		}, []string{"result"}),
	}
	reg.MustRegister(m.bootstraps, m.duration, m.verifications)
	m.bootstraps.WithLabelValues(resultReady)
	m.bootstraps.WithLabelValues(resultFailed)
	m.verifications.WithLabelValues(resultPassed)
	m.verifications.WithLabelValues(resultFailed)
	return m
}

// ready records a bootstrap job that reached ready after took.
func (m *Metrics) ready(took time.Duration) {
	if m == nil {
		return
	}
	m.bootstraps.WithLabelValues(resultReady).Inc()
	m.duration.Observe(took.Seconds())
}

// failed records a bootstrap job that stopped on a failed step.
func (m *Metrics) failed() {
	if m == nil {
		return
	}
	m.bootstraps.WithLabelValues(resultFailed).Inc()
}

// verified records one run of the checks.
func (m *Metrics) verified(c Checks) {
	if m == nil {
		return
	}
	result := resultFailed
	if c.AllPassed() {
		result = resultPassed
	}
	m.verifications.WithLabelValues(result).Inc()
}
