package customers

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "hostplane_billing_customers_call_duration_seconds",
		Help:    "Customer service calls by method and outcome.",
		Buckets: prometheus.DefBuckets,
	}, []string{"method", "outcome"})
	reg.MustRegister(calls)
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *prometheus.HistogramVec
}

func (m instrumenting) observe(method string, start time.Time, err error) {
	outcome := "ok"
	if err != nil {
		outcome = string(errs.KindOf(err))
	}
	m.calls.WithLabelValues(method, outcome).Observe(time.Since(start).Seconds())
}

func (m instrumenting) Create(ctx context.Context, in NewCustomer) (c Customer, err error) {
	defer func(t time.Time) { m.observe("create", t, err) }(time.Now())
	return m.next.Create(ctx, in)
}

func (m instrumenting) Get(ctx context.Context, id int64) (c Customer, err error) {
	defer func(t time.Time) { m.observe("get", t, err) }(time.Now())
	return m.next.Get(ctx, id)
}

func (m instrumenting) List(ctx context.Context, f ListFilter) (cs []Customer, n int, err error) {
	defer func(t time.Time) { m.observe("list", t, err) }(time.Now())
	return m.next.List(ctx, f)
}

func (m instrumenting) Update(ctx context.Context, id int64, p Patch) (c Customer, err error) {
	defer func(t time.Time) { m.observe("update", t, err) }(time.Now())
	return m.next.Update(ctx, id, p)
}

func (m instrumenting) Delete(ctx context.Context, id int64) (c Customer, err error) {
	defer func(t time.Time) { m.observe("delete", t, err) }(time.Now())
	return m.next.Delete(ctx, id)
}
