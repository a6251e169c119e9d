package activity

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times every call and counts the calls recorded.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "auth", "activity")
	recorded := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "hostplane_auth_activity_recorded_total",
		Help: "Key calls recorded in activity logs.",
	})
	reg.MustRegister(recorded)
	return func(next Service) Service { return instrumenting{next, calls, recorded} }
}

type instrumenting struct {
	next     Service
	calls    *telemetry.CallTimer
	recorded prometheus.Counter
}

func (m instrumenting) Record(ctx context.Context, calls []Call) (n int, err error) {
	defer func(t time.Time) {
		m.calls.Observe("record", t, err)
		m.recorded.Add(float64(n))
	}(time.Now())
	return m.next.Record(ctx, calls)
}

func (m instrumenting) List(ctx context.Context, keyID int64, offset, limit int) (cs []Call, total int, err error) {
	defer func(t time.Time) { m.calls.Observe("list", t, err) }(time.Now())
	return m.next.List(ctx, keyID, offset, limit)
}
