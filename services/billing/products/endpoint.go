package products

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the product service's operations as go-kit endpoints.
type Endpoints struct {
	Create, Get, Find, List, Update, Delete                               endpoint.Endpoint
	CreatePricing, GetPricing, ListPricings, UpdatePricing, DeletePricing endpoint.Endpoint
}

// IDRequest names one product (or pricing).
type IDRequest struct{ ID int64 }

// FindRequest names a product by id or slug.
type FindRequest struct{ Ref string }

// CreateRequest asks for a product.
type CreateRequest struct{ In Input }

// UpdateRequest changes a product.
type UpdateRequest struct {
	ID int64
	In Input
}

// ListRequest pages through products.
type ListRequest struct{ Filter ListFilter }

// ListResponse is a page of products and how many the filter selects.
type ListResponse struct {
	Products []Product
	Total    int
}

// CreatePricingRequest asks for a pricing.
type CreatePricingRequest struct{ In PricingInput }

// UpdatePricingRequest changes a pricing.
type UpdatePricingRequest struct {
	ID int64
	In PricingInput
}

// ListPricingsRequest pages through pricings.
type ListPricingsRequest struct{ Filter PricingFilter }

// ListPricingsResponse is a page of pricings.
type ListPricingsResponse struct {
	Pricings []Pricing
	Total    int
}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Create: func(ctx context.Context, req any) (any, error) { return s.Create(ctx, req.(CreateRequest).In) },
		Get:    func(ctx context.Context, req any) (any, error) { return s.Get(ctx, req.(IDRequest).ID) },
		Find:   func(ctx context.Context, req any) (any, error) { return s.Find(ctx, req.(FindRequest).Ref) },
		List: func(ctx context.Context, req any) (any, error) {
			ps, n, err := s.List(ctx, req.(ListRequest).Filter)
			return ListResponse{Products: ps, Total: n}, err
		},
		Update: func(ctx context.Context, req any) (any, error) {
			r := req.(UpdateRequest)
			return s.Update(ctx, r.ID, r.In)
		},
		Delete: func(ctx context.Context, req any) (any, error) { return s.Delete(ctx, req.(IDRequest).ID) },
		CreatePricing: func(ctx context.Context, req any) (any, error) {
			return s.CreatePricing(ctx, req.(CreatePricingRequest).In)
		},
		GetPricing: func(ctx context.Context, req any) (any, error) { return s.GetPricing(ctx, req.(IDRequest).ID) },
		ListPricings: func(ctx context.Context, req any) (any, error) {
			ps, n, err := s.ListPricings(ctx, req.(ListPricingsRequest).Filter)
			return ListPricingsResponse{Pricings: ps, Total: n}, err
		},
		UpdatePricing: func(ctx context.Context, req any) (any, error) {
			r := req.(UpdatePricingRequest)
			return s.UpdatePricing(ctx, r.ID, r.In)
		},
		DeletePricing: func(ctx context.Context, req any) (any, error) {
			return s.DeletePricing(ctx, req.(IDRequest).ID)
		},
	}
}
