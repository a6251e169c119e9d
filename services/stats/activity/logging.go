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

func (l logging) List(ctx context.Context, code string, q Query) (es []Entry, n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "site", code, "total", n) }(time.Now())
	return l.next.List(ctx, code, q)
}
