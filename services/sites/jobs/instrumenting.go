package jobs

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "sites", "jobs")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (m instrumenting) Enqueue(ctx context.Context, in New) (j Job, err error) {
	defer func(t time.Time) { m.calls.Observe("enqueue", t, err) }(time.Now())
	return m.next.Enqueue(ctx, in)
}

func (m instrumenting) Get(ctx context.Context, code string, id int64) (j Job, err error) {
	defer func(t time.Time) { m.calls.Observe("get", t, err) }(time.Now())
	return m.next.Get(ctx, code, id)
}
