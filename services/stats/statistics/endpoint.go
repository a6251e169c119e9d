package statistics

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the service's operations as go-kit endpoints.
type Endpoints struct{ Get endpoint.Endpoint }

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{Get: func(ctx context.Context, _ any) (any, error) { return s.Get(ctx) }}
}
