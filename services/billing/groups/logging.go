package groups

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome (ids only).
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service { return logging{next, telemetry.CallLogger{Log: log, Aggregate: "groups"}} }
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Create(ctx context.Context, in Input) (g Group, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "create", t, err, "group_id", g.ID) }(time.Now())
	return l.next.Create(ctx, in)
}

func (l logging) Get(ctx context.Context, id int64) (g Group, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err, "group_id", id) }(time.Now())
	return l.next.Get(ctx, id)
}

func (l logging) List(ctx context.Context, f ListFilter) (gs []Group, n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "total", n) }(time.Now())
	return l.next.List(ctx, f)
}

func (l logging) Update(ctx context.Context, id int64, in Input) (g Group, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "update", t, err, "group_id", id) }(time.Now())
	return l.next.Update(ctx, id, in)
}

func (l logging) Delete(ctx context.Context, id int64) (g Group, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "delete", t, err, "group_id", id) }(time.Now())
	return l.next.Delete(ctx, id)
}
