package traffic

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/stats/meter"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times every call and counts the events stored
// (also as ingested: api for batches, beacon for beacons).
func InstrumentingMiddleware(reg prometheus.Registerer, ingested *meter.Ingested) Middleware {
	calls := telemetry.NewCallTimer(reg, "stats", "traffic")
	stored := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hostplane_stats_events_stored_total",
		Help: "Front-office events stored, by source (batch or beacon).",
	}, []string{"source"})
	reg.MustRegister(stored)
	return func(next Service) Service { return instrumenting{next, calls, stored, ingested} }
}

type instrumenting struct {
	next     Service
	calls    *telemetry.CallTimer
	stored   *prometheus.CounterVec
	ingested *meter.Ingested
}

func (m instrumenting) Ingest(ctx context.Context, code string, in IngestRequest) (a Appended, err error) {
	defer func(t time.Time) {
		m.calls.Observe("ingest", t, err)
		if err == nil && !a.Replayed {
			m.stored.WithLabelValues("batch").Add(float64(a.Accepted))
			m.ingested.Add(meter.SourceAPI, a.Accepted)
		}
	}(time.Now())
	return m.next.Ingest(ctx, code, in)
}

func (m instrumenting) Collect(ctx context.Context, b Beacon) (err error) {
	defer func(t time.Time) {
		m.calls.Observe("collect", t, err)
		if err == nil {
			m.stored.WithLabelValues("beacon").Inc()
			m.ingested.Add(meter.SourceBeacon, 1)
		}
	}(time.Now())
	return m.next.Collect(ctx, b)
}

func (m instrumenting) Report(ctx context.Context, code string, start, end time.Time) (r Report, err error) {
	defer func(t time.Time) { m.calls.Observe("report", t, err) }(time.Now())
	return m.next.Report(ctx, code, start, end)
}

func (m instrumenting) Stats(ctx context.Context, code string) (s SiteStats, err error) {
	defer func(t time.Time) { m.calls.Observe("stats", t, err) }(time.Now())
	return m.next.Stats(ctx, code)
}

func (m instrumenting) Live(ctx context.Context, code string) (n int64, err error) {
	defer func(t time.Time) { m.calls.Observe("live", t, err) }(time.Now())
	return m.next.Live(ctx, code)
}

func (m instrumenting) CollectKey(ctx context.Context, code string) (c CollectInfo, err error) {
	defer func(t time.Time) { m.calls.Observe("collect_key", t, err) }(time.Now())
	return m.next.CollectKey(ctx, code)
}
