package keys

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the key service's operations as go-kit endpoints, shared by
// every transport.
type Endpoints struct {
	Create endpoint.Endpoint
	Seed   endpoint.Endpoint
	List   endpoint.Endpoint
	Get    endpoint.Endpoint
	Update endpoint.Endpoint
	Rotate endpoint.Endpoint
	Revoke endpoint.Endpoint
	Verify endpoint.Endpoint
}

// CreateRequest asks for a new key.
type CreateRequest struct{ NewKey NewKey }

// SeedRequest makes or resets a key with a given credential.
type SeedRequest struct {
	NewKey         NewKey
	APIKey, Secret string
}

// ListRequest pages through keys.
type ListRequest struct{ Filter ListFilter }

// ListResponse is a page of keys.
type ListResponse struct {
	Keys  []Key
	Total int
}

// IDRequest names one key.
type IDRequest struct{ ID int64 }

// UpdateRequest changes one key.
type UpdateRequest struct {
	ID    int64
	Patch Patch
}

// RotateRequest gives a key a new secret.
type RotateRequest struct {
	ID      int64
	Options RotateOptions
}

// VerifyRequest is a credential pair to check.
type VerifyRequest struct{ APIKey, Secret string }

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Create: func(ctx context.Context, req any) (any, error) {
			return s.Create(ctx, req.(CreateRequest).NewKey)
		},
		Seed: func(ctx context.Context, req any) (any, error) {
			r := req.(SeedRequest)
			return s.Seed(ctx, r.NewKey, r.APIKey, r.Secret)
		},
		List: func(ctx context.Context, req any) (any, error) {
			ks, n, err := s.List(ctx, req.(ListRequest).Filter)
			return ListResponse{Keys: ks, Total: n}, err
		},
		Get: func(ctx context.Context, req any) (any, error) {
			return s.Get(ctx, req.(IDRequest).ID)
		},
		Update: func(ctx context.Context, req any) (any, error) {
			r := req.(UpdateRequest)
			return s.Update(ctx, r.ID, r.Patch)
		},
		Rotate: func(ctx context.Context, req any) (any, error) {
			r := req.(RotateRequest)
			return s.Rotate(ctx, r.ID, r.Options)
		},
		Revoke: func(ctx context.Context, req any) (any, error) {
			return s.Revoke(ctx, req.(IDRequest).ID)
		},
		Verify: func(ctx context.Context, req any) (any, error) {
			r := req.(VerifyRequest)
			return s.Verify(ctx, r.APIKey, r.Secret)
		},
	}
}
