package payments

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the payment service's operations as go-kit endpoints.
type Endpoints struct {
	Create, Get, List, Update, Delete endpoint.Endpoint
}

// IDRequest names one payment.
type IDRequest struct{ ID int64 }

// CreateRequest asks for a payment.
type CreateRequest struct{ In Input }

// UpdateRequest changes a payment.
type UpdateRequest struct {
	ID int64
	In Input
}

// ListRequest pages through payments.
type ListRequest struct{ Filter ListFilter }

// ListResponse is a page of payments and how many the filter selects.
type ListResponse struct {
	Payments []Payment
	Total    int
}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Create: func(ctx context.Context, req any) (any, error) { return s.Create(ctx, req.(CreateRequest).In) },
		Get:    func(ctx context.Context, req any) (any, error) { return s.Get(ctx, req.(IDRequest).ID) },
		List: func(ctx context.Context, req any) (any, error) {
			ps, n, err := s.List(ctx, req.(ListRequest).Filter)
			return ListResponse{Payments: ps, Total: n}, err
		},
		Update: func(ctx context.Context, req any) (any, error) {
			r := req.(UpdateRequest)
			return s.Update(ctx, r.ID, r.In)
		},
		Delete: func(ctx context.Context, req any) (any, error) { return s.Delete(ctx, req.(IDRequest).ID) },
	}
}
