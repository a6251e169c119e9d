// Package fakesites is an in-memory stand-in for the sites service's
// client (checkout.Sites) for billing's tests: sites by code, idempotent
// creation by key, and faults to inject.
package fakesites

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	sites "github.com/hostplane/hostplane/services/sites/client"
)

// Sites is a fake sites service.
type Sites struct {
	mu    sync.Mutex
	next  int64
	sites map[int64]sites.Site
	byKey map[string]int64
	// FailCreate, FailDelete and FailFind, when set, are returned by the
	// next calls.
	FailCreate, FailDelete, FailFind error
	// Deleted lists the ids Delete removed.
	Deleted []int64
}

// New returns an empty fake.
func New() *Sites { return &Sites{sites: map[int64]sites.Site{}, byKey: map[string]int64{}} }

// Create makes a site; a taken code is a conflict naming code.
func (s *Sites) Create(_ context.Context, in sites.CreateSite) (sites.Site, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.FailCreate != nil {
		return sites.Site{}, s.FailCreate
	}
	if id, ok := s.byKey[in.IdempotencyKey]; ok && in.IdempotencyKey != "" {
		return s.sites[id], nil
	}
	for _, x := range s.sites {
		if x.Code == in.Code {
			return sites.Site{}, &errs.Error{Kind: errs.Conflict, Message: "The code is taken.", Params: map[string]string{"code": "Already in use."}}
		}
	}
	s.next++
	site := sites.Site{ID: s.next, Code: in.Code, CustomerID: in.CustomerID, MembershipID: in.MembershipID, Title: in.Title,
		Domain: in.Code + ".example.test", Path: "/", Type: "customer_owned", Active: true, Status: "open",
		DateCreated: time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC)}
	s.sites[site.ID] = site
	if in.IdempotencyKey != "" {
		s.byKey[in.IdempotencyKey] = site.ID
	}
	return site, nil
}

// Delete removes a site.
func (s *Sites) Delete(_ context.Context, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.FailDelete != nil {
		return s.FailDelete
	}
	delete(s.sites, id)
	s.Deleted = append(s.Deleted, id)
	return nil
}

// SiteByCode returns the site of code, as a caller restricted to a
// customer sees it.
func (s *Sites) SiteByCode(ctx context.Context, code string) (sites.Site, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.FailFind != nil {
		return sites.Site{}, s.FailFind
	}
	scope := principal.CustomerScope(ctx)
	for _, x := range s.sites {
		if x.Code == code && (scope == 0 || scope == x.CustomerID) {
			return x, nil
		}
	}
	return sites.Site{}, errs.NotFoundResource("site", "")
}

// All lists the sites, by id.
func (s *Sites) All() []sites.Site {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]sites.Site, 0, len(s.sites))
	for _, x := range s.sites {
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
