package subscriptions

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the subscription service's operations as go-kit endpoints.
type Endpoints struct {
	OfSite endpoint.Endpoint
}

// SiteRequest names a site by code.
type SiteRequest struct{ Code string }

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		OfSite: func(ctx context.Context, req any) (any, error) { return s.OfSite(ctx, req.(SiteRequest).Code) },
	}
}
