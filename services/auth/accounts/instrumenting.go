package accounts

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times every call.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "auth", "accounts")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (m instrumenting) Get(ctx context.Context) (a Account, err error) {
	defer func(t time.Time) { m.calls.Observe("get", t, err) }(time.Now())
	return m.next.Get(ctx)
}

func (m instrumenting) UpdateContact(ctx context.Context, p ContactPatch) (a Account, err error) {
	defer func(t time.Time) { m.calls.Observe("update_contact", t, err) }(time.Now())
	return m.next.UpdateContact(ctx, p)
}

func (m instrumenting) EnsureOperator(ctx context.Context) (err error) {
	defer func(t time.Time) { m.calls.Observe("ensure_operator", t, err) }(time.Now())
	return m.next.EnsureOperator(ctx)
}
