package activity

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome.
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "activity"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Record(ctx context.Context, calls []Call) (n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "record", t, err, "calls", len(calls), "recorded", n) }(time.Now())
	return l.next.Record(ctx, calls)
}

func (l logging) List(ctx context.Context, keyID int64, offset, limit int) (cs []Call, total int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "key_id", keyID, "total", total) }(time.Now())
	return l.next.List(ctx, keyID, offset, limit)
}
