package memory

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/groups"
	"github.com/hostplane/hostplane/services/billing/products"
)

func conflictOn(field, message string) error {
	return &errs.Error{Kind: errs.Conflict, Message: message, Params: map[string]string{field: "Already in use."}}
}

func microPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := micro(*t)
	return &u
}

// Groups is an in-memory groups.Store.
type Groups struct {
	t *table[groups.Group]
	// detach clears a deleted group from products (set by NewStores).
	detach func(id int64)
}

// NewGroups returns an empty store writing its events to outbox.
func NewGroups(outbox *events.MemoryOutbox) *Groups {
	return &Groups{t: newTable("group", outbox, func(g *groups.Group) *int64 { return &g.ID },
		func(g groups.Group) groups.Group {
			g.DateCreated, g.DateModified = micro(g.DateCreated), micro(g.DateModified)
			return g
		}, groups.Events)}
}

// check refuses a taken slug or an unknown parent (others are every other
// group, under the table's lock).
func (s *Groups) check(g *groups.Group, others func(func(groups.Group) bool)) error {
	parent := g.ParentID == 0
	for o := range others {
		if o.Slug == g.Slug {
			return conflictOn("slug", "The slug is already in use.")
		}
		parent = parent || o.ID == g.ParentID
	}
	if !parent {
		return errs.InvalidField("parent_id", "Does not exist.")
	}
	return nil
}

// Create inserts g.
func (s *Groups) Create(ctx context.Context, g *groups.Group) error {
	return s.t.create(ctx, g, s.check)
}

// Get returns group id.
func (s *Groups) Get(_ context.Context, id int64) (groups.Group, error) { return s.t.get(id) }

// List filters and pages groups by sort order then id.
func (s *Groups) List(_ context.Context, f groups.ListFilter) ([]groups.Group, int, error) {
	q := strings.ToLower(f.Search)
	all := s.t.list(func(g groups.Group) bool {
		return (f.Status == "" || g.Status == f.Status) && (f.ParentID == nil || g.ParentID == *f.ParentID) &&
			(q == "" || strings.Contains(strings.ToLower(g.Name), q) || strings.Contains(g.Slug, q))
	}, func(a, b groups.Group) bool {
		n := cmp.Or(cmp.Compare(a.SortOrder, b.SortOrder), cmp.Compare(a.ID, b.ID))
		if f.Desc {
			return n > 0
		}
		return n < 0
	})
	p, n := page(all, f.Offset, f.Limit)
	return p, n, nil
}

// Update applies fn to group id.
func (s *Groups) Update(ctx context.Context, id int64, fn func(*groups.Group) error) (groups.Group, error) {
	return s.t.update(ctx, id, func(g *groups.Group) error {
		created := g.DateCreated
		if err := fn(g); err != nil {
			return err
		}
		g.DateCreated = created
		return nil
	}, s.check)
}

// Delete removes group id; its products and sub-groups lose it.
func (s *Groups) Delete(ctx context.Context, id int64) (groups.Group, error) {
	g, err := s.t.remove(ctx, id, nil)
	if err != nil {
		return g, err
	}
	for _, child := range s.t.list(func(c groups.Group) bool { return c.ParentID == id }, func(a, b groups.Group) bool { return a.ID < b.ID }) {
		s.t.quietly(child.ID, func(c *groups.Group) { c.ParentID = 0 })
	}
	if s.detach != nil {
		s.detach(id)
	}
	return g, nil
}

// Products is an in-memory products.Store.
type Products struct {
	t        *table[products.Product]
	pricings *table[products.Pricing]
	groups   *Groups
	// inUse reports whether memberships name a product (set by NewStores).
	inUse func(id int64) bool
}

// NewProducts returns an empty store writing its events to outbox; groups
// (may be nil) checks group ids.
func NewProducts(outbox *events.MemoryOutbox, gs *Groups) *Products {
	return &Products{
		t: newTable("product", outbox, func(p *products.Product) *int64 { return &p.ID }, func(p products.Product) products.Product {
			p = p.Clone()
			p.DateCreated, p.DateModified = micro(p.DateCreated), micro(p.DateModified)
			return p
		}, products.Events),
		pricings: newTable("pricing", outbox, func(p *products.Pricing) *int64 { return &p.ID }, func(p products.Pricing) products.Pricing {
			p = p.Clone()
			p.DateCreated, p.DateModified = micro(p.DateCreated), micro(p.DateModified)
			return p
		}, products.PricingEvents),
		groups: gs,
	}
}

func (s *Products) check(p *products.Product, others func(func(products.Product) bool)) error {
	for o := range others {
		if o.Slug == p.Slug {
			return conflictOn("slug", "The slug is already in use.")
		}
	}
	if p.GroupID != 0 && s.groups != nil {
		if _, err := s.groups.t.get(p.GroupID); err != nil {
			return errs.InvalidField("group_id", "Does not exist.")
		}
	}
	return nil
}

// Create inserts p.
func (s *Products) Create(ctx context.Context, p *products.Product) error {
	return s.t.create(ctx, p, s.check)
}

// Get returns product id.
func (s *Products) Get(_ context.Context, id int64) (products.Product, error) { return s.t.get(id) }

// GetBySlug returns the product of slug.
func (s *Products) GetBySlug(_ context.Context, slug string) (products.Product, error) {
	return s.t.find(func(p products.Product) bool { return p.Slug == slug })
}

// List filters, orders and pages products.
func (s *Products) List(_ context.Context, f products.ListFilter) ([]products.Product, int, error) {
	q := strings.ToLower(f.Search)
	by := func(a, b products.Product) int {
		switch f.OrderBy {
		case products.BySortOrder:
			return cmp.Compare(a.SortOrder, b.SortOrder)
		case products.ByName:
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case products.ByAmount:
			return cmp.Compare(a.Amount, b.Amount)
		case products.ByDateCreated:
			return a.DateCreated.Compare(b.DateCreated)
		}
		return 0
	}
	all := s.t.list(func(p products.Product) bool {
		switch {
		case f.IDs != nil && !slices.Contains(f.IDs, p.ID),
			f.Type != "" && p.Type != f.Type,
			f.Status != "" && p.Status != f.Status,
			f.Statuses != nil && !slices.Contains(f.Statuses, p.Status),
			f.GroupID != 0 && p.GroupID != f.GroupID,
			f.CreatedFrom != nil && p.DateCreated.Before(*f.CreatedFrom),
			f.CreatedTo != nil && p.DateCreated.After(*f.CreatedTo):
			return false
		}
		return q == "" || strings.Contains(strings.ToLower(p.Name), q) || strings.Contains(p.Slug, q) ||
			strings.Contains(strings.ToLower(p.Description), q)
	}, func(a, b products.Product) bool {
		n := cmp.Or(by(a, b), cmp.Compare(a.ID, b.ID))
		if f.Desc {
			return n > 0
		}
		return n < 0
	})
	p, n := page(all, f.Offset, f.Limit)
	return p, n, nil
}

// Update applies fn to product id.
func (s *Products) Update(ctx context.Context, id int64, fn func(*products.Product) error) (products.Product, error) {
	return s.t.update(ctx, id, func(p *products.Product) error {
		created := p.DateCreated
		if err := fn(p); err != nil {
			return err
		}
		p.DateCreated = created
		return nil
	}, s.check)
}

// Delete removes product id and its pricings.
func (s *Products) Delete(ctx context.Context, id int64) (products.Product, error) {
	p, err := s.t.remove(ctx, id, func(products.Product) error {
		if s.inUse != nil && s.inUse(id) {
			return &errs.Error{Kind: errs.Conflict, Reason: "in_use",
				Message: "Memberships still subscribe to this product: cancel and delete them first."}
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	for _, pr := range s.pricings.list(func(pr products.Pricing) bool { return pr.ProductID == id }, func(a, b products.Pricing) bool { return a.ID < b.ID }) {
		s.pricings.drop(pr.ID)
	}
	return p, nil
}

// Take sells n of product id.
func (s *Products) Take(ctx context.Context, id int64, n int) (products.Product, error) {
	return s.t.update(ctx, id, func(p *products.Product) error {
		if p.Stock == products.Unlimited {
			return nil
		}
		if p.Stock < n {
			return &errs.Error{Kind: errs.Conflict, Reason: "out_of_stock", Message: "The product " + p.Slug + " is out of stock.",
				Params: map[string]string{"stock": "None left."}}
		}
		p.Stock -= n
		return nil
	}, nil)
}

// detachGroup clears group id from every product.
func (s *Products) detachGroup(id int64) {
	for _, p := range s.t.list(func(p products.Product) bool { return p.GroupID == id }, func(a, b products.Product) bool { return a.ID < b.ID }) {
		s.t.quietly(p.ID, func(p *products.Product) { p.GroupID = 0 })
	}
}

func (s *Products) checkPricing(p *products.Pricing, others func(func(products.Pricing) bool)) error {
	if _, err := s.t.get(p.ProductID); err != nil {
		return errs.InvalidField("product_id", "Does not exist.")
	}
	for o := range others {
		if o.ProductID == p.ProductID && o.Currency == p.Currency {
			return conflictOn("currency", "The product already has a pricing in this currency.")
		}
	}
	return nil
}

// CreatePricing inserts p.
func (s *Products) CreatePricing(ctx context.Context, p *products.Pricing) error {
	return s.pricings.create(ctx, p, s.checkPricing)
}

// GetPricing returns pricing id.
func (s *Products) GetPricing(_ context.Context, id int64) (products.Pricing, error) {
	return s.pricings.get(id)
}

// ListPricings filters and pages pricings by id.
func (s *Products) ListPricings(_ context.Context, f products.PricingFilter) ([]products.Pricing, int, error) {
	all := s.pricings.list(func(p products.Pricing) bool {
		return (f.ProductIDs == nil || slices.Contains(f.ProductIDs, p.ProductID)) && (f.Currency == "" || p.Currency == f.Currency)
	}, func(a, b products.Pricing) bool {
		if f.Desc {
			return a.ID > b.ID
		}
		return a.ID < b.ID
	})
	p, n := page(all, f.Offset, f.Limit)
	return p, n, nil
}

// UpdatePricing applies fn to pricing id.
func (s *Products) UpdatePricing(ctx context.Context, id int64, fn func(*products.Pricing) error) (products.Pricing, error) {
	return s.pricings.update(ctx, id, func(p *products.Pricing) error {
		created := p.DateCreated
		if err := fn(p); err != nil {
			return err
		}
		p.DateCreated = created
		return nil
	}, s.checkPricing)
}

// DeletePricing removes pricing id.
func (s *Products) DeletePricing(ctx context.Context, id int64) (products.Pricing, error) {
	return s.pricings.remove(ctx, id, nil)
}
