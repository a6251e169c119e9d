package customers

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome.
// Passwords, emails and free text are never logged: ids only.
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "customers"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Create(ctx context.Context, in NewCustomer) (c Customer, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "create", t, err, "customer_id", c.ID, "user_id", c.UserID) }(time.Now())
	return l.next.Create(ctx, in)
}

func (l logging) Get(ctx context.Context, id int64) (c Customer, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err, "customer_id", id) }(time.Now())
	return l.next.Get(ctx, id)
}

func (l logging) List(ctx context.Context, f ListFilter) (cs []Customer, n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "total", n) }(time.Now())
	return l.next.List(ctx, f)
}

func (l logging) Update(ctx context.Context, id int64, p Patch) (c Customer, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "update", t, err, "customer_id", id) }(time.Now())
	return l.next.Update(ctx, id, p)
}

func (l logging) Delete(ctx context.Context, id int64) (c Customer, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "delete", t, err, "customer_id", id) }(time.Now())
	return l.next.Delete(ctx, id)
}

func (l logging) Act(ctx context.Context, id int64, action string) (c Customer, err error) {
	defer func(t time.Time) { l.log.Done(ctx, action, t, err, "customer_id", id) }(time.Now())
	return l.next.Act(ctx, id, action)
}
