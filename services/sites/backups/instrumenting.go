package backups

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "sites", "backups")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
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
	return m.next.RunBackup(ctx, j, p)
}

func (m instrumenting) RunRestore(ctx context.Context, j jobs.Job, p *jobs.Progress) (r any, err error) {
	defer func(t time.Time) { m.calls.Observe("run_restore", t, err) }(time.Now())
	return m.next.RunRestore(ctx, j, p)
}
