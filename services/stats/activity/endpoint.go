package activity

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the activity service's operations as go-kit endpoints.
type Endpoints struct {
	List endpoint.Endpoint
}

// ListRequest asks for a page of a site's log.
type ListRequest struct {
	Code  string
	Query Query
}

// ListResponse is a page of a log.
type ListResponse struct {
	Entries []Entry
	Total   int
}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		List: func(ctx context.Context, req any) (any, error) {
			r := req.(ListRequest)
			es, n, err := s.List(ctx, r.Code, r.Query)
			return ListResponse{Entries: es, Total: n}, err
		},
	}
}
