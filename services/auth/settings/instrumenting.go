package settings

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times every call.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "auth", "settings")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (m instrumenting) List(ctx context.Context) (s []Setting, err error) {
	defer func(t time.Time) { m.calls.Observe("list", t, err) }(time.Now())
	return m.next.List(ctx)
}

func (m instrumenting) Get(ctx context.Context, key string) (s Setting, err error) {
	defer func(t time.Time) { m.calls.Observe("get", t, err) }(time.Now())
	return m.next.Get(ctx, key)
}

func (m instrumenting) Set(ctx context.Context, key string, value json.RawMessage) (s Setting, err error) {
	defer func(t time.Time) { m.calls.Observe("set", t, err) }(time.Now())
	return m.next.Set(ctx, key, value)
}

func (m instrumenting) Bool(ctx context.Context, key string) (b bool, err error) {
	defer func(t time.Time) { m.calls.Observe("bool", t, err) }(time.Now())
	return m.next.Bool(ctx, key)
}

func (m instrumenting) Duration(ctx context.Context, key string) (d time.Duration, err error) {
	defer func(t time.Time) { m.calls.Observe("duration", t, err) }(time.Now())
	return m.next.Duration(ctx, key)
}

func (m instrumenting) Text(ctx context.Context, key string) (s string, err error) {
	defer func(t time.Time) { m.calls.Observe("text", t, err) }(time.Now())
	return m.next.Text(ctx, key)
}
