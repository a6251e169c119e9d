package accounts

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
)

// Service serves the caller's own account: the account its key belongs
// to (the operator's for internal callers).
type Service interface {
	// Get returns the caller's account.
	Get(ctx context.Context) (Account, error)
	// UpdateContact changes the fields p sets in the caller's account's
	// contact. A key restricted to one customer may not.
	UpdateContact(ctx context.Context, p ContactPatch) (Account, error)
	// EnsureOperator makes the operator's account unless it exists.
	EnsureOperator(ctx context.Context) error
}

type service struct {
	store Store
	now   func() time.Time
}

// NewService returns the account service over store; now (nil: time.Now)
// dates every change.
func NewService(store Store, now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	return &service{store: store, now: now}
}

func (s *service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// callerAccount is the account of the caller in ctx.
func callerAccount(ctx context.Context) int64 {
	if p := principal.From(ctx); p != nil && p.AccountID != 0 {
		return p.AccountID
	}
	return OperatorID
}

func (s *service) Get(ctx context.Context) (Account, error) {
	return s.store.Get(ctx, callerAccount(ctx))
}

func (s *service) UpdateContact(ctx context.Context, p ContactPatch) (Account, error) {
	if principal.CustomerScope(ctx) != 0 {
		return Account{}, errs.New(errs.Forbidden, "Sorry, you are not allowed to do that: your key is restricted to one customer.")
	}
	p = p.normalized()
	if err := p.validate(); err != nil {
		return Account{}, err
	}
	id := callerAccount(ctx)
	if p.Empty() {
		return s.store.Get(ctx, id)
	}
	now := s.clock()
	return s.store.Update(ctx, id, func(a *Account) error {
		p.apply(&a.Contact)
		a.UpdatedAt = now
		return nil
	})
}

func (s *service) EnsureOperator(ctx context.Context) error {
	now := s.clock()
	return s.store.Ensure(ctx, Account{ID: OperatorID, Type: TypeOperator, Level: DefaultLevel, CreatedAt: now, UpdatedAt: now})
}
