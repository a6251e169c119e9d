package tenants

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the tenant service's operations as go-kit endpoints, shared
// by every transport.
type Endpoints struct {
	Bootstrap          endpoint.Endpoint
	Status             endpoint.Endpoint
	Verify             endpoint.Endpoint
	Delete             endpoint.Endpoint
	CreateSharedTables endpoint.Endpoint
}

// SiteRequest names one site.
type SiteRequest struct{ SiteID int64 }

// BootstrapResponse is the status after a bootstrap request; Accepted is
// false when the tenant was ready already.
type BootstrapResponse struct {
	Status   Status
	Accepted bool
}

// TablesResponse lists the shared tables of a site.
type TablesResponse struct {
	SiteID int64
	Tables []string
}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Bootstrap: func(ctx context.Context, req any) (any, error) {
			st, accepted, err := s.Bootstrap(ctx, req.(SiteRequest).SiteID)
			return BootstrapResponse{Status: st, Accepted: accepted}, err
		},
		Status: func(ctx context.Context, req any) (any, error) {
			return s.Status(ctx, req.(SiteRequest).SiteID)
		},
		Verify: func(ctx context.Context, req any) (any, error) {
			return s.Verify(ctx, req.(SiteRequest).SiteID)
		},
		Delete: func(ctx context.Context, req any) (any, error) {
			return s.Delete(ctx, req.(SiteRequest).SiteID)
		},
		CreateSharedTables: func(ctx context.Context, req any) (any, error) {
			id := req.(SiteRequest).SiteID
			tables, err := s.CreateSharedTables(ctx, id)
			return TablesResponse{SiteID: id, Tables: tables}, err
		},
	}
}
