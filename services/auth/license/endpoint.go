package license

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the license service's operations as go-kit endpoints.
type Endpoints struct {
	Get endpoint.Endpoint
}

// GetRequest asks for the license.
type GetRequest struct{}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{Get: func(ctx context.Context, _ any) (any, error) { return s.Get(ctx) }}
}
