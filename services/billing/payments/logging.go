package payments

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome (ids
// only: no amounts, names or secrets).
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "payments"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Create(ctx context.Context, in Input) (p Payment, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "create", t, err, "payment_id", p.ID) }(time.Now())
	return l.next.Create(ctx, in)
}

func (l logging) Get(ctx context.Context, id int64) (p Payment, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err, "payment_id", id) }(time.Now())
	return l.next.Get(ctx, id)
}

func (l logging) List(ctx context.Context, f ListFilter) (ps []Payment, n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "total", n) }(time.Now())
	return l.next.List(ctx, f)
}

func (l logging) Update(ctx context.Context, id int64, in Input) (p Payment, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "update", t, err, "payment_id", id) }(time.Now())
	return l.next.Update(ctx, id, in)
}

func (l logging) Delete(ctx context.Context, id int64) (p Payment, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "delete", t, err, "payment_id", id) }(time.Now())
	return l.next.Delete(ctx, id)
}
