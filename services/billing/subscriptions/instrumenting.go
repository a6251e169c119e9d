package subscriptions

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "billing", "subscriptions")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (mw instrumenting) OfSite(ctx context.Context, code string) (sub Subscription, err error) {
	defer func(t time.Time) { mw.calls.Observe("of_site", t, err) }(time.Now())
	return mw.next.OfSite(ctx, code)
}

func (mw instrumenting) Options(ctx context.Context, m memberships.Membership) (opts []Option, err error) {
	defer func(t time.Time) { mw.calls.Observe("options", t, err) }(time.Now())
	return mw.next.Options(ctx, m)
}
