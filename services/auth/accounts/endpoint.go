package accounts

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the account service's operations as go-kit endpoints.
type Endpoints struct {
	Get           endpoint.Endpoint
	UpdateContact endpoint.Endpoint
}

// GetRequest asks for the caller's account.
type GetRequest struct{}

// UpdateContactRequest changes the caller's account's contact.
type UpdateContactRequest struct{ Patch ContactPatch }

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Get: func(ctx context.Context, _ any) (any, error) { return s.Get(ctx) },
		UpdateContact: func(ctx context.Context, req any) (any, error) {
			return s.UpdateContact(ctx, req.(UpdateContactRequest).Patch)
		},
	}
}
