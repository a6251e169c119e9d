package activity

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/stats/directory"
)

// Service reads activity logs. A caller restricted to a customer reads
// only that customer's sites' logs (others are not found).
type Service interface {
	// List returns a page of a site's log, newest first, and how many
	// entries match.
	List(ctx context.Context, code string, q Query) ([]Entry, int, error)
}

// Query filters and pages a log.
type Query struct {
	Types         []string // of Types; empty: all
	Since         time.Time
	Offset, Limit int
}

// Sites finds a site by code for the caller in ctx (directory.Directory).
type Sites interface {
	ByCode(ctx context.Context, code string) (directory.Site, error)
}

type service struct {
	store Store
	sites Sites
}

// NewService returns the activity service.
func NewService(store Store, sites Sites) Service { return &service{store: store, sites: sites} }

func (s *service) List(ctx context.Context, code string, q Query) ([]Entry, int, error) {
	for _, t := range q.Types {
		if !slices.Contains(Types, t) {
			return nil, 0, errs.InvalidField("type", "Must be one of: "+strings.Join(Types, ", ")+".")
		}
	}
	if q.Offset < 0 || q.Limit < 0 {
		return nil, 0, errs.InvalidField("page", "Out of range.")
	}
	site, err := s.sites.ByCode(ctx, code)
	if err != nil {
		return nil, 0, err
	}
	return s.store.List(ctx, Filter{SiteID: site.ID, CustomerID: site.CustomerID, Types: q.Types, Since: q.Since,
		Offset: q.Offset, Limit: q.Limit})
}
