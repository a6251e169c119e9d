package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/sites/idempotency"
)

// Service creates and shows jobs. A caller whose key is restricted to one
// customer sees only that customer's jobs (others are not found).
type Service interface {
	// Enqueue creates a job (or, for a retried Idempotency-Key, returns
	// the one the first request made) and wakes the workers.
	Enqueue(ctx context.Context, in New) (Job, error)
	// Get returns job id of site code.
	Get(ctx context.Context, code string, id int64) (Job, error)
}

// New is a job to create.
type New struct {
	Kind       string
	SiteID     int64
	SiteCode   string
	CustomerID int64
	Params     any
	// IdempotencyKey and Request (what the caller asked, hashed) make a
	// retried request find the same job.
	IdempotencyKey string
	Request        any
}

type service struct {
	store Store
	wake  func()
	now   func() time.Time
}

// NewService returns the job service over store; wake (may be nil) is
// called after every enqueue.
func NewService(store Store, wake func(), now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	if wake == nil {
		wake = func() {}
	}
	return &service{store: store, wake: wake, now: now}
}

func notFound() error { return errs.NotFoundResource("job", "") }

func (s *service) Enqueue(ctx context.Context, in New) (Job, error) {
	rec, err := idempotency.New(ctx, in.IdempotencyKey, "job", struct {
		Kind    string
		Request any
	}{in.Kind, in.Request})
	if err != nil {
		return Job{}, err
	}
	if id, found, err := idempotency.Replay(ctx, s.store, rec); err != nil {
		return Job{}, err
	} else if found {
		return s.store.Get(ctx, id)
	}
	params, err := json.Marshal(in.Params)
	if err != nil {
		return Job{}, fmt.Errorf("jobs: encode params: %w", err)
	}
	now := s.now().UTC()
	j := Job{Kind: in.Kind, SiteID: in.SiteID, SiteCode: in.SiteCode, CustomerID: in.CustomerID,
		Status: StatusTodo, Params: params, DateCreated: now, DateModified: now}
	if err := s.store.Create(ctx, &j, rec); err != nil {
		if errs.KindOf(err) == errs.Conflict && rec != nil {
			// Another request with the same key won the race.
			if id, found, rerr := idempotency.Replay(ctx, s.store, rec); rerr == nil && found {
				return s.store.Get(ctx, id)
			}
		}
		return Job{}, err
	}
	s.wake()
	return j, nil
}

func (s *service) Get(ctx context.Context, code string, id int64) (Job, error) {
	j, err := s.store.Get(ctx, id)
	if err != nil {
		return Job{}, err
	}
	if j.SiteCode != code {
		return Job{}, notFound()
	}
	if c := principal.CustomerScope(ctx); c != 0 && j.CustomerID != c {
		return Job{}, notFound()
	}
	return j, nil
}
