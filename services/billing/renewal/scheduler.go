package renewal

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/txn"
	"github.com/prometheus/client_golang/prometheus"
)

// Scheduler renews and expires memberships.
type Scheduler struct {
	Store       Store
	Memberships memberships.Store
	Payments    payments.Store
	Tx          txn.Runner
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Interval between ticks (30 s); Grace before an unpaid renewal
	// expires its membership (72 h); Batch is the most memberships or
	// payments one transaction handles (100).
	Interval, Grace time.Duration
	Batch           int
	Log             *slog.Logger
	Metrics         *Metrics
}

// Result counts what one tick did.
type Result struct {
	Billed  int // renewal payments created
	Expired int // memberships expired
	Renewed int // memberships extended by a completed payment
}

// Metrics count the scheduler's work:
// hostplane_billing_renewals_total{outcome=billed|expired|renewed}.
type Metrics struct{ vec *prometheus.CounterVec }

// NewMetrics registers the scheduler's counter on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	vec := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: telemetry.Name("billing", "renewals_total"),
		Help: "Memberships the renewal scheduler billed, expired or renewed.",
	}, []string{"outcome"})
	reg.MustRegister(vec)
	return &Metrics{vec: vec}
}

func (m *Metrics) add(r Result) {
	if m == nil {
		return
	}
	m.vec.WithLabelValues("billed").Add(float64(r.Billed))
	m.vec.WithLabelValues("expired").Add(float64(r.Expired))
	m.vec.WithLabelValues("renewed").Add(float64(r.Renewed))
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Second)
	}
	return time.Now().UTC().Truncate(time.Second)
}

func (s *Scheduler) batch() int {
	if s.Batch <= 0 {
		return 100
	}
	return s.Batch
}

func (s *Scheduler) grace() time.Duration {
	if s.Grace <= 0 {
		return 72 * time.Hour
	}
	return s.Grace
}

// Run ticks until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	interval := s.Interval
	if interval <= 0 {
		interval = 30 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Once(ctx); err != nil && ctx.Err() == nil && s.Log != nil {
			s.Log.Warn("renewal: tick failed, retrying at the next", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Once runs one tick: every completed renewal is applied, every due
// membership billed or expired, batch after batch.
func (s *Scheduler) Once(ctx context.Context) (Result, error) {
	var total Result
	for {
		r, err := s.applyPaid(ctx)
		total.Renewed += r.Renewed
		if err != nil {
			s.Metrics.add(total)
			return total, err
		}
		if r.Renewed < s.batch() {
			break
		}
	}
	for {
		r, n, err := s.handleDue(ctx)
		total.Billed += r.Billed
		total.Expired += r.Expired
		if err != nil || n < s.batch() {
			s.Metrics.add(total)
			return total, err
		}
	}
}

// applyPaid extends the membership of each completed renewal payment.
func (s *Scheduler) applyPaid(ctx context.Context) (Result, error) {
	var r Result
	now := s.now()
	err := s.Tx.InTx(ctx, func(ctx context.Context) error {
		r = Result{}
		paid, err := s.Store.Paid(ctx, s.batch())
		if err != nil {
			return err
		}
		for _, p := range paid {
			if p.MembershipID != 0 {
				_, err := s.Memberships.Update(ctx, p.MembershipID, func(m *memberships.Membership) error {
					extend(m, p.ID, now)
					return nil
				})
				if err != nil && !errors.Is(err, errs.NotFound) {
					return err
				}
			}
			if _, err := s.Payments.Update(ctx, p.ID, func(p *payments.Payment) error {
				p.Applied, p.DateModified = true, now
				return nil
			}); err != nil {
				return err
			}
			r.Renewed++
		}
		return nil
	})
	return r, err
}

// extend adds one period to m for renewal payment paymentID.
func extend(m *memberships.Membership, paymentID int64, now time.Time) {
	if m.Status == memberships.StatusCancelled {
		return // ended for good: the payment is kept, the membership not revived
	}
	base := now
	if m.DateExpiration != nil && m.DateExpiration.After(now.Add(-24*time.Hour)) && m.Status != memberships.StatusExpired {
		base = *m.DateExpiration
	}
	exp := memberships.AddPeriod(base, m.Duration, m.DurationUnit)
	m.DateExpiration = &exp
	m.TimesBilled++
	m.DateRenewed = &now
	m.DateModified = now
	if m.RenewalPaymentID == paymentID {
		m.RenewalPaymentID = 0
	}
	if m.Status == memberships.StatusExpired || m.Status == memberships.StatusPending {
		m.Status = memberships.StatusActive
		if m.DateActivated == nil {
			m.DateActivated = &now
		}
	}
}

// handleDue bills or expires one batch of due memberships; n is how many
// it claimed.
func (s *Scheduler) handleDue(ctx context.Context) (r Result, n int, err error) {
	now := s.now()
	err = s.Tx.InTx(ctx, func(ctx context.Context) error {
		r = Result{}
		due, err := s.Store.Due(ctx, now, s.grace(), s.batch())
		if err != nil {
			return err
		}
		n = len(due)
		for _, m := range due {
			if m.AutoRenew && m.RenewalPaymentID == 0 && (m.BillingCycles == 0 || m.TimesBilled < m.BillingCycles) {
				p := payments.Payment{
					CustomerID: m.CustomerID, MembershipID: m.ID, ProductID: m.PlanID, Currency: m.Currency,
					Subtotal: m.Amount, Total: m.Amount, Status: payments.StatusPending, Gateway: m.Gateway,
					Kind: payments.KindRenewal, DateCreated: now, DateModified: now,
				}
				if err := s.Payments.Create(ctx, &p); err != nil {
					return err
				}
				if _, err := s.Memberships.Update(ctx, m.ID, func(m *memberships.Membership) error {
					m.RenewalPaymentID, m.DateModified = p.ID, now
					return nil
				}); err != nil {
					return err
				}
				r.Billed++
				continue
			}
			if _, err := s.Memberships.Update(ctx, m.ID, func(m *memberships.Membership) error {
				m.Status, m.RenewalPaymentID, m.DateModified = memberships.StatusExpired, 0, now
				return nil
			}); err != nil {
				return err
			}
			r.Expired++
		}
		return nil
	})
	return r, n, err
}
