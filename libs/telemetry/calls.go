package telemetry

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/prometheus/client_golang/prometheus"
)

// CallLogger logs the calls of one service aggregate (the go-kit logging
// middleware's body): at debug level, or error level when the call failed
// with an internal error.
type CallLogger struct {
	Log       *slog.Logger
	Aggregate string
}

// Done logs a finished call with its duration and outcome.
func (c CallLogger) Done(ctx context.Context, method string, start time.Time, err error, attrs ...any) {
	attrs = append(attrs, "method", method, "took", time.Since(start).String())
	level := slog.LevelDebug
	if err != nil {
		e := errs.From(err)
		attrs = append(attrs, "kind", string(e.Kind), "err", err.Error())
		if e.Kind == errs.Internal {
			level = slog.LevelError
		}
	}
	c.Log.Log(ctx, level, c.Aggregate, attrs...)
}

// CallTimer records the latency of one aggregate's calls by method and
// outcome: hostplane_<component>_<aggregate>_call_duration_seconds.
type CallTimer struct{ vec *prometheus.HistogramVec }

// NewCallTimer registers the histogram on reg.
func NewCallTimer(reg prometheus.Registerer, component, aggregate string) *CallTimer {
	vec := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    Name(component, aggregate+"_call_duration_seconds"),
		Help:    "Calls of the " + aggregate + " service by method and outcome (ok or the error kind).",
		Buckets: prometheus.DefBuckets,
	}, []string{"method", "outcome"})
	reg.MustRegister(vec)
	return &CallTimer{vec: vec}
}

// Observe records one finished call.
func (c *CallTimer) Observe(method string, start time.Time, err error) {
	outcome := "ok"
	if err != nil {
		outcome = string(errs.KindOf(err))
	}
	c.vec.WithLabelValues(method, outcome).Observe(time.Since(start).Seconds())
}
