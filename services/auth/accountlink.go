package auth

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/services/auth/accounts"
)

// keyAccounts lets the key service check and open the accounts keys
// belong to (keys.Accounts over the accounts store).
type keyAccounts struct {
	store accounts.Store
	now   func() time.Time
}

func (a keyAccounts) Exists(ctx context.Context, id int64) error {
	_, err := a.store.Get(ctx, id)
	return err
}

func (a keyAccounts) OpenReseller(ctx context.Context) (int64, error) {
	now := time.Now
	if a.now != nil {
		now = a.now
	}
	at := now().UTC().Truncate(time.Microsecond)
	acc := accounts.Account{Type: accounts.TypeReseller, Level: accounts.DefaultLevel, CreatedAt: at, UpdatedAt: at}
	if err := a.store.Create(ctx, &acc); err != nil {
		return 0, err
	}
	return acc.ID, nil
}
