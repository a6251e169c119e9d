package traffic

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
	return func(next Service) Service { return logging{next, telemetry.CallLogger{Log: log, Aggregate: "traffic"}} }
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Ingest(ctx context.Context, code string, in IngestRequest) (a Appended, err error) {
	defer func(t time.Time) {
		l.log.Done(ctx, "ingest", t, err, "site", code, "events", len(in.Events), "accepted", a.Accepted, "replayed", a.Replayed)
	}(time.Now())
	return l.next.Ingest(ctx, code, in)
}

func (l logging) Collect(ctx context.Context, b Beacon) (err error) {
	defer func(t time.Time) { l.log.Done(ctx, "collect", t, err, "site", b.Site) }(time.Now())
	return l.next.Collect(ctx, b)
}

func (l logging) Report(ctx context.Context, code string, start, end time.Time) (r Report, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "report", t, err, "site", code, "days", len(r.Days)) }(time.Now())
	return l.next.Report(ctx, code, start, end)
}

func (l logging) Stats(ctx context.Context, code string) (s SiteStats, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "stats", t, err, "site", code) }(time.Now())
	return l.next.Stats(ctx, code)
}

func (l logging) Live(ctx context.Context, code string) (n int64, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "live", t, err, "site", code, "visitors", n) }(time.Now())
	return l.next.Live(ctx, code)
}

func (l logging) CollectKey(ctx context.Context, code string) (c CollectInfo, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "collect_key", t, err, "site", code) }(time.Now())
	return l.next.CollectKey(ctx, code)
}
