package groups

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "billing", "groups")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (m instrumenting) Create(ctx context.Context, in Input) (g Group, err error) {
	defer func(t time.Time) { m.calls.Observe("create", t, err) }(time.Now())
	return m.next.Create(ctx, in)
}

func (m instrumenting) Get(ctx context.Context, id int64) (g Group, err error) {
	defer func(t time.Time) { m.calls.Observe("get", t, err) }(time.Now())
	return m.next.Get(ctx, id)
}

func (m instrumenting) List(ctx context.Context, f ListFilter) (gs []Group, n int, err error) {
	defer func(t time.Time) { m.calls.Observe("list", t, err) }(time.Now())
	return m.next.List(ctx, f)
}

func (m instrumenting) Update(ctx context.Context, id int64, in Input) (g Group, err error) {
	defer func(t time.Time) { m.calls.Observe("update", t, err) }(time.Now())
	return m.next.Update(ctx, id, in)
}

func (m instrumenting) Delete(ctx context.Context, id int64) (g Group, err error) {
	defer func(t time.Time) { m.calls.Observe("delete", t, err) }(time.Now())
	return m.next.Delete(ctx, id)
}
