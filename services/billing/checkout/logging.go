package checkout

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome (ids
// only: no amounts, names or secrets).
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "checkout"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Register(ctx context.Context, r Request) (res Result, err error) {
	defer func(t time.Time) {
		l.log.Done(ctx, "register", t, err, "customer_id", res.Customer.ID, "membership_id", res.Membership.ID, "payment_id", res.Payment.ID)
	}(time.Now())
	return l.next.Register(ctx, r)
}
