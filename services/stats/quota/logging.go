package quota

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
	return func(next Service) Service { return logging{next, telemetry.CallLogger{Log: log, Aggregate: "quota"}} }
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Usage(ctx context.Context, code string) (u Usage, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "usage", t, err, "site", code) }(time.Now())
	return l.next.Usage(ctx, code)
}
