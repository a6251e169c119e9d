package statistics

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
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "statistics"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Get(ctx context.Context) (s Statistics, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err) }(time.Now())
	return l.next.Get(ctx)
}
