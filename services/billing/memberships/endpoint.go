package memberships

import (
	"context"

	"github.com/go-kit/kit/endpoint"
)

// Endpoints are the membership service's operations as go-kit endpoints.
type Endpoints struct {
	Create, Get, List, Update, Delete, Suspend, Unsuspend, Expire, Cancel endpoint.Endpoint
}

// IDRequest names one membership.
type IDRequest struct{ ID int64 }

// ReasonRequest names one membership and why (suspend, cancel).
type ReasonRequest struct {
	ID     int64
	Reason string
}

// CreateRequest asks for a membership.
type CreateRequest struct{ In Input }

// UpdateRequest changes a membership.
type UpdateRequest struct {
	ID int64
	In Input
}

// ListRequest pages through memberships.
type ListRequest struct{ Filter ListFilter }

// ListResponse is a page of memberships and how many the filter selects.
type ListResponse struct {
	Memberships []Membership
	Total       int
}

// MakeEndpoints wires the endpoints of s.
func MakeEndpoints(s Service) Endpoints {
	return Endpoints{
		Create: func(ctx context.Context, req any) (any, error) { return s.Create(ctx, req.(CreateRequest).In) },
		Get:    func(ctx context.Context, req any) (any, error) { return s.Get(ctx, req.(IDRequest).ID) },
		List: func(ctx context.Context, req any) (any, error) {
			ms, n, err := s.List(ctx, req.(ListRequest).Filter)
			return ListResponse{Memberships: ms, Total: n}, err
		},
		Update: func(ctx context.Context, req any) (any, error) {
			r := req.(UpdateRequest)
			return s.Update(ctx, r.ID, r.In)
		},
		Delete: func(ctx context.Context, req any) (any, error) { return s.Delete(ctx, req.(IDRequest).ID) },
		Suspend: func(ctx context.Context, req any) (any, error) {
			r := req.(ReasonRequest)
			return s.Suspend(ctx, r.ID, r.Reason)
		},
		Unsuspend: func(ctx context.Context, req any) (any, error) { return s.Unsuspend(ctx, req.(IDRequest).ID) },
		Expire:    func(ctx context.Context, req any) (any, error) { return s.Expire(ctx, req.(IDRequest).ID) },
		Cancel: func(ctx context.Context, req any) (any, error) {
			r := req.(ReasonRequest)
			return s.Cancel(ctx, r.ID, r.Reason)
		},
	}
}
