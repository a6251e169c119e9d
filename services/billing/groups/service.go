package groups

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
)

// Service manages product groups. The catalogue is the installation's:
// a key restricted to a customer may read it, not change it.
type Service interface {
	Create(ctx context.Context, in Input) (Group, error)
	Get(ctx context.Context, id int64) (Group, error)
	List(ctx context.Context, f ListFilter) ([]Group, int, error)
	Update(ctx context.Context, id int64, in Input) (Group, error)
	Delete(ctx context.Context, id int64) (Group, error)
}

type service struct {
	store Store
	now   func() time.Time
}

// NewService returns the group service over store; now (nil: time.Now)
// dates changes.
func NewService(store Store, now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	return &service{store: store, now: now}
}

func (s *service) clock() time.Time { return s.now().UTC().Truncate(time.Second) }

// writable refuses changes from a key restricted to a customer.
func writable(ctx context.Context) error {
	if principal.CustomerScope(ctx) != 0 {
		return errs.New(errs.Forbidden, "Sorry, you are not allowed to do that: your key is restricted to one customer.")
	}
	return nil
}

func (s *service) Create(ctx context.Context, in Input) (Group, error) {
	if err := writable(ctx); err != nil {
		return Group{}, err
	}
	g := Group{Status: "active"}
	if err := in.apply(&g); err != nil {
		return Group{}, err
	}
	g.DateCreated, g.DateModified = s.clock(), s.clock()
	if err := s.store.Create(ctx, &g); err != nil {
		return Group{}, err
	}
	return g, nil
}

func (s *service) Get(ctx context.Context, id int64) (Group, error) { return s.store.Get(ctx, id) }

func (s *service) List(ctx context.Context, f ListFilter) ([]Group, int, error) {
	return s.store.List(ctx, f)
}

func (s *service) Update(ctx context.Context, id int64, in Input) (Group, error) {
	if err := writable(ctx); err != nil {
		return Group{}, err
	}
	now := s.clock()
	return s.store.Update(ctx, id, func(g *Group) error {
		before := *g
		if err := in.apply(g); err != nil {
			return err
		}
		if *g != before {
			g.DateModified = now
		}
		return nil
	})
}

func (s *service) Delete(ctx context.Context, id int64) (Group, error) {
	if err := writable(ctx); err != nil {
		return Group{}, err
	}
	return s.store.Delete(ctx, id)
}
