package backups

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/sites/jobs"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome.
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service { return logging{next, telemetry.CallLogger{Log: log, Aggregate: "backups"}} }
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) List(ctx context.Context, code string) (bs []Backup, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "code", code, "count", len(bs)) }(time.Now())
	return l.next.List(ctx, code)
}

func (l logging) Create(ctx context.Context, code, key string) (j jobs.Job, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "create", t, err, "code", code, "job_id", j.ID) }(time.Now())
	return l.next.Create(ctx, code, key)
}

func (l logging) Restore(ctx context.Context, code, ref, key string) (j jobs.Job, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "restore", t, err, "code", code, "backup", ref, "job_id", j.ID) }(time.Now())
	return l.next.Restore(ctx, code, ref, key)
}

func (l logging) RunBackup(ctx context.Context, j jobs.Job, p *jobs.Progress) (r any, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "run_backup", t, err, "job_id", j.ID, "site_id", j.SiteID) }(time.Now())
	return l.next.RunBackup(ctx, j, p)
}

func (l logging) RunRestore(ctx context.Context, j jobs.Job, p *jobs.Progress) (r any, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "run_restore", t, err, "job_id", j.ID, "site_id", j.SiteID) }(time.Now())
	return l.next.RunRestore(ctx, j, p)
}
