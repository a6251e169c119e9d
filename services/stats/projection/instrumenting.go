package projection

import (
	"context"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/prometheus/client_golang/prometheus"
)

// Instrument counts the events a handler takes by source, type and outcome
// (ok or the error kind): hostplane_stats_events_consumed_total.
func Instrument(reg prometheus.Registerer, h events.Handler) events.Handler {
	consumed := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hostplane_stats_events_consumed_total",
		Help: "Domain events handled, by source, type and outcome.",
	}, []string{"source", "type", "outcome"})
	reg.MustRegister(consumed)
	return func(ctx context.Context, e events.Event) error {
		err := h(ctx, e)
		outcome := "ok"
		if err != nil {
			outcome = string(errs.KindOf(err))
		}
		consumed.WithLabelValues(e.Source, e.Type, outcome).Inc()
		return err
	}
}
