package site

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "sites", "sites")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (m instrumenting) Create(ctx context.Context, in NewSite) (st Site, err error) {
	defer func(t time.Time) { m.calls.Observe("create", t, err) }(time.Now())
	return m.next.Create(ctx, in)
}

func (m instrumenting) Enqueue(ctx context.Context, in NewSite) (j jobs.Job, err error) {
	defer func(t time.Time) { m.calls.Observe("enqueue", t, err) }(time.Now())
	return m.next.Enqueue(ctx, in)
}

func (m instrumenting) Provision(ctx context.Context, j jobs.Job, p *jobs.Progress) (r any, err error) {
	defer func(t time.Time) { m.calls.Observe("provision", t, err) }(time.Now())
	return m.next.Provision(ctx, j, p)
}

func (m instrumenting) Get(ctx context.Context, id int64) (st Site, err error) {
	defer func(t time.Time) { m.calls.Observe("get", t, err) }(time.Now())
	return m.next.Get(ctx, id)
}

func (m instrumenting) GetByCode(ctx context.Context, code string) (st Site, err error) {
	defer func(t time.Time) { m.calls.Observe("get_by_code", t, err) }(time.Now())
	return m.next.GetByCode(ctx, code)
}

func (m instrumenting) List(ctx context.Context, f ListFilter) (ss []Site, n int, err error) {
	defer func(t time.Time) { m.calls.Observe("list", t, err) }(time.Now())
	return m.next.List(ctx, f)
}

func (m instrumenting) Update(ctx context.Context, id int64, p Patch) (st Site, err error) {
	defer func(t time.Time) { m.calls.Observe("update", t, err) }(time.Now())
	return m.next.Update(ctx, id, p)
}

func (m instrumenting) Delete(ctx context.Context, id int64) (st Site, err error) {
	defer func(t time.Time) { m.calls.Observe("delete", t, err) }(time.Now())
	return m.next.Delete(ctx, id)
}

func (m instrumenting) ApplyMembership(ctx context.Context, ev MembershipEvent) (err error) {
	defer func(t time.Time) { m.calls.Observe("apply_membership", t, err) }(time.Now())
	return m.next.ApplyMembership(ctx, ev)
}

func (m instrumenting) EnsureTemplate(ctx context.Context) (st Site, err error) {
	defer func(t time.Time) { m.calls.Observe("ensure_template", t, err) }(time.Now())
	return m.next.EnsureTemplate(ctx)
}

func (m instrumenting) Detail(ctx context.Context, code string) (st Site, opts []string, err error) {
	defer func(t time.Time) { m.calls.Observe("detail", t, err) }(time.Now())
	return m.next.Detail(ctx, code)
}
