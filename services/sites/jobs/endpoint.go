package jobs

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the job service's operations as go-kit endpoints.
type Endpoints struct {
	Get endpoint.Endpoint
}

// GetRequest names job ID of site Code.
type GetRequest struct {
	Code string
	ID   int64
}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Get: func(ctx context.Context, req any) (any, error) {
			r := req.(GetRequest)
			return s.Get(ctx, r.Code, r.ID)
		},
	}
}
