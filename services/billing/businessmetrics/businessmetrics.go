// Package businessmetrics counts what billing's events say happened, for
// the operations dashboards: payments by the status they reached, revenue
// of completed payments per currency, sign-ups, and the memberships active
// now. Counters are fed by the events the outbox relay publishes, so a
// change rolled back (a failed checkout) is never counted; the gauge is a
// count of the store, refreshed when a membership event passes and
// periodically (another instance's changes).
package businessmetrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hostplane/hostplane/libs/money"
	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/billing/payments"
)

const component = "billing"

// Metrics are billing's business metrics.
type Metrics struct {
	payments *prometheus.CounterVec
	revenue  *prometheus.CounterVec
	signups  prometheus.Counter
	active   prometheus.Gauge
}

// New registers the metrics on reg, every known label value initialised so
// each series exists at zero on a fresh process.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		payments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: telemetry.Name(component, "payments_total"),
			Help: "Payments that reached a status (created in it or moved to it), by status.",
		}, []string{"status"}),
		revenue: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: telemetry.Name(component, "revenue_total"),
			Help: "Total of completed payments, in currency units, by currency.",
		}, []string{"currency"}),
		signups: prometheus.NewCounter(prometheus.CounterOpts{
			Name: telemetry.Name(component, "signups_total"),
			Help: "Customers created.",
		}),
		active: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: telemetry.Name(component, "memberships_active"),
			Help: "Memberships whose status is active.",
		}),
	}
	reg.MustRegister(m.payments, m.revenue, m.signups, m.active)
	for _, s := range payments.Statuses {
		m.payments.WithLabelValues(s)
	}
	for _, c := range money.Codes() {
		m.revenue.WithLabelValues(c)
	}
	return m
}
