package customers

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the customer service's operations as go-kit endpoints,
// shared by every transport.
type Endpoints struct {
	Create endpoint.Endpoint
	Get    endpoint.Endpoint
	List   endpoint.Endpoint
	Update endpoint.Endpoint
	Delete endpoint.Endpoint
	Act    endpoint.Endpoint
}

// ActRequest applies a status action to one customer.
type ActRequest struct {
	ID     int64
	Action string
}

// CreateRequest asks for a new customer.
type CreateRequest struct{ New NewCustomer }

// IDRequest names one customer.
type IDRequest struct{ ID int64 }

// ListRequest pages through customers.
type ListRequest struct{ Filter ListFilter }

// ListResponse is a page of customers and the number selected in all.
type ListResponse struct {
	Customers []Customer
	Total     int
}

// UpdateRequest changes one customer.
type UpdateRequest struct {
	ID    int64
	Patch Patch
}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Create: func(ctx context.Context, req any) (any, error) {
			return s.Create(ctx, req.(CreateRequest).New)
		},
		Get: func(ctx context.Context, req any) (any, error) {
			return s.Get(ctx, req.(IDRequest).ID)
		},
		List: func(ctx context.Context, req any) (any, error) {
			cs, n, err := s.List(ctx, req.(ListRequest).Filter)
			return ListResponse{Customers: cs, Total: n}, err
		},
		Update: func(ctx context.Context, req any) (any, error) {
			r := req.(UpdateRequest)
			return s.Update(ctx, r.ID, r.Patch)
		},
		Delete: func(ctx context.Context, req any) (any, error) {
			return s.Delete(ctx, req.(IDRequest).ID)
		},
		Act: func(ctx context.Context, req any) (any, error) {
			r := req.(ActRequest)
			return s.Act(ctx, r.ID, r.Action)
		},
	}
}
