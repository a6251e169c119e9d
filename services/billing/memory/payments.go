package memory

import (
	"cmp"
	"context"
	"strings"
	"sync"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/payments"
)

// Payments is an in-memory payments.Store.
type Payments struct {
	t        *table[payments.Payment]
	mu       sync.Mutex
	invoices int64
	// refs checks a payment's customer, membership and product (set by
	// NewStores).
	refs func(p *payments.Payment) error
}

// NewPayments returns an empty store writing its events to outbox.
func NewPayments(outbox *events.MemoryOutbox) *Payments {
	return &Payments{t: newTable("payment", outbox, func(p *payments.Payment) *int64 { return &p.ID },
		func(p payments.Payment) payments.Payment {
			p.DateCreated, p.DateModified = micro(p.DateCreated), micro(p.DateModified)
			return p
		}, payments.Events)}
}

func (s *Payments) check(p *payments.Payment, _ func(func(payments.Payment) bool)) error {
	if s.refs != nil {
		return s.refs(p)
	}
	return nil
}

// Create inserts p with the next invoice number.
func (s *Payments) Create(ctx context.Context, p *payments.Payment) error {
	s.mu.Lock()
	s.invoices++
	p.InvoiceNumber = payments.InvoiceNumber(s.invoices)
	s.mu.Unlock()
	if err := s.t.create(ctx, p, s.check); err != nil {
		p.InvoiceNumber = ""
		return err
	}
	return nil
}

// Get returns payment id.
func (s *Payments) Get(_ context.Context, id int64) (payments.Payment, error) { return s.t.get(id) }

// List filters, orders and pages payments.
func (s *Payments) List(_ context.Context, f payments.ListFilter) ([]payments.Payment, int, error) {
	q := strings.ToLower(f.Search)
	by := func(a, b payments.Payment) int {
		switch f.OrderBy {
		case payments.ByDateCreated:
			return a.DateCreated.Compare(b.DateCreated)
		case payments.ByTotal:
			return cmp.Compare(a.Total, b.Total)
		case payments.ByStatus:
			return strings.Compare(a.Status, b.Status)
		}
		return 0
	}
	all := s.t.list(func(p payments.Payment) bool {
		switch {
		case f.CustomerID != 0 && p.CustomerID != f.CustomerID,
			f.MembershipID != 0 && p.MembershipID != f.MembershipID,
			f.Status != "" && p.Status != f.Status,
			f.CreatedFrom != nil && p.DateCreated.Before(*f.CreatedFrom),
			f.CreatedTo != nil && p.DateCreated.After(*f.CreatedTo):
			return false
		}
		return q == "" || strings.Contains(strings.ToLower(p.InvoiceNumber), q) || strings.Contains(strings.ToLower(p.GatewayPaymentID), q)
	}, func(a, b payments.Payment) bool {
		n := cmp.Or(by(a, b), cmp.Compare(a.ID, b.ID))
		if f.Desc {
			return n > 0
		}
		return n < 0
	})
	p, n := page(all, f.Offset, f.Limit)
	return p, n, nil
}

// Update applies fn to payment id.
func (s *Payments) Update(ctx context.Context, id int64, fn func(*payments.Payment) error) (payments.Payment, error) {
	return s.t.update(ctx, id, func(p *payments.Payment) error {
		invoice, created := p.InvoiceNumber, p.DateCreated
		if err := fn(p); err != nil {
			return err
		}
		p.InvoiceNumber, p.DateCreated = invoice, created
		return nil
	}, s.check)
}

// Delete removes payment id.
func (s *Payments) Delete(ctx context.Context, id int64) (payments.Payment, error) {
	return s.t.remove(ctx, id, nil)
}

// forgetMembership clears a deleted membership from its payments.
func (s *Payments) forgetMembership(id int64) {
	for _, p := range s.t.list(func(p payments.Payment) bool { return p.MembershipID == id }, func(a, b payments.Payment) bool { return a.ID < b.ID }) {
		s.t.quietly(p.ID, func(p *payments.Payment) { p.MembershipID = 0 })
	}
}

// uses reports whether a payment matches pred.
func (s *Payments) uses(pred func(payments.Payment) bool) bool {
	_, err := s.t.find(pred)
	return err == nil
}
