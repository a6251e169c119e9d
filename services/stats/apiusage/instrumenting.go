package apiusage

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/stats/client"
	"github.com/hostplane/hostplane/services/stats/meter"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times every call and counts what batches bring
// (the hits and writes stored also as ingested from usage).
func InstrumentingMiddleware(reg prometheus.Registerer, ingested *meter.Ingested) Middleware {
	calls := telemetry.NewCallTimer(reg, "stats", "apiusage")
	records := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hostplane_stats_usage_records_total",
		Help: "What gateways' usage batches brought: hits, writes stored, dropped (unknown site or malformed).",
	}, []string{"kind"})
	reg.MustRegister(records)
	return func(next Service) Service { return instrumenting{next, calls, records, ingested} }
}

type instrumenting struct {
	next     Service
	calls    *telemetry.CallTimer
	records  *prometheus.CounterVec
	ingested *meter.Ingested
}

func (m instrumenting) Record(ctx context.Context, u client.Usage) (r Recorded, err error) {
	defer func(t time.Time) {
		m.calls.Observe("record", t, err)
		m.records.WithLabelValues("hits").Add(float64(r.Hits))
		m.records.WithLabelValues("writes").Add(float64(r.Writes))
		m.records.WithLabelValues("dropped").Add(float64(r.Dropped))
		if err == nil {
			m.ingested.Add(meter.SourceUsage, r.Hits+r.Writes)
		}
	}(time.Now())
	return m.next.Record(ctx, u)
}
