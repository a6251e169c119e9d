package quota

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times every call.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "stats", "quota")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (m instrumenting) Usage(ctx context.Context, code string) (u Usage, err error) {
	defer func(t time.Time) { m.calls.Observe("usage", t, err) }(time.Now())
	return m.next.Usage(ctx, code)
}
