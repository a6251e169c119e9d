package memberships

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/products"
	"github.com/hostplane/hostplane/services/billing/txn"
)

// Service manages memberships. A key restricted to a customer sees and
// changes only that customer's memberships (others are not found) and
// creates memberships only for it.
type Service interface {
	// Create subscribes a customer to a plan (and add-ons), selling one of
	// each: a plan or add-on out of stock is a conflict.
	Create(ctx context.Context, in Input) (Membership, error)
	Get(ctx context.Context, id int64) (Membership, error)
	List(ctx context.Context, f ListFilter) ([]Membership, int, error)
	// Update changes the fields in sets; a status outside the lifecycle
	// (CanMove) is a conflict.
	Update(ctx context.Context, id int64, in Input) (Membership, error)
	// Delete removes a membership (wu); Cancel keeps it, cancelled (cx).
	Delete(ctx context.Context, id int64) (Membership, error)
	// Suspend puts an active or trialing membership on hold, Unsuspend
	// makes it active again, Expire ends it now, Cancel ends it for good:
	// each once, a conflict otherwise.
	Suspend(ctx context.Context, id int64, reason string) (Membership, error)
	Unsuspend(ctx context.Context, id int64) (Membership, error)
	Expire(ctx context.Context, id int64) (Membership, error)
	Cancel(ctx context.Context, id int64, reason string) (Membership, error)
}

// Customers finds the customers memberships belong to (customers.Store).
type Customers interface {
	Get(ctx context.Context, id int64) (customers.Customer, error)
}

// Catalog finds and sells products (products.Store).
type Catalog interface {
	Get(ctx context.Context, id int64) (products.Product, error)
	Take(ctx context.Context, id int64, n int) (products.Product, error)
}

type service struct {
	store     Store
	customers Customers
	catalog   Catalog
	tx        txn.Runner
	now       func() time.Time
}

// NewService returns the membership service; now (nil: time.Now) dates
// changes.
func NewService(store Store, cs Customers, catalog Catalog, tx txn.Runner, now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	return &service{store: store, customers: cs, catalog: catalog, tx: tx, now: now}
}

func (s *service) clock() time.Time { return s.now().UTC().Truncate(time.Second) }

func notFound() error { return errs.NotFoundResource("membership", "") }

func visible(ctx context.Context, customerID int64) bool {
	scope := principal.CustomerScope(ctx)
	return scope == 0 || scope == customerID
}

func (s *service) Create(ctx context.Context, in Input) (Membership, error) {
	var c errs.Collector
	now := s.clock()
	m := Membership{Status: StatusPending, DateCreated: now, DateModified: now, Addons: []Addon{}}
	if in.CustomerID == nil || *in.CustomerID == 0 {
		c.Missing("customer_id")
	} else if !visible(ctx, *in.CustomerID) {
		c.Invalid("customer_id", "No customer has this id.")
	} else if _, err := s.customers.Get(ctx, *in.CustomerID); errors.Is(err, errs.NotFound) {
		c.Invalid("customer_id", "No customer has this id.")
	} else if err != nil {
		return Membership{}, err
	}
	var plan products.Product
	if in.PlanID == nil || *in.PlanID == 0 {
		c.Missing("plan_id")
	} else if p, err := s.catalog.Get(ctx, *in.PlanID); errors.Is(err, errs.NotFound) {
		c.Invalid("plan_id", "No product has this id.")
	} else if err != nil {
		return Membership{}, err
	} else {
		plan = p
	}
	if err := c.Err(); err != nil {
		return Membership{}, err
	}
	m.CustomerID, m.PlanID = *in.CustomerID, plan.ID
	m.Currency, m.Recurring, m.Duration, m.DurationUnit = plan.Currency, plan.Recurring, plan.Duration, plan.DurationUnit
	m.BillingCycles = plan.BillingCycles
	in.applyFields(&c, &m)
	addons, err := s.addons(ctx, &c, m)
	if err != nil {
		return Membership{}, err
	}
	if in.Amount == nil {
		m.Amount = plan.Amount
		for i, a := range m.Addons {
			m.Amount += addons[i].Amount * int64(a.Quantity)
		}
	}
	if in.InitialAmount == nil {
		m.InitialAmount = m.Amount + plan.SetupFee
		for i, a := range m.Addons {
			m.InitialAmount += addons[i].SetupFee * int64(a.Quantity)
		}
	}
	if m.Currency != plan.Currency && (in.Amount == nil || in.InitialAmount == nil) {
		c.Invalid("currency", "The plan is priced in "+plan.Currency+": give amount and initial_amount in "+m.Currency+" too.")
	}
	status := StatusPending
	if in.Status != nil {
		status = strings.TrimSpace(*in.Status)
		if !slices.Contains(Statuses, status) || !CanMove(StatusPending, status) {
			c.Invalid("status", "A new membership is one of: pending, active, trialing, expired, cancelled.")
		}
	}
	if err := c.Err(); err != nil {
		return Membership{}, err
	}
	if err := s.move(&m, status, now, reasonOf(in)); err != nil {
		return Membership{}, err
	}
	if m.Status == StatusTrialing && m.DateTrialEnd == nil && plan.TrialDuration > 0 {
		t := AddPeriod(now, plan.TrialDuration, plan.TrialDurationUnit)
		m.DateTrialEnd, m.DateExpiration = &t, &t
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.catalog.Take(ctx, plan.ID, 1); err != nil {
			return err
		}
		for _, a := range m.Addons {
			if _, err := s.catalog.Take(ctx, a.ProductID, a.Quantity); err != nil {
				return err
			}
		}
		return s.store.Create(ctx, &m)
	})
	if err != nil {
		return Membership{}, err
	}
	return m, nil
}

func reasonOf(in Input) string {
	if in.Reason == nil {
		return ""
	}
	return strings.TrimSpace(*in.Reason)
}

// addons checks the add-ons of m: existing products, in m's currency,
// within their quantity_max.
func (s *service) addons(ctx context.Context, c *errs.Collector, m Membership) ([]products.Product, error) {
	out := make([]products.Product, len(m.Addons))
	for i, a := range m.Addons {
		p, err := s.catalog.Get(ctx, a.ProductID)
		switch {
		case errors.Is(err, errs.NotFound):
			c.Invalid("addon_products", fmt.Sprintf("No product has the id %d.", a.ProductID))
			continue
		case err != nil:
			return nil, err
		case p.Currency != m.Currency:
			c.Invalid("addon_products", fmt.Sprintf("Product %d is priced in %s, the membership in %s.", p.ID, p.Currency, m.Currency))
		case a.Quantity > p.QuantityMax:
			c.Invalid("addon_products", fmt.Sprintf("At most %d of product %d.", p.QuantityMax, p.ID))
		}
		out[i] = p
	}
	return out, nil
}

// move takes m to status to, dating the change, or refuses a transition
// outside the lifecycle.
func (s *service) move(m *Membership, to string, now time.Time, reason string) error {
	from := m.Status
	if from == to {
		return nil
	}
	if !CanMove(from, to) {
		return &errs.Error{Kind: errs.Conflict, Reason: "status_transition",
			Message: fmt.Sprintf("The membership is %s: it cannot become %s.", from, to),
			Params:  map[string]string{"status": fmt.Sprintf("Cannot go from %s to %s.", from, to)}}
	}
	m.Status = to
	switch to {
	case StatusActive:
		if m.DateActivated == nil {
			m.DateActivated = &now
		}
		if from == StatusOnHold {
			m.SuspendReason = ""
		}
		if m.Recurring && (m.DateExpiration == nil || !m.DateExpiration.After(now)) && from != StatusOnHold {
			t := AddPeriod(now, m.Duration, m.DurationUnit)
			m.DateExpiration = &t
		}
	case StatusTrialing:
		if m.DateTrialEnd != nil && m.DateExpiration == nil {
			t := *m.DateTrialEnd
			m.DateExpiration = &t
		}
	case StatusOnHold:
		m.SuspendReason = reason
	case StatusExpired:
		if m.DateExpiration == nil || m.DateExpiration.After(now) {
			m.DateExpiration = &now
		}
		m.RenewalPaymentID = 0
	case StatusCancelled:
		m.DateCancellation = &now
		m.CancellationReason = reason
		m.AutoRenew = false
		m.RenewalPaymentID = 0
	}
	return nil
}

func (s *service) Get(ctx context.Context, id int64) (Membership, error) {
	m, err := s.store.Get(ctx, id)
	if err != nil {
		return Membership{}, err
	}
	if !visible(ctx, m.CustomerID) {
		return Membership{}, notFound()
	}
	return m, nil
}

func (s *service) List(ctx context.Context, f ListFilter) ([]Membership, int, error) {
	if scope := principal.CustomerScope(ctx); scope != 0 {
		if f.CustomerID != 0 && f.CustomerID != scope {
			return []Membership{}, 0, nil
		}
		f.CustomerID = scope
	}
	var c errs.Collector
	if f.OrderBy == "" {
		f.OrderBy = ByID
	}
	if !slices.Contains(Orders, f.OrderBy) {
		c.Invalid("orderby", "Unknown sort key.")
	}
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		c.Invalid("status", "Must be one of: "+strings.Join(Statuses, ", ")+".")
	}
	if len(f.Search) > 200 {
		c.Invalid("search", "Must be at most 200 characters.")
	}
	if f.Offset < 0 || f.Limit < 0 {
		c.Invalid("page", "Out of range.")
	}
	if err := c.Err(); err != nil {
		return nil, 0, err
	}
	return s.store.List(ctx, f)
}

// change loads membership id (visible to the caller), lets fn change it
// and saves it with its date_modified.
func (s *service) change(ctx context.Context, id int64, fn func(*Membership, time.Time) error) (Membership, error) {
	now := s.clock()
	return s.store.Update(ctx, id, func(m *Membership) error {
		if !visible(ctx, m.CustomerID) {
			return notFound()
		}
		before := m.Clone()
		if err := fn(m, now); err != nil {
			return err
		}
		if !reflect.DeepEqual(before, m.Clone()) {
			m.DateModified = now
		}
		return nil
	})
}

func (s *service) Update(ctx context.Context, id int64, in Input) (Membership, error) {
	return s.change(ctx, id, func(m *Membership, now time.Time) error {
		var c errs.Collector
		if in.CustomerID != nil && *in.CustomerID != m.CustomerID {
			if !visible(ctx, *in.CustomerID) {
				c.Invalid("customer_id", "No customer has this id.")
			} else if _, err := s.customers.Get(ctx, *in.CustomerID); errors.Is(err, errs.NotFound) {
				c.Invalid("customer_id", "No customer has this id.")
			} else if err != nil {
				return err
			}
			m.CustomerID = *in.CustomerID
		}
		if in.PlanID != nil && *in.PlanID != m.PlanID {
			if _, err := s.catalog.Get(ctx, *in.PlanID); errors.Is(err, errs.NotFound) {
				c.Invalid("plan_id", "No product has this id.")
			} else if err != nil {
				return err
			}
			m.PlanID = *in.PlanID
		}
		in.applyFields(&c, m)
		if in.Addons != nil {
			if _, err := s.addons(ctx, &c, *m); err != nil {
				return err
			}
		}
		status := m.Status
		if in.Status != nil {
			status = strings.TrimSpace(*in.Status)
			if !slices.Contains(Statuses, status) {
				c.Invalid("status", "Must be one of: "+strings.Join(Statuses, ", ")+".")
			}
		}
		if err := c.Err(); err != nil {
			return err
		}
		return s.move(m, status, now, reasonOf(in))
	})
}

func (s *service) Delete(ctx context.Context, id int64) (Membership, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return Membership{}, err
	}
	return s.store.Delete(ctx, id)
}

// act applies a lifecycle action once: already there is a conflict too.
func (s *service) act(ctx context.Context, id int64, to, already, reason string, from ...string) (Membership, error) {
	return s.change(ctx, id, func(m *Membership, now time.Time) error {
		if m.Status == to {
			return &errs.Error{Kind: errs.Conflict, Reason: "status_transition", Message: "The membership is already " + already + ".",
				Params: map[string]string{"status": "Is already " + m.Status + "."}}
		}
		if len(from) > 0 && !slices.Contains(from, m.Status) {
			return &errs.Error{Kind: errs.Conflict, Reason: "status_transition",
				Message: fmt.Sprintf("The membership is %s: only a membership that is %s can be.", m.Status, strings.Join(from, " or ")),
				Params:  map[string]string{"status": "Is " + m.Status + "."}}
		}
		return s.move(m, to, now, reason)
	})
}

func (s *service) Suspend(ctx context.Context, id int64, reason string) (Membership, error) {
	var c errs.Collector
	checkText(&c, "reason", reason)
	if err := c.Err(); err != nil {
		return Membership{}, err
	}
	return s.act(ctx, id, StatusOnHold, "suspended", strings.TrimSpace(reason), StatusActive, StatusTrialing)
}

func (s *service) Unsuspend(ctx context.Context, id int64) (Membership, error) {
	return s.act(ctx, id, StatusActive, "active", "", StatusOnHold)
}

func (s *service) Expire(ctx context.Context, id int64) (Membership, error) {
	return s.act(ctx, id, StatusExpired, "expired", "", StatusPending, StatusActive, StatusTrialing, StatusOnHold)
}

func (s *service) Cancel(ctx context.Context, id int64, reason string) (Membership, error) {
	var c errs.Collector
	checkText(&c, "reason", reason)
	if err := c.Err(); err != nil {
		return Membership{}, err
	}
	return s.act(ctx, id, StatusCancelled, "cancelled", strings.TrimSpace(reason))
}
