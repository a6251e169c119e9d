package memberships

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome (ids
// only: no amounts, names or reasons).
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "memberships"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Create(ctx context.Context, in Input) (m Membership, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "create", t, err, "membership_id", m.ID) }(time.Now())
	return l.next.Create(ctx, in)
}

func (l logging) Get(ctx context.Context, id int64) (m Membership, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err, "membership_id", id) }(time.Now())
	return l.next.Get(ctx, id)
}

func (l logging) List(ctx context.Context, f ListFilter) (ms []Membership, n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "total", n) }(time.Now())
	return l.next.List(ctx, f)
}

func (l logging) Update(ctx context.Context, id int64, in Input) (m Membership, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "update", t, err, "membership_id", id) }(time.Now())
	return l.next.Update(ctx, id, in)
}

func (l logging) Delete(ctx context.Context, id int64) (m Membership, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "delete", t, err, "membership_id", id) }(time.Now())
	return l.next.Delete(ctx, id)
}

func (l logging) Suspend(ctx context.Context, id int64, reason string) (m Membership, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "suspend", t, err, "membership_id", id) }(time.Now())
	return l.next.Suspend(ctx, id, reason)
}

func (l logging) Unsuspend(ctx context.Context, id int64) (m Membership, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "unsuspend", t, err, "membership_id", id) }(time.Now())
	return l.next.Unsuspend(ctx, id)
}

func (l logging) Expire(ctx context.Context, id int64) (m Membership, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "expire", t, err, "membership_id", id) }(time.Now())
	return l.next.Expire(ctx, id)
}

func (l logging) Cancel(ctx context.Context, id int64, reason string) (m Membership, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "cancel", t, err, "membership_id", id) }(time.Now())
	return l.next.Cancel(ctx, id, reason)
}
