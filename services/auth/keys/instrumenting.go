package keys

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware counts calls and verification outcomes.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "auth", "keys")
	verifications := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hostplane_auth_verifications_total",
		Help: "Credential verifications by result (ok or the refusal reason).",
	}, []string{"result"})
	reg.MustRegister(verifications)
	return func(next Service) Service { return instrumenting{next, calls, verifications} }
}

type instrumenting struct {
	next          Service
	calls         *telemetry.CallTimer
	verifications *prometheus.CounterVec
}

func (m instrumenting) Create(ctx context.Context, in NewKey) (c Created, err error) {
	defer func(t time.Time) { m.calls.Observe("create", t, err) }(time.Now())
	return m.next.Create(ctx, in)
}

func (m instrumenting) Seed(ctx context.Context, in NewKey, apiKey, secret string) (k Key, err error) {
	defer func(t time.Time) { m.calls.Observe("seed", t, err) }(time.Now())
	return m.next.Seed(ctx, in, apiKey, secret)
}

func (m instrumenting) List(ctx context.Context, f ListFilter) (ks []Key, n int, err error) {
	defer func(t time.Time) { m.calls.Observe("list", t, err) }(time.Now())
	return m.next.List(ctx, f)
}

func (m instrumenting) Get(ctx context.Context, id int64) (k Key, err error) {
	defer func(t time.Time) { m.calls.Observe("get", t, err) }(time.Now())
	return m.next.Get(ctx, id)
}

func (m instrumenting) Update(ctx context.Context, id int64, p Patch) (k Key, err error) {
	defer func(t time.Time) { m.calls.Observe("update", t, err) }(time.Now())
	return m.next.Update(ctx, id, p)
}

func (m instrumenting) Rotate(ctx context.Context, id int64, o RotateOptions) (c Created, err error) {
	defer func(t time.Time) { m.calls.Observe("rotate", t, err) }(time.Now())
	return m.next.Rotate(ctx, id, o)
}

func (m instrumenting) Revoke(ctx context.Context, id int64) (k Key, err error) {
	defer func(t time.Time) { m.calls.Observe("revoke", t, err) }(time.Now())
	return m.next.Revoke(ctx, id)
}

func (m instrumenting) Verify(ctx context.Context, apiKey, secret string) (v Verified, err error) {
	defer func(t time.Time) {
		m.calls.Observe("verify", t, err)
		result := "ok"
		if v.Previous {
			result = "ok_previous_secret"
		}
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
