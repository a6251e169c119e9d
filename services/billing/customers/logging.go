package customers

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome.
// Passwords, emails and free text are never logged: ids only.
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service { return logging{next, log} }
}

type logging struct {
	next Service
	log  *slog.Logger
}

func (l logging) done(ctx context.Context, method string, start time.Time, err error, attrs ...any) {
	attrs = append(attrs, "method", method, "took", time.Since(start).String())
	if err != nil {
		e := errs.From(err)
		attrs = append(attrs, "kind", string(e.Kind), "err", err.Error())
		if e.Kind == errs.Internal {
			l.log.ErrorContext(ctx, "customers", attrs...)
			return
		}
	}
	l.log.DebugContext(ctx, "customers", attrs...)
}

func (l logging) Create(ctx context.Context, in NewCustomer) (c Customer, err error) {
	defer func(t time.Time) { l.done(ctx, "create", t, err, "customer_id", c.ID, "user_id", c.UserID) }(time.Now())
	return l.next.Create(ctx, in)
}

func (l logging) Get(ctx context.Context, id int64) (c Customer, err error) {
	defer func(t time.Time) { l.done(ctx, "get", t, err, "customer_id", id) }(time.Now())
	return l.next.Get(ctx, id)
}

func (l logging) List(ctx context.Context, f ListFilter) (cs []Customer, n int, err error) {
	defer func(t time.Time) { l.done(ctx, "list", t, err, "total", n) }(time.Now())
	return l.next.List(ctx, f)
}

func (l logging) Update(ctx context.Context, id int64, p Patch) (c Customer, err error) {
	defer func(t time.Time) { l.done(ctx, "update", t, err, "customer_id", id) }(time.Now())
	return l.next.Update(ctx, id, p)
}

func (l logging) Delete(ctx context.Context, id int64) (c Customer, err error) {
	defer func(t time.Time) { l.done(ctx, "delete", t, err, "customer_id", id) }(time.Now())
	return l.next.Delete(ctx, id)
}
