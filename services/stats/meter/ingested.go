// Package meter holds the stats service's ingestion metrics, the series
// the operators' dashboards and alerts read: the events taken in by source
// (hostplane_stats_events_ingested_total{source}) and how far the consumer
// group is behind each event stream (hostplane_stats_consumer_lag{stream}).
// Every known label value is initialised at start-up, so each series
// exists at zero on a fresh process.
package meter

import (
	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// The sources of ingested events.
const (
	SourceStream = "stream" // other services' domain events
	SourceAPI    = "api"    // front-office event batches (POST events.json)
	SourceBeacon = "beacon" // public pageview beacons (POST /collect)
	SourceUsage  = "usage"  // gateways' usage batches (API hits and writes)
)

// Sources are every source, in the order they are initialised.
var Sources = []string{SourceStream, SourceAPI, SourceBeacon, SourceUsage}

// Ingested counts the events stored, by source. A nil *Ingested counts
// nothing.
type Ingested struct {
	vec *prometheus.CounterVec
}

// NewIngested registers hostplane_stats_events_ingested_total on reg with
// every source at zero.
func NewIngested(reg prometheus.Registerer) *Ingested {
	vec := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: telemetry.Name("stats", "events_ingested_total"),
		Help: "Events stored by the stats service, by source (stream, api, beacon, usage).",
	}, []string{"source"})
	reg.MustRegister(vec)
	for _, s := range Sources {
		vec.WithLabelValues(s)
	}
	return &Ingested{vec: vec}
}

// Add counts n events of source.
func (i *Ingested) Add(source string, n int) {
	if i == nil || n <= 0 {
		return
	}
	i.vec.WithLabelValues(source).Add(float64(n))
}

// Vec is the counter (tests).
func (i *Ingested) Vec() *prometheus.CounterVec { return i.vec }
