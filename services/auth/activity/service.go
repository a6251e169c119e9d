package activity

import (
	"context"
	"fmt"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/auth/keys"
)

// Service records and reads activity logs.
type Service interface {
	// Record appends a batch of calls (the gateways' report); it returns how
	// many were kept.
	Record(ctx context.Context, calls []Call) (int, error)
	// List pages key id's log, newest first. A key the caller may not see
	// is not found.
	List(ctx context.Context, keyID int64, offset, limit int) ([]Call, int, error)
}

// Keys is what the service needs of the key service: its visibility rules.
type Keys interface {
	Get(ctx context.Context, id int64) (keys.Key, error)
}

type service struct {
	store Store
	keys  Keys
}

// NewService returns the activity service over store.
func NewService(store Store, keys Keys) Service { return &service{store: store, keys: keys} }

func (s *service) Record(ctx context.Context, calls []Call) (int, error) {
	if len(calls) > MaxBatch {
		return 0, errs.InvalidField("calls", fmt.Sprintf("At most %d calls per batch.", MaxBatch))
	}
	kept := make([]Call, 0, len(calls))
	for _, c := range calls {
		if c.clean() {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return 0, nil
	}
	return s.store.Append(ctx, kept)
}

func (s *service) List(ctx context.Context, keyID int64, offset, limit int) ([]Call, int, error) {
	if _, err := s.keys.Get(ctx, keyID); err != nil {
		return nil, 0, err
	}
	if offset < 0 || limit < 0 {
		return nil, 0, errs.InvalidField("page", "Out of range.")
	}
	return s.store.List(ctx, keyID, offset, limit)
}
