package checkout

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the checkout service's operations as go-kit endpoints.
type Endpoints struct {
	Register endpoint.Endpoint
}

// MakeEndpoints wires the endpoints of s: Register takes a Request and
// answers a Result.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Register: func(ctx context.Context, req any) (any, error) { return s.Register(ctx, req.(Request)) },
	}
}
