package backups

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the backup service's operations as go-kit endpoints.
type Endpoints struct {
	List    endpoint.Endpoint
	Create  endpoint.Endpoint
	Restore endpoint.Endpoint
}

// ListRequest names a site.
type ListRequest struct{ Code string }

// CreateRequest asks for a backup of a site.
type CreateRequest struct{ Code, IdempotencyKey string }

// RestoreRequest asks to restore backup Ref of a site.
type RestoreRequest struct{ Code, Ref, IdempotencyKey string }

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		List: func(ctx context.Context, req any) (any, error) { return s.List(ctx, req.(ListRequest).Code) },
		Create: func(ctx context.Context, req any) (any, error) {
			r := req.(CreateRequest)
			return s.Create(ctx, r.Code, r.IdempotencyKey)
		},
		Restore: func(ctx context.Context, req any) (any, error) {
			r := req.(RestoreRequest)
			return s.Restore(ctx, r.Code, r.Ref, r.IdempotencyKey)
		},
	}
}
