package jobs

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the job system's series that the operations dashboards and
// alerts use: hostplane_sites_jobs_total{type,state} counts finished jobs
// (type create|copy|backup|restore, state done|halt), and
// hostplane_sites_jobs_queued is the number of jobs todo or working,
// counted in the store at each scrape (so it is right across instances).
type Metrics struct {
	finished *prometheus.CounterVec
}

// metricTypes are the values of the type label, one per kind of job.
func metricTypes() map[string]string {
	return map[string]string{
		KindSiteCreate:    "create",
		KindSiteCopy:      "copy",
		KindBackupCreate:  "backup",
		KindBackupRestore: "restore",
	}
}

// NewMetrics registers the job series on reg, every known type and state
// at zero. queued counts the unfinished jobs (Store.Queued).
func NewMetrics(reg prometheus.Registerer, queued func(context.Context) (int, error)) *Metrics {
	m := &Metrics{finished: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: telemetry.Name("sites", "jobs_total"),
		Help: "Jobs finished, by type (create, copy, backup, restore) and state (done, halt).",
	}, []string{"type", "state"})}
	for _, typ := range metricTypes() {
		for _, state := range []string{StatusDone, StatusHalt} {
			m.finished.WithLabelValues(typ, state)
		}
	}
	gauge := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: telemetry.Name("sites", "jobs_queued"),
		Help: "Jobs not finished yet (todo or working).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := queued(ctx)
		if err != nil {
			return 0
		}
		return float64(n)
	})
	reg.MustRegister(m.finished, gauge)
	return m
}

// Finished counts job j ended in state (done or halt). A nil m counts
// nothing; a kind outside the known types is not counted.
func (m *Metrics) Finished(j Job, state string) {
	if m == nil {
		return
	}
	if typ, ok := metricTypes()[j.Kind]; ok {
		m.finished.WithLabelValues(typ, state).Inc()
	}
}
