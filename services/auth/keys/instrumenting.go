package keys

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware counts calls and verification outcomes.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "hostplane_auth_keys_call_duration_seconds",
		Help:    "Key service calls by method and outcome.",
		Buckets: prometheus.DefBuckets,
	}, []string{"method", "outcome"})
	verifications := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hostplane_auth_verifications_total",
		Help: "Credential verifications by result (ok or the refusal reason).",
	}, []string{"result"})
	reg.MustRegister(calls, verifications)
	return func(next Service) Service { return instrumenting{next, calls, verifications} }
}

type instrumenting struct {
	next          Service
	calls         *prometheus.HistogramVec
	verifications *prometheus.CounterVec
}

func (m instrumenting) observe(method string, start time.Time, err error) {
	outcome := "ok"
	if err != nil {
		outcome = string(errs.KindOf(err))
	}
	m.calls.WithLabelValues(method, outcome).Observe(time.Since(start).Seconds())
}

func (m instrumenting) Create(ctx context.Context, in NewKey) (c Created, err error) {
	defer func(t time.Time) { m.observe("create", t, err) }(time.Now())
	return m.next.Create(ctx, in)
}

func (m instrumenting) Seed(ctx context.Context, in NewKey, apiKey, secret string) (k Key, err error) {
	defer func(t time.Time) { m.observe("seed", t, err) }(time.Now())
	return m.next.Seed(ctx, in, apiKey, secret)
}

func (m instrumenting) List(ctx context.Context, f ListFilter) (ks []Key, n int, err error) {
	defer func(t time.Time) { m.observe("list", t, err) }(time.Now())
	return m.next.List(ctx, f)
}

func (m instrumenting) Get(ctx context.Context, id int64) (k Key, err error) {
	defer func(t time.Time) { m.observe("get", t, err) }(time.Now())
	return m.next.Get(ctx, id)
}

func (m instrumenting) Revoke(ctx context.Context, id int64) (k Key, err error) {
	defer func(t time.Time) { m.observe("revoke", t, err) }(time.Now())
	return m.next.Revoke(ctx, id)
}

func (m instrumenting) Verify(ctx context.Context, apiKey, secret string) (k Key, err error) {
	defer func(t time.Time) {
		m.observe("verify", t, err)
		result := "ok"
		if err != nil {
			if e := errs.From(err); e.Kind == errs.Unauthorized && e.Reason != "" {
				result = e.Reason
			} else {
				result = "error"
			}
		}
		m.verifications.WithLabelValues(result).Inc()
	}(time.Now())
	return m.next.Verify(ctx, apiKey, secret)
}
