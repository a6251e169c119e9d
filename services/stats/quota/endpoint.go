package quota

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the usage service's operations as go-kit endpoints.
type Endpoints struct {
	Usage endpoint.Endpoint
}

// UsageRequest names a site by code.
type UsageRequest struct{ Code string }

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Usage: func(ctx context.Context, req any) (any, error) { return s.Usage(ctx, req.(UsageRequest).Code) },
	}
}
