package backups

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome, and counts
// the bytes of the archives backup jobs write
// (hostplane_sites_backup_bytes_total, which the dashboards use).
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "sites", "backups")
	written := prometheus.NewCounter(prometheus.CounterOpts{
		Name: telemetry.Name("sites", "backup_bytes_total"),
		Help: "Bytes of backup archives written (compressed).",
	})
	reg.MustRegister(written)
	return func(next Service) Service { return instrumenting{next, calls, written} }
}

type instrumenting struct {
	next    Service
	calls   *telemetry.CallTimer
	written prometheus.Counter
}

func (m instrumenting) List(ctx context.Context, code string) (bs []Backup, err error) {
	defer func(t time.Time) { m.calls.Observe("list", t, err) }(time.Now())
	return m.next.List(ctx, code)
}

func (m instrumenting) Create(ctx context.Context, code, key string) (j jobs.Job, err error) {
	defer func(t time.Time) { m.calls.Observe("create", t, err) }(time.Now())
	return m.next.Create(ctx, code, key)
}

func (m instrumenting) Restore(ctx context.Context, code, ref, key string) (j jobs.Job, err error) {
	defer func(t time.Time) { m.calls.Observe("restore", t, err) }(time.Now())
	return m.next.Restore(ctx, code, ref, key)
}

func (m instrumenting) RunBackup(ctx context.Context, j jobs.Job, p *jobs.Progress) (r any, err error) {
	defer func(t time.Time) { m.calls.Observe("run_backup", t, err) }(time.Now())
	r, err = m.next.RunBackup(ctx, j, p)
	if res, ok := r.(Result); ok && err == nil {
		m.written.Add(float64(res.Size))
	}
	return r, err
}

func (m instrumenting) RunRestore(ctx context.Context, j jobs.Job, p *jobs.Progress) (r any, err error) {
	defer func(t time.Time) { m.calls.Observe("run_restore", t, err) }(time.Now())
	return m.next.RunRestore(ctx, j, p)
}
