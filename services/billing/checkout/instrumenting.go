package checkout

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "billing", "checkout")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (mw instrumenting) Register(ctx context.Context, r Request) (res Result, err error) {
	defer func(t time.Time) { mw.calls.Observe("register", t, err) }(time.Now())
	return mw.next.Register(ctx, r)
}
