package businessmetrics_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/money"
	"github.com/hostplane/hostplane/services/billing/businessmetrics"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
)

// Every series the dashboards use exists at zero on a fresh registry.
func TestSeriesExistAtZero(t *testing.T) {
	reg := prometheus.NewRegistry()
	businessmetrics.New(reg)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	series := map[string]int{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			if v != 0 {
				t.Errorf("%s starts at %v", f.GetName(), v)
			}
			series[f.GetName()]++
		}
	}
	want := map[string]int{
		"hostplane_billing_payments_total":     len(payments.Statuses),
		"hostplane_billing_revenue_total":      len(money.Codes()),
		"hostplane_billing_signups_total":      1,
		"hostplane_billing_memberships_active": 1,
	}
	for name, n := range want {
		if series[name] != n {
			t.Errorf("%s: %d series, want %d", name, series[name], n)
		}
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP hostplane_billing_signups_total Customers created.
# TYPE hostplane_billing_signups_total counter
hostplane_billing_signups_total 0
`), "hostplane_billing_signups_total"); err != nil {
		t.Error(err)
	}
}

type sink struct{ err error }

func (s sink) Publish(context.Context, string, []events.Event) error { return s.err }

func paymentEvents(before, after *payments.Payment) []events.Event {
	return payments.Events(before, after)
}

func TestSinkCountsPublishedEvents(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := businessmetrics.New(reg)
	changed := make(chan struct{}, 1)
	s := &businessmetrics.Sink{Next: sink{}, Metrics: m, Changed: changed}

	pending := &payments.Payment{ID: 1, CustomerID: 1, Currency: "USD", Total: 2999, Status: payments.StatusPending}
	completed := *pending
	completed.Status = payments.StatusCompleted
	edited := completed
	edited.Gateway = "stripe"
	direct := &payments.Payment{ID: 2, CustomerID: 1, Currency: "JPY", Total: 500, Status: payments.StatusCompleted}
	refunded := *direct
	refunded.Status = payments.StatusRefunded
	mem := &memberships.Membership{ID: 1, CustomerID: 1, PlanID: 1, Status: memberships.StatusActive}

	var evs []events.Event
	evs = append(evs, customers.Events(nil, &customers.Customer{ID: 1, UserID: 1, Status: customers.StatusActive})...)
	evs = append(evs, customers.Events(nil, &customers.Customer{ID: 2, UserID: 2, Status: customers.StatusActive})...)
	evs = append(evs, customers.Events(&customers.Customer{ID: 2}, &customers.Customer{ID: 2, VIP: true})...) // not a signup
	evs = append(evs, paymentEvents(nil, pending)...)                                                         // pending
	evs = append(evs, paymentEvents(pending, &completed)...)                                                  // completed 29.99 USD
	evs = append(evs, paymentEvents(&completed, &edited)...)                                                  // no status change
	evs = append(evs, paymentEvents(nil, direct)...)                                                          // completed 500 JPY
	evs = append(evs, paymentEvents(direct, &refunded)...)                                                    // refunded
	evs = append(evs, paymentEvents(&refunded, nil)...)                                                       // deletion: nothing
	if err := s.Publish(context.Background(), "s", evs); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
		t.Fatal("no membership event passed, yet the gauge was told to refresh")
	default:
	}
	for _, tt := range []struct {
		name string
		got  float64
		want float64
	}{
		{"signups", value(t, reg, "hostplane_billing_signups_total", "", ""), 2},
		{"pending", value(t, reg, "hostplane_billing_payments_total", "status", "pending"), 1},
		{"completed", value(t, reg, "hostplane_billing_payments_total", "status", "completed"), 2},
		{"refunded", value(t, reg, "hostplane_billing_payments_total", "status", "refunded"), 1},
		{"failed", value(t, reg, "hostplane_billing_payments_total", "status", "failed"), 0},
		{"USD", value(t, reg, "hostplane_billing_revenue_total", "currency", "USD"), 29.99},
		{"JPY", value(t, reg, "hostplane_billing_revenue_total", "currency", "JPY"), 500},
		{"EUR", value(t, reg, "hostplane_billing_revenue_total", "currency", "EUR"), 0},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}

	// A membership event asks for a refresh; a failed publish counts nothing.
	if err := s.Publish(context.Background(), "s", memberships.Events(nil, mem)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	default:
		t.Fatal("a membership event did not ask for a refresh")
	}
	failing := &businessmetrics.Sink{Next: sink{err: errors.New("redis down")}, Metrics: m}
	if err := failing.Publish(context.Background(), "s", customers.Events(nil, &customers.Customer{ID: 3})); err == nil {
		t.Fatal("the sink's error was lost")
	}
	if got := value(t, reg, "hostplane_billing_signups_total", "", ""); got != 2 {
		t.Errorf("signups after a failed publish = %v, want 2", got)
	}
}

func TestRefresherSetsTheGauge(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := businessmetrics.New(reg)
	n, fail := 7, false
	r := &businessmetrics.Refresher{Metrics: m, Count: func(context.Context) (int, error) {
		if fail {
			return 0, errors.New("database down")
		}
		return n, nil
	}}
	r.Refresh(context.Background())
	if got := value(t, reg, "hostplane_billing_memberships_active", "", ""); got != 7 {
		t.Fatalf("gauge %v, want 7", got)
	}
	fail = true
	r.Refresh(context.Background()) // keeps the last count
	if got := value(t, reg, "hostplane_billing_memberships_active", "", ""); got != 7 {
		t.Fatalf("gauge after a failed count %v, want 7", got)
	}
}

// value reads one series of a gathered family.
func value(t *testing.T, reg *prometheus.Registry, name, label, labelValue string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			match := label == ""
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == labelValue {
					match = true
				}
			}
			if match {
				return m.GetCounter().GetValue() + m.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no series %s{%s=%q}", name, label, labelValue)
	return 0
}

// Run counts at start and again when woken, and stops with its context.
func TestRefresherRunCountsOnWake(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := businessmetrics.New(reg)
	counts := make(chan int, 10)
	n := 0
	wake := make(chan struct{}, 1)
	r := &businessmetrics.Refresher{Metrics: m, Wake: wake, Interval: time.Hour, MinGap: time.Millisecond,
		Count: func(context.Context) (int, error) {
			n++
			counts <- n
			return n, nil
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	if got := <-counts; got != 1 {
		t.Fatalf("first count %d", got)
	}
	wake <- struct{}{}
	if got := <-counts; got != 2 {
		t.Fatalf("count after a wake %d", got)
	}
	cancel()
	<-done
	if got := value(t, reg, "hostplane_billing_memberships_active", "", ""); got != 2 {
		t.Fatalf("gauge %v, want 2", got)
	}
}
