package apiusage

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/stats/client"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome.
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "apiusage"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Record(ctx context.Context, u client.Usage) (r Recorded, err error) {
	defer func(t time.Time) {
		l.log.Done(ctx, "record", t, err, "hits", r.Hits, "writes", r.Writes, "dropped", r.Dropped)
	}(time.Now())
	return l.next.Record(ctx, u)
}
