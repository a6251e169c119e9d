package domains

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the domain service's operations as go-kit endpoints.
type Endpoints struct {
	Create endpoint.Endpoint
	Get    endpoint.Endpoint
	List   endpoint.Endpoint
	Update endpoint.Endpoint
	Delete endpoint.Endpoint
}

// CreateRequest asks for a new mapping.
type CreateRequest struct{ New NewDomain }

// IDRequest names one domain.
type IDRequest struct{ ID int64 }

// ListRequest pages through domains.
type ListRequest struct{ Filter ListFilter }

// ListResponse is a page of domains and how many were selected in all.
type ListResponse struct {
	Domains []Domain
	Total   int
}

// UpdateRequest changes one domain.
type UpdateRequest struct {
	ID    int64
	Patch Patch
}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Create: func(ctx context.Context, req any) (any, error) { return s.Create(ctx, req.(CreateRequest).New) },
		Get:    func(ctx context.Context, req any) (any, error) { return s.Get(ctx, req.(IDRequest).ID) },
		List: func(ctx context.Context, req any) (any, error) {
			ds, n, err := s.List(ctx, req.(ListRequest).Filter)
			return ListResponse{Domains: ds, Total: n}, err
		},
		Update: func(ctx context.Context, req any) (any, error) {
			r := req.(UpdateRequest)
			return s.Update(ctx, r.ID, r.Patch)
		},
		Delete: func(ctx context.Context, req any) (any, error) { return s.Delete(ctx, req.(IDRequest).ID) },
	}
}
