package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome.
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service { return logging{next, telemetry.CallLogger{Log: log, Aggregate: "jobs"}} }
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Enqueue(ctx context.Context, in New) (j Job, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "enqueue", t, err, "kind", in.Kind, "job_id", j.ID) }(time.Now())
	return l.next.Enqueue(ctx, in)
}

func (l logging) Get(ctx context.Context, code string, id int64) (j Job, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err, "code", code, "job_id", id) }(time.Now())
	return l.next.Get(ctx, code, id)
}
