package domains

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "sites", "domains")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (m instrumenting) Create(ctx context.Context, in NewDomain) (d Domain, err error) {
	defer func(t time.Time) { m.calls.Observe("create", t, err) }(time.Now())
	return m.next.Create(ctx, in)
}

func (m instrumenting) Get(ctx context.Context, id int64) (d Domain, err error) {
	defer func(t time.Time) { m.calls.Observe("get", t, err) }(time.Now())
	return m.next.Get(ctx, id)
}

func (m instrumenting) List(ctx context.Context, f ListFilter) (ds []Domain, n int, err error) {
	defer func(t time.Time) { m.calls.Observe("list", t, err) }(time.Now())
	return m.next.List(ctx, f)
}

func (m instrumenting) Update(ctx context.Context, id int64, p Patch) (d Domain, err error) {
	defer func(t time.Time) { m.calls.Observe("update", t, err) }(time.Now())
	return m.next.Update(ctx, id, p)
}

func (m instrumenting) Delete(ctx context.Context, id int64) (d Domain, err error) {
	defer func(t time.Time) { m.calls.Observe("delete", t, err) }(time.Now())
	return m.next.Delete(ctx, id)
}
