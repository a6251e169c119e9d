package domains

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
	return func(next Service) Service { return logging{next, telemetry.CallLogger{Log: log, Aggregate: "domains"}} }
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Create(ctx context.Context, in NewDomain) (d Domain, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "create", t, err, "domain_id", d.ID, "site_id", d.SiteID) }(time.Now())
	return l.next.Create(ctx, in)
}

func (l logging) Get(ctx context.Context, id int64) (d Domain, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err, "domain_id", id) }(time.Now())
	return l.next.Get(ctx, id)
}

func (l logging) List(ctx context.Context, f ListFilter) (ds []Domain, n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "total", n) }(time.Now())
	return l.next.List(ctx, f)
}

func (l logging) Update(ctx context.Context, id int64, p Patch) (d Domain, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "update", t, err, "domain_id", id) }(time.Now())
	return l.next.Update(ctx, id, p)
}

func (l logging) Delete(ctx context.Context, id int64) (d Domain, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "delete", t, err, "domain_id", id) }(time.Now())
	return l.next.Delete(ctx, id)
}
