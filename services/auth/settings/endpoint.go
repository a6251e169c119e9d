package settings

import (
	"context"
	"encoding/json"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the settings service's operations as go-kit endpoints.
type Endpoints struct {
	List endpoint.Endpoint
	Get  endpoint.Endpoint
	Set  endpoint.Endpoint
	// Bool reads one boolean setting (BoolRequest → bool): what gateways
	// and billing poll.
	Bool endpoint.Endpoint
}

// ListRequest asks for every setting.
type ListRequest struct{}

// KeyRequest names one setting.
type KeyRequest struct{ Key string }

// SetRequest stores a value.
type SetRequest struct {
	Key   string
	Value json.RawMessage
}

// BoolRequest reads a boolean setting.
type BoolRequest struct{ Key string }

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		List: func(ctx context.Context, _ any) (any, error) { return s.List(ctx) },
		Get: func(ctx context.Context, req any) (any, error) {
			return s.Get(ctx, req.(KeyRequest).Key)
		},
		Set: func(ctx context.Context, req any) (any, error) {
			r := req.(SetRequest)
			return s.Set(ctx, r.Key, r.Value)
		},
		Bool: func(ctx context.Context, req any) (any, error) {
			return s.Bool(ctx, req.(BoolRequest).Key)
		},
	}
}
