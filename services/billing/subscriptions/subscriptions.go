// Package subscriptions answers what a site or a membership is subscribed
// to: the sb dialect's subscription of a site (its membership, plan and
// options) and the add-on options every membership view shows. It reads
// memberships and the catalogue; it writes nothing.
package subscriptions

import (
	"context"
	"errors"
	"slices"

	"github.com/hostplane/hostplane/libs/errs"
	sites "github.com/hostplane/hostplane/services/sites/client"

	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/products"
)

// Subscription is a site's current membership with its plan and options.
type Subscription struct {
	Site       sites.Site
	Membership memberships.Membership
	Plan       products.Product
	Options    []Option
}

// Option is an add-on product of a membership.
type Option struct {
	Product  products.Product
	Quantity int
}

// Sites finds sites by code (the sites service's client).
type Sites interface {
	SiteByCode(ctx context.Context, code string) (sites.Site, error)
}

// Memberships reads memberships (memberships.Service: the caller's
// customer restriction applies).
type Memberships interface {
	Get(ctx context.Context, id int64) (memberships.Membership, error)
	List(ctx context.Context, f memberships.ListFilter) ([]memberships.Membership, int, error)
}

// Catalog reads products (products.Service).
type Catalog interface {
	Get(ctx context.Context, id int64) (products.Product, error)
	List(ctx context.Context, f products.ListFilter) ([]products.Product, int, error)
}

// Service answers subscription questions.
type Service interface {
	// OfSite returns the subscription of the site of code: the membership
	// the site names, else the latest membership attached to it that is
	// not cancelled. errs.NotFound (resource "subscription") when none.
	OfSite(ctx context.Context, code string) (Subscription, error)
	// Options returns the add-ons of m with their products.
	Options(ctx context.Context, m memberships.Membership) ([]Option, error)
}

type service struct {
	sites       Sites
	memberships Memberships
	catalog     Catalog
}

// NewService returns the subscription service.
func NewService(s Sites, ms Memberships, c Catalog) Service {
	return &service{sites: s, memberships: ms, catalog: c}
}

func none() error { return errs.NotFoundResource("subscription", "This site has no subscription.") }

func (s *service) OfSite(ctx context.Context, code string) (Subscription, error) {
	site, err := s.sites.SiteByCode(ctx, code)
	if err != nil {
		return Subscription{}, err
	}
	m, err := s.current(ctx, site)
	if err != nil {
		return Subscription{}, err
	}
	plan, err := s.catalog.Get(ctx, m.PlanID)
	if err != nil {
		return Subscription{}, err
	}
	opts, err := s.Options(ctx, m)
	if err != nil {
		return Subscription{}, err
	}
	return Subscription{Site: site, Membership: m, Plan: plan, Options: opts}, nil
}

// current is the membership of site.
func (s *service) current(ctx context.Context, site sites.Site) (memberships.Membership, error) {
	if site.MembershipID != 0 {
		m, err := s.memberships.Get(ctx, site.MembershipID)
		if err == nil {
			return m, nil
		}
		if !errors.Is(err, errs.NotFound) {
			return memberships.Membership{}, err
		}
	}
	ms, _, err := s.memberships.List(ctx, memberships.ListFilter{SiteID: site.ID, OrderBy: memberships.ByID, Desc: true})
	if err != nil {
		return memberships.Membership{}, err
	}
	for _, m := range ms {
		if m.Status != memberships.StatusCancelled {
			return m, nil
		}
	}
	return memberships.Membership{}, none()
}

func (s *service) Options(ctx context.Context, m memberships.Membership) ([]Option, error) {
	if len(m.Addons) == 0 {
		return []Option{}, nil
	}
	ids := make([]int64, len(m.Addons))
	for i, a := range m.Addons {
		ids[i] = a.ProductID
	}
	ps, _, err := s.catalog.List(ctx, products.ListFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	out := make([]Option, 0, len(m.Addons))
	for _, a := range m.Addons {
		i := slices.IndexFunc(ps, func(p products.Product) bool { return p.ID == a.ProductID })
		if i < 0 {
			continue // the product was deleted since
		}
		out = append(out, Option{Product: ps[i], Quantity: a.Quantity})
	}
	return out, nil
}
