package activity

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the activity service's operations as go-kit endpoints.
type Endpoints struct {
	Record endpoint.Endpoint
	List   endpoint.Endpoint
}

// RecordRequest is a batch of calls.
type RecordRequest struct{ Calls []Call }

// RecordResponse says how many calls were kept.
type RecordResponse struct{ Recorded int }

// ListRequest pages one key's log.
type ListRequest struct {
	KeyID         int64
	Offset, Limit int
}

// ListResponse is a page of calls.
type ListResponse struct {
	Calls []Call
	Total int
}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Record: func(ctx context.Context, req any) (any, error) {
			n, err := s.Record(ctx, req.(RecordRequest).Calls)
			return RecordResponse{Recorded: n}, err
		},
		List: func(ctx context.Context, req any) (any, error) {
			r := req.(ListRequest)
			calls, total, err := s.List(ctx, r.KeyID, r.Offset, r.Limit)
			return ListResponse{Calls: calls, Total: total}, err
		},
	}
}
