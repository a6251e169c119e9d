package activity

import "context"

// Store is the persistence port of activity logs.
type Store interface {
	// Append stores calls (cleaned) of keys that exist, dropping the others,
	// keeps the newest Keep calls of each key (by time, then order of
	// arrival; an adapter may hold some more between trims, never listed),
	// and moves each key's last use to its newest call if later. It
	// returns how many calls were stored.
	Append(ctx context.Context, calls []Call) (int, error)
	// List returns a page of the newest Keep calls of key keyID, newest
	// first, and their number.
	List(ctx context.Context, keyID int64, offset, limit int) ([]Call, int, error)
}
