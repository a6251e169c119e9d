package subscriptions

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/billing/memberships"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome (ids
// only: no amounts, names or secrets).
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "subscriptions"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) OfSite(ctx context.Context, code string) (sub Subscription, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "of_site", t, err, "membership_id", sub.Membership.ID) }(time.Now())
	return l.next.OfSite(ctx, code)
}

func (l logging) Options(ctx context.Context, m memberships.Membership) (opts []Option, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "options", t, err, "membership_id", m.ID) }(time.Now())
	return l.next.Options(ctx, m)
}
