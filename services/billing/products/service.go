package products

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/billing/txn"
)

// Service manages the catalogue's products and pricings. The catalogue is
// the installation's: a key restricted to a customer may read it, not
// change it. A product's own pricing (its currency, the cycle of its
// duration) follows its primary price: creating or updating the product
// sets that cycle's price and setup fee.
type Service interface {
	Create(ctx context.Context, in Input) (Product, error)
	Get(ctx context.Context, id int64) (Product, error)
	// Find returns a product by id or slug ("12" or "basic-plan").
	Find(ctx context.Context, ref string) (Product, error)
	List(ctx context.Context, f ListFilter) ([]Product, int, error)
	Update(ctx context.Context, id int64, in Input) (Product, error)
	Delete(ctx context.Context, id int64) (Product, error)

	CreatePricing(ctx context.Context, in PricingInput) (Pricing, error)
	GetPricing(ctx context.Context, id int64) (Pricing, error)
	ListPricings(ctx context.Context, f PricingFilter) ([]Pricing, int, error)
	UpdatePricing(ctx context.Context, id int64, in PricingInput) (Pricing, error)
	DeletePricing(ctx context.Context, id int64) (Pricing, error)
}

// MaxSearch bounds the search term of lists.
const MaxSearch = 200

type service struct {
	store Store
	tx    txn.Runner
	now   func() time.Time
}

// NewService returns the product service over store; tx makes a product
// and its pricing change together; now (nil: time.Now) dates changes.
func NewService(store Store, tx txn.Runner, now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	return &service{store: store, tx: tx, now: now}
}

func (s *service) clock() time.Time { return s.now().UTC().Truncate(time.Second) }

// writable refuses changes from a key restricted to a customer.
func writable(ctx context.Context) error {
	if principal.CustomerScope(ctx) != 0 {
		return errs.New(errs.Forbidden, "Sorry, you are not allowed to do that: your key is restricted to one customer.")
	}
	return nil
}

func (s *service) Create(ctx context.Context, in Input) (Product, error) {
	if err := writable(ctx); err != nil {
		return Product{}, err
	}
	p := newProduct()
	if err := in.apply(&p); err != nil {
		return Product{}, err
	}
	if err := s.checkAddons(ctx, p); err != nil {
		return Product{}, err
	}
	p.DateCreated, p.DateModified = s.clock(), s.clock()
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.Create(ctx, &p); err != nil {
			return err
		}
		return s.follow(ctx, p)
	})
	return p, err
}

// checkAddons refuses add-ons that are not products.
func (s *service) checkAddons(ctx context.Context, p Product) error {
	if len(p.Addons) == 0 {
		return nil
	}
	found, _, err := s.store.List(ctx, ListFilter{IDs: p.Addons})
	if err != nil {
		return err
	}
	if len(found) != len(slices.Compact(slices.Sorted(slices.Values(p.Addons)))) {
		return errs.InvalidField("available_addons", "Must list ids of existing products.")
	}
	return nil
}

// follow sets the price of p's cycle in its own currency's pricing.
func (s *service) follow(ctx context.Context, p Product) error {
	cycle := CycleOf(p.Recurring, p.Duration, p.DurationUnit)
	if cycle == "" {
		return nil
	}
	existing, _, err := s.store.ListPricings(ctx, PricingFilter{ProductIDs: []int64{p.ID}, Currency: p.Currency})
	if err != nil {
		return err
	}
	now := s.clock()
	if len(existing) == 0 {
		pr := Pricing{ProductID: p.ID, Currency: p.Currency, Prices: map[string]int64{cycle: p.Amount},
			Setup: map[string]int64{}, DateCreated: now, DateModified: now}
		if p.SetupFee != 0 {
			pr.Setup[cycle] = p.SetupFee
		}
		return s.store.CreatePricing(ctx, &pr)
	}
	_, err = s.store.UpdatePricing(ctx, existing[0].ID, func(pr *Pricing) error {
		before := pr.Clone()
		pr.Prices[cycle] = p.Amount
		if p.SetupFee != 0 {
			pr.Setup[cycle] = p.SetupFee
		} else {
			delete(pr.Setup, cycle)
		}
		if !reflect.DeepEqual(before, *pr) {
			pr.DateModified = now
		}
		return nil
	})
	return err
}

func (s *service) Get(ctx context.Context, id int64) (Product, error) { return s.store.Get(ctx, id) }

func (s *service) Find(ctx context.Context, ref string) (Product, error) {
	ref = strings.TrimSpace(ref)
	var id int64
	if _, err := fmt.Sscan(ref, &id); err == nil && fmt.Sprint(id) == ref {
		return s.store.Get(ctx, id)
	}
	p, err := s.store.GetBySlug(ctx, strings.ToLower(ref))
	if errors.Is(err, errs.NotFound) {
		return Product{}, errs.NotFoundResource("product", "No product has the id or slug "+fmt.Sprintf("%.64q", ref)+".")
	}
	return p, err
}

func (s *service) List(ctx context.Context, f ListFilter) ([]Product, int, error) {
	var c errs.Collector
	if f.OrderBy == "" {
		f.OrderBy = ByID
	}
	if !slices.Contains(Orders, f.OrderBy) {
		c.Invalid("orderby", "Unknown sort key.")
	}
	if f.Type != "" && !slices.Contains(Types, f.Type) {
		c.Invalid("type", "Must be one of: "+strings.Join(Types, ", ")+".")
	}
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		c.Invalid("status", "Must be one of: "+strings.Join(Statuses, ", ")+".")
	}
	if !utf8.ValidString(f.Search) || strings.ContainsRune(f.Search, 0) || utf8.RuneCountInString(f.Search) > MaxSearch {
		c.Invalid("search", fmt.Sprintf("Must be valid text of at most %d characters.", MaxSearch))
	}
	if f.Offset < 0 || f.Limit < 0 {
		c.Invalid("page", "Out of range.")
	}
	if err := c.Err(); err != nil {
		return nil, 0, err
	}
	return s.store.List(ctx, f)
}

func (s *service) Update(ctx context.Context, id int64, in Input) (Product, error) {
	if err := writable(ctx); err != nil {
		return Product{}, err
	}
	now := s.clock()
	var out Product
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var changed bool
		p, err := s.store.Update(ctx, id, func(p *Product) error {
			before := p.Clone()
			if err := in.apply(p); err != nil {
				return err
			}
			if changed = !reflect.DeepEqual(before, p.Clone()); changed {
				p.DateModified = now
			}
			return nil
		})
		if err != nil {
			return err
		}
		out = p
		if !changed {
			return nil
		}
		if in.Addons != nil {
			if err := s.checkAddons(ctx, p); err != nil {
				return err
			}
		}
		return s.follow(ctx, p)
	})
	return out, err
}

func (s *service) Delete(ctx context.Context, id int64) (Product, error) {
	if err := writable(ctx); err != nil {
		return Product{}, err
	}
	return s.store.Delete(ctx, id)
}

func (s *service) CreatePricing(ctx context.Context, in PricingInput) (Pricing, error) {
	if err := writable(ctx); err != nil {
		return Pricing{}, err
	}
	p := Pricing{Prices: map[string]int64{}, Setup: map[string]int64{}}
	if err := in.apply(&p); err != nil {
		return Pricing{}, err
	}
	p.DateCreated, p.DateModified = s.clock(), s.clock()
	if err := s.store.CreatePricing(ctx, &p); err != nil {
		return Pricing{}, err
	}
	return p, nil
}

func (s *service) GetPricing(ctx context.Context, id int64) (Pricing, error) {
	return s.store.GetPricing(ctx, id)
}

func (s *service) ListPricings(ctx context.Context, f PricingFilter) ([]Pricing, int, error) {
	if f.Offset < 0 || f.Limit < 0 {
		return nil, 0, errs.InvalidField("page", "Out of range.")
	}
	return s.store.ListPricings(ctx, f)
}

func (s *service) UpdatePricing(ctx context.Context, id int64, in PricingInput) (Pricing, error) {
	if err := writable(ctx); err != nil {
		return Pricing{}, err
	}
	now := s.clock()
	return s.store.UpdatePricing(ctx, id, func(p *Pricing) error {
		before := p.Clone()
		if err := in.apply(p); err != nil {
			return err
		}
		if !reflect.DeepEqual(before, p.Clone()) {
			p.DateModified = now
		}
		return nil
	})
}

func (s *service) DeletePricing(ctx context.Context, id int64) (Pricing, error) {
	if err := writable(ctx); err != nil {
		return Pricing{}, err
	}
	return s.store.DeletePricing(ctx, id)
}
