package site

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the site service's operations as go-kit endpoints, shared
// by every transport.
type Endpoints struct {
	Create    endpoint.Endpoint
	Enqueue   endpoint.Endpoint
	Get       endpoint.Endpoint
	GetByCode endpoint.Endpoint
	List      endpoint.Endpoint
	Update    endpoint.Endpoint
	Delete    endpoint.Endpoint
	Detail    endpoint.Endpoint
}

// DetailResponse is a site with its live plan and its add-ons.
type DetailResponse struct {
	Site    Site
	Options []string
}

// CreateRequest asks for a new site.
type CreateRequest struct{ New NewSite }

// IDRequest names one site by id.
type IDRequest struct{ ID int64 }

// CodeRequest names one site by code.
type CodeRequest struct{ Code string }

// ListRequest pages through sites.
type ListRequest struct{ Filter ListFilter }

// ListResponse is a page of sites and how many were selected in all.
type ListResponse struct {
	Sites []Site
	Total int
}

// UpdateRequest changes one site.
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
		Enqueue: func(ctx context.Context, req any) (any, error) {
			return s.Enqueue(ctx, req.(CreateRequest).New)
		},
		Get: func(ctx context.Context, req any) (any, error) {
			return s.Get(ctx, req.(IDRequest).ID)
		},
		GetByCode: func(ctx context.Context, req any) (any, error) {
			return s.GetByCode(ctx, req.(CodeRequest).Code)
		},
		List: func(ctx context.Context, req any) (any, error) {
			ss, n, err := s.List(ctx, req.(ListRequest).Filter)
			return ListResponse{Sites: ss, Total: n}, err
		},
		Update: func(ctx context.Context, req any) (any, error) {
			r := req.(UpdateRequest)
			return s.Update(ctx, r.ID, r.Patch)
		},
		Detail: func(ctx context.Context, req any) (any, error) {
			st, opts, err := s.Detail(ctx, req.(CodeRequest).Code)
			return DetailResponse{Site: st, Options: opts}, err
		},
		Delete: func(ctx context.Context, req any) (any, error) {
			switch r := req.(type) {
			case CodeRequest:
				st, err := s.GetByCode(ctx, r.Code)
				if err != nil {
					return nil, err
				}
				return s.Delete(ctx, st.ID)
			default:
				return s.Delete(ctx, req.(IDRequest).ID)
			}
		},
	}
}
