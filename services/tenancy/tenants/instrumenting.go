package tenants

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "tenancy", "tenants")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (m instrumenting) Bootstrap(ctx context.Context, id int64) (st Status, accepted bool, err error) {
	defer func(t time.Time) { m.calls.Observe("bootstrap", t, err) }(time.Now())
	return m.next.Bootstrap(ctx, id)
}

func (m instrumenting) Status(ctx context.Context, id int64) (st Status, err error) {
	defer func(t time.Time) { m.calls.Observe("status", t, err) }(time.Now())
	return m.next.Status(ctx, id)
}

func (m instrumenting) Verify(ctx context.Context, id int64) (st Status, err error) {
	defer func(t time.Time) { m.calls.Observe("verify", t, err) }(time.Now())
	return m.next.Verify(ctx, id)
}

func (m instrumenting) Delete(ctx context.Context, id int64) (st Status, err error) {
	defer func(t time.Time) { m.calls.Observe("delete", t, err) }(time.Now())
	return m.next.Delete(ctx, id)
}

func (m instrumenting) CreateSharedTables(ctx context.Context, id int64) (tables []string, err error) {
	defer func(t time.Time) { m.calls.Observe("create_shared_tables", t, err) }(time.Now())
	return m.next.CreateSharedTables(ctx, id)
}

// Resume passes through to the wrapped service.
func (m instrumenting) Resume(ctx context.Context) error { return Resume(ctx, m.next) }
