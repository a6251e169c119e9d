package payments

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "billing", "payments")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (mw instrumenting) Create(ctx context.Context, in Input) (p Payment, err error) {
	defer func(t time.Time) { mw.calls.Observe("create", t, err) }(time.Now())
	return mw.next.Create(ctx, in)
}

func (mw instrumenting) Get(ctx context.Context, id int64) (p Payment, err error) {
	defer func(t time.Time) { mw.calls.Observe("get", t, err) }(time.Now())
	return mw.next.Get(ctx, id)
}

func (mw instrumenting) List(ctx context.Context, f ListFilter) (ps []Payment, n int, err error) {
	defer func(t time.Time) { mw.calls.Observe("list", t, err) }(time.Now())
	return mw.next.List(ctx, f)
}

func (mw instrumenting) Update(ctx context.Context, id int64, in Input) (p Payment, err error) {
	defer func(t time.Time) { mw.calls.Observe("update", t, err) }(time.Now())
	return mw.next.Update(ctx, id, in)
}

func (mw instrumenting) Delete(ctx context.Context, id int64) (p Payment, err error) {
	defer func(t time.Time) { mw.calls.Observe("delete", t, err) }(time.Now())
	return mw.next.Delete(ctx, id)
}
