package payments

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
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/products"
)

// Service manages payments. A key restricted to a customer sees and
// changes only that customer's payments and creates payments only for it.
type Service interface {
	Create(ctx context.Context, in Input) (Payment, error)
	Get(ctx context.Context, id int64) (Payment, error)
	List(ctx context.Context, f ListFilter) ([]Payment, int, error)
	// Update changes the fields in sets; a status outside the lifecycle
	// (CanMove) is a conflict. Refunding sets refund_total to the total
	// unless given.
	Update(ctx context.Context, id int64, in Input) (Payment, error)
	Delete(ctx context.Context, id int64) (Payment, error)
}

// Customers finds customers (customers.Store).
type Customers interface {
	Get(ctx context.Context, id int64) (customers.Customer, error)
}

// Memberships finds memberships (memberships.Store).
type Memberships interface {
	Get(ctx context.Context, id int64) (memberships.Membership, error)
}

// Catalog finds products (products.Store).
type Catalog interface {
	Get(ctx context.Context, id int64) (products.Product, error)
}

type service struct {
	store       Store
	customers   Customers
	memberships Memberships
	catalog     Catalog
	now         func() time.Time
}

// NewService returns the payment service; now (nil: time.Now) dates
// changes.
func NewService(store Store, cs Customers, ms Memberships, catalog Catalog, now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	return &service{store: store, customers: cs, memberships: ms, catalog: catalog, now: now}
}

func (s *service) clock() time.Time { return s.now().UTC().Truncate(time.Second) }

func notFound() error { return errs.NotFoundResource("payment", "") }

func visible(ctx context.Context, customerID int64) bool {
	scope := principal.CustomerScope(ctx)
	return scope == 0 || scope == customerID
}

// refs checks the customer, membership and product p names, recording
// unknown ones; the membership gives its currency when p has none.
func (s *service) refs(ctx context.Context, c *errs.Collector, p *Payment) error {
	switch {
	case p.CustomerID == 0:
		c.Missing("customer_id")
	case p.CustomerID < 0 || !visible(ctx, p.CustomerID):
		c.Invalid("customer_id", "No customer has this id.")
	default:
		if _, err := s.customers.Get(ctx, p.CustomerID); errors.Is(err, errs.NotFound) {
			c.Invalid("customer_id", "No customer has this id.")
		} else if err != nil {
			return err
		}
	}
	if p.MembershipID != 0 {
		m, err := s.memberships.Get(ctx, p.MembershipID)
		switch {
		case errors.Is(err, errs.NotFound):
			c.Invalid("membership_id", "No membership has this id.")
		case err != nil:
			return err
		case m.CustomerID != p.CustomerID && !c.Has("customer_id"):
			c.Invalid("membership_id", "The membership belongs to another customer.")
		case p.Currency == "":
			p.Currency = m.Currency
		}
	}
	if p.ProductID != 0 {
		pr, err := s.catalog.Get(ctx, p.ProductID)
		switch {
		case errors.Is(err, errs.NotFound):
			c.Invalid("product_id", "No product has this id.")
		case err != nil:
			return err
		case p.Currency == "":
			p.Currency = pr.Currency
		}
	}
	return nil
}

func (s *service) Create(ctx context.Context, in Input) (Payment, error) {
	var c errs.Collector
	now := s.clock()
	p := Payment{Status: StatusPending, Kind: KindManual, DateCreated: now, DateModified: now}
	if in.Kind != "" {
		p.Kind = in.Kind
	}
	for _, r := range []struct {
		field string
		v     *int64
		dst   *int64
	}{{"customer_id", in.CustomerID, &p.CustomerID}, {"membership_id", in.MembershipID, &p.MembershipID}, {"product_id", in.ProductID, &p.ProductID}} {
		if r.v != nil {
			*r.dst = *r.v
			if *r.v < 0 {
				c.Invalid(r.field, "Must be a positive integer.")
			}
		}
	}
	// The membership's (or product's) currency is the default.
	if err := s.refs(ctx, &c, &p); err != nil {
		return Payment{}, err
	}
	if in.Currency == nil {
		if p.Currency == "" {
			c.Missing("currency")
		} else {
			cur := p.Currency
			in.Currency = &cur
		}
	}
	p.Currency = ""
	in.applyAmounts(&c, &p, true)
	in.applyText(&c, &p)
	if in.Status != nil {
		p.Status = strings.TrimSpace(*in.Status)
		if !slices.Contains(Statuses, p.Status) {
			c.Invalid("status", "Must be one of: "+strings.Join(Statuses, ", ")+".")
		}
	}
	if p.Status == StatusRefunded && in.RefundTotal == nil {
		p.RefundTotal = p.Total
	}
	if err := c.Err(); err != nil {
		return Payment{}, err
	}
	if err := s.store.Create(ctx, &p); err != nil {
		return Payment{}, err
	}
	return p, nil
}

func (s *service) Get(ctx context.Context, id int64) (Payment, error) {
	p, err := s.store.Get(ctx, id)
	if err != nil {
		return Payment{}, err
	}
	if !visible(ctx, p.CustomerID) {
		return Payment{}, notFound()
	}
	return p, nil
}

func (s *service) List(ctx context.Context, f ListFilter) ([]Payment, int, error) {
	if scope := principal.CustomerScope(ctx); scope != 0 {
		if f.CustomerID != 0 && f.CustomerID != scope {
			return []Payment{}, 0, nil
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

func (s *service) Update(ctx context.Context, id int64, in Input) (Payment, error) {
	now := s.clock()
	return s.store.Update(ctx, id, func(p *Payment) error {
		if !visible(ctx, p.CustomerID) {
			return notFound()
		}
		before := *p
		var c errs.Collector
		changedRefs := false
		for _, r := range []struct {
			v   *int64
			dst *int64
		}{{in.CustomerID, &p.CustomerID}, {in.MembershipID, &p.MembershipID}, {in.ProductID, &p.ProductID}} {
			if r.v != nil && *r.v != *r.dst {
				*r.dst, changedRefs = *r.v, true
			}
		}
		if changedRefs {
			if err := s.refs(ctx, &c, p); err != nil {
				return err
			}
		}
		in.applyAmounts(&c, p, false)
		in.applyText(&c, p)
		if in.Status != nil {
			to := strings.TrimSpace(*in.Status)
			switch {
			case !slices.Contains(Statuses, to):
				c.Invalid("status", "Must be one of: "+strings.Join(Statuses, ", ")+".")
			case !CanMove(p.Status, to):
				if err := c.Err(); err != nil {
					return err
				}
				return &errs.Error{Kind: errs.Conflict, Reason: "status_transition",
					Message: fmt.Sprintf("The payment is %s: it cannot become %s.", p.Status, to),
					Params:  map[string]string{"status": fmt.Sprintf("Cannot go from %s to %s.", p.Status, to)}}
			default:
				if to == StatusRefunded && in.RefundTotal == nil {
					p.RefundTotal = p.Total
				}
				p.Status = to
			}
		}
		if err := c.Err(); err != nil {
			return err
		}
		if !reflect.DeepEqual(before, *p) {
			p.DateModified = now
		}
		return nil
	})
}

func (s *service) Delete(ctx context.Context, id int64) (Payment, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return Payment{}, err
	}
	return s.store.Delete(ctx, id)
}
