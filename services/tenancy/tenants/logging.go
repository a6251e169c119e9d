package tenants

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome: site
// ids and states only, never credentials.
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "tenants"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Bootstrap(ctx context.Context, id int64) (st Status, accepted bool, err error) {
	defer func(t time.Time) {
		l.log.Done(ctx, "bootstrap", t, err, "site_id", id, "state", string(st.State), "accepted", accepted)
	}(time.Now())
	return l.next.Bootstrap(ctx, id)
}

func (l logging) Status(ctx context.Context, id int64) (st Status, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "status", t, err, "site_id", id, "state", string(st.State)) }(time.Now())
	return l.next.Status(ctx, id)
}

func (l logging) Verify(ctx context.Context, id int64) (st Status, err error) {
	defer func(t time.Time) {
		l.log.Done(ctx, "verify", t, err, "site_id", id, "state", string(st.State), "ready", st.Ready)
	}(time.Now())
	return l.next.Verify(ctx, id)
}

func (l logging) Delete(ctx context.Context, id int64) (st Status, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "delete", t, err, "site_id", id) }(time.Now())
	return l.next.Delete(ctx, id)
}

func (l logging) CreateSharedTables(ctx context.Context, id int64) (tables []string, err error) {
	defer func(t time.Time) {
		l.log.Done(ctx, "create_shared_tables", t, err, "site_id", id, "tables", len(tables))
	}(time.Now())
	return l.next.CreateSharedTables(ctx, id)
}

// Resume passes through to the wrapped service.
func (l logging) Resume(ctx context.Context) error { return Resume(ctx, l.next) }
