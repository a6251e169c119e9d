package activity

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times every call.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "stats", "activity")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (m instrumenting) List(ctx context.Context, code string, q Query) (es []Entry, n int, err error) {
	defer func(t time.Time) { m.calls.Observe("list", t, err) }(time.Now())
	return m.next.List(ctx, code, q)
}
