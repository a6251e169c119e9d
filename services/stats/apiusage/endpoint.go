package apiusage

import (
	"context"

	"github.com/go-kit/kit/endpoint"
	"github.com/hostplane/hostplane/services/stats/client"
)

// Endpoints are the usage service's operations as go-kit endpoints.
type Endpoints struct {
	Record endpoint.Endpoint
}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Record: func(ctx context.Context, req any) (any, error) { return s.Record(ctx, req.(client.Usage)) },
	}
}
