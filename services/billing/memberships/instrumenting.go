package memberships

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "billing", "memberships")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (mw instrumenting) Create(ctx context.Context, in Input) (m Membership, err error) {
	defer func(t time.Time) { mw.calls.Observe("create", t, err) }(time.Now())
	return mw.next.Create(ctx, in)
}

func (mw instrumenting) Get(ctx context.Context, id int64) (m Membership, err error) {
	defer func(t time.Time) { mw.calls.Observe("get", t, err) }(time.Now())
	return mw.next.Get(ctx, id)
}

func (mw instrumenting) List(ctx context.Context, f ListFilter) (ms []Membership, n int, err error) {
	defer func(t time.Time) { mw.calls.Observe("list", t, err) }(time.Now())
	return mw.next.List(ctx, f)
}

func (mw instrumenting) Update(ctx context.Context, id int64, in Input) (m Membership, err error) {
	defer func(t time.Time) { mw.calls.Observe("update", t, err) }(time.Now())
	return mw.next.Update(ctx, id, in)
}

func (mw instrumenting) Delete(ctx context.Context, id int64) (m Membership, err error) {
	defer func(t time.Time) { mw.calls.Observe("delete", t, err) }(time.Now())
	return mw.next.Delete(ctx, id)
}

func (mw instrumenting) Suspend(ctx context.Context, id int64, reason string) (m Membership, err error) {
	defer func(t time.Time) { mw.calls.Observe("suspend", t, err) }(time.Now())
	return mw.next.Suspend(ctx, id, reason)
}

func (mw instrumenting) Unsuspend(ctx context.Context, id int64) (m Membership, err error) {
	defer func(t time.Time) { mw.calls.Observe("unsuspend", t, err) }(time.Now())
	return mw.next.Unsuspend(ctx, id)
}

func (mw instrumenting) Expire(ctx context.Context, id int64) (m Membership, err error) {
	defer func(t time.Time) { mw.calls.Observe("expire", t, err) }(time.Now())
	return mw.next.Expire(ctx, id)
}

func (mw instrumenting) Cancel(ctx context.Context, id int64, reason string) (m Membership, err error) {
	defer func(t time.Time) { mw.calls.Observe("cancel", t, err) }(time.Now())
	return mw.next.Cancel(ctx, id, reason)
}
