package accounts

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome; a
// contact change is logged with the key that made it (not its content).
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "accounts"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Get(ctx context.Context) (a Account, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err, "account_id", a.ID) }(time.Now())
	return l.next.Get(ctx)
}

func (l logging) UpdateContact(ctx context.Context, p ContactPatch) (a Account, err error) {
	defer func(t time.Time) {
		var by int64
		if pr := principal.From(ctx); pr != nil {
			by = pr.KeyID
		}
		l.log.Done(ctx, "update_contact", t, err, "account_id", a.ID, "by_key_id", by)
	}(time.Now())
	return l.next.UpdateContact(ctx, p)
}

func (l logging) EnsureOperator(ctx context.Context) (err error) {
	defer func(t time.Time) { l.log.Done(ctx, "ensure_operator", t, err) }(time.Now())
	return l.next.EnsureOperator(ctx)
}
