package keys

import (
	"context"
	"errors"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
)

// Accounts is what the key service needs of the accounts aggregate: that
// the account a key is given to exists, and a new reseller account for a
// key that opens one.
type Accounts interface {
	// Exists is nil when account id exists, errs.NotFound when not.
	Exists(ctx context.Context, id int64) error
	// OpenReseller makes a new reseller account and returns its id.
	OpenReseller(ctx context.Context) (int64, error)
}

// WithAccounts lets keys be given to another account (NewKey.AccountID)
// and open reseller accounts (NewKey.NewReseller); without it, a key
// belongs to its creator's account.
func WithAccounts(a Accounts) Option {
	return func(s *service) { s.accounts = a }
}

// checkAccount decides which account a new key belongs to, before anything
// is written: the operator's keys (and system callers) may name any
// existing account or open a reseller's; other keys only make keys of
// their own account.
func (s *service) checkAccount(ctx context.Context, c *errs.Collector, in *NewKey) error {
	if in.AccountID < 0 {
		c.Invalid("account_id", "Must be a positive integer.")
		return nil
	}
	if in.NewReseller && in.AccountID != 0 {
		c.Invalid("reseller", "Give either account_id or reseller, not both.")
		return nil
	}
	if in.AccountID == 0 && !in.NewReseller {
		return nil
	}
	if p := principal.From(ctx); p != nil && !p.System {
		own := p.AccountID
		if own == 0 {
			own = OperatorAccountID
		}
		switch {
		case in.NewReseller && (own != OperatorAccountID || p.CustomerID != 0):
			return errs.New(errs.Forbidden, "Only the operator's unrestricted keys may open reseller accounts.")
		case in.AccountID != 0 && in.AccountID != own && (own != OperatorAccountID || p.CustomerID != 0):
			return errs.New(errs.Forbidden, "Your key can only create keys of its own account (%d).", own)
		}
	}
	if s.accounts == nil {
		if in.NewReseller || in.AccountID != OperatorAccountID {
			c.Invalid("account_id", "This installation keeps every key in the operator's account.")
		}
		return nil
	}
	if in.AccountID != 0 {
		if err := s.accounts.Exists(ctx, in.AccountID); errors.Is(err, errs.NotFound) {
			c.Invalid("account_id", "Unknown account.")
		} else if err != nil {
			return err
		}
	}
	return nil
}
