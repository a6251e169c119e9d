package accounts

import "context"

// Store is the persistence port of accounts. Adapters map their errors to
// libs/errs (a missing account is errs.NotFound with resource "account").
type Store interface {
	// Ensure stores a unless an account with its ID exists (then nothing
	// changes); CreatedAt and UpdatedAt are set when zero.
	Ensure(ctx context.Context, a Account) error
	// Create inserts a with a new ID and sets ID, CreatedAt and UpdatedAt.
	Create(ctx context.Context, a *Account) error
	Get(ctx context.Context, id int64) (Account, error)
	// Update runs fn on account id, with no other change in between, and
	// stores the Contact, Level and UpdatedAt it left. An error of fn is
	// returned as it is and nothing changes.
	Update(ctx context.Context, id int64, fn func(*Account) error) (Account, error)
}
