package businessmetrics

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/payments"
)

// Observe counts one published event. It reports whether the event is
// about a membership (the active gauge may have changed).
func (m *Metrics) Observe(e events.Event) (membership bool) {
	switch {
	case e.Type == customers.EventCreated:
		m.signups.Inc()
	case strings.HasPrefix(e.Type, "payment."):
		m.payment(e)
	case strings.HasPrefix(e.Type, "membership."):
		return true
	}
	return false
}

// payment counts a payment that reached a status: at creation, or when
// its status changed (the event names the previous one).
func (m *Metrics) payment(e events.Event) {
	if e.Type == payments.EventDeleted {
		return
	}
	var d payments.EventData
	if err := json.Unmarshal(e.Data, &d); err != nil || d.Status == "" {
		return
	}
	if e.Type != payments.EventCreated && d.PreviousStatus == "" {
		return // no change of status
	}
	m.payments.WithLabelValues(d.Status).Inc()
	if d.Status != payments.StatusCompleted || d.Currency == "" {
		return
	}
	// Total is exact decimal text; a float64 is what a counter holds.
	if v, err := strconv.ParseFloat(d.Total, 64); err == nil && v > 0 {
		m.revenue.WithLabelValues(d.Currency).Add(v)
	}
}
