package traffic

import (
	"context"
	"time"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the traffic service's operations as go-kit endpoints.
type Endpoints struct {
	Ingest     endpoint.Endpoint
	Collect    endpoint.Endpoint
	Report     endpoint.Endpoint
	Stats      endpoint.Endpoint
	Live       endpoint.Endpoint
	CollectKey endpoint.Endpoint
}

// SiteRequest names a site by code.
type SiteRequest struct{ Code string }

// IngestEndpointRequest is a batch for a site.
type IngestEndpointRequest struct {
	Code string
	In   IngestRequest
}

// ReportRequest asks for a site's report between two days.
type ReportRequest struct {
	Code       string
	Start, End time.Time
}

// LiveResponse is a site's live visitor count.
type LiveResponse struct{ Visitors int64 }

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Ingest: func(ctx context.Context, req any) (any, error) {
			r := req.(IngestEndpointRequest)
			return s.Ingest(ctx, r.Code, r.In)
		},
		Collect: func(ctx context.Context, req any) (any, error) {
			return nil, s.Collect(ctx, req.(Beacon))
		},
		Report: func(ctx context.Context, req any) (any, error) {
			r := req.(ReportRequest)
			return s.Report(ctx, r.Code, r.Start, r.End)
		},
		Stats: func(ctx context.Context, req any) (any, error) {
			return s.Stats(ctx, req.(SiteRequest).Code)
		},
		Live: func(ctx context.Context, req any) (any, error) {
			n, err := s.Live(ctx, req.(SiteRequest).Code)
			return LiveResponse{Visitors: n}, err
		},
		CollectKey: func(ctx context.Context, req any) (any, error) {
			return s.CollectKey(ctx, req.(SiteRequest).Code)
		},
	}
}
