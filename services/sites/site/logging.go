package site

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/sites/jobs"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome: ids and
// codes only, never contact details.
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service { return logging{next, telemetry.CallLogger{Log: log, Aggregate: "sites"}} }
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Create(ctx context.Context, in NewSite) (st Site, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "create", t, err, "site_id", st.ID, "code", st.Code) }(time.Now())
	return l.next.Create(ctx, in)
}

func (l logging) Enqueue(ctx context.Context, in NewSite) (j jobs.Job, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "enqueue", t, err, "job_id", j.ID, "code", in.Code) }(time.Now())
	return l.next.Enqueue(ctx, in)
}

func (l logging) Provision(ctx context.Context, j jobs.Job, p *jobs.Progress) (r any, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "provision", t, err, "job_id", j.ID, "code", j.SiteCode) }(time.Now())
	return l.next.Provision(ctx, j, p)
}

func (l logging) Get(ctx context.Context, id int64) (st Site, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err, "site_id", id) }(time.Now())
	return l.next.Get(ctx, id)
}

func (l logging) GetByCode(ctx context.Context, code string) (st Site, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get_by_code", t, err, "code", code) }(time.Now())
	return l.next.GetByCode(ctx, code)
}

func (l logging) List(ctx context.Context, f ListFilter) (ss []Site, n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "total", n) }(time.Now())
	return l.next.List(ctx, f)
}

func (l logging) Update(ctx context.Context, id int64, p Patch) (st Site, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "update", t, err, "site_id", id) }(time.Now())
	return l.next.Update(ctx, id, p)
}

func (l logging) Delete(ctx context.Context, id int64) (st Site, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "delete", t, err, "site_id", id) }(time.Now())
	return l.next.Delete(ctx, id)
}

func (l logging) ApplyMembership(ctx context.Context, ev MembershipEvent) (err error) {
	defer func(t time.Time) {
		l.log.Done(ctx, "apply_membership", t, err, "event_id", ev.ID, "type", ev.Type, "membership_id", ev.MembershipID)
	}(time.Now())
	return l.next.ApplyMembership(ctx, ev)
}

func (l logging) EnsureTemplate(ctx context.Context) (st Site, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "ensure_template", t, err, "site_id", st.ID) }(time.Now())
	return l.next.EnsureTemplate(ctx)
}

func (l logging) Detail(ctx context.Context, code string) (st Site, opts []string, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "detail", t, err, "code", code) }(time.Now())
	return l.next.Detail(ctx, code)
}
