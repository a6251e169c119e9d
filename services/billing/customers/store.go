package customers

import (
	"context"
	"time"
)

// Store is the persistence port of customers and their users. Adapters map
// their errors to libs/errs: a missing customer is errs.NotFound with
// resource "customer"; a taken username, email (compared
// case-insensitively) or user (a user has at most one customer) is
// errs.Conflict whose Params name the field (username, email, user_id); an
// unknown user_id is errs.Invalid whose Params name user_id.
type Store interface {
	// Create inserts c and sets its ID. When c.UserID is 0 it first inserts
	// c.User (its ID set too) and links it, in the same transaction;
	// otherwise it links the existing user c.UserID and loads it into
	// c.User.
	Create(ctx context.Context, c *Customer) error
	// Get returns a customer with its user.
	Get(ctx context.Context, id int64) (Customer, error)
	// List returns one page of the customers f selects, in f's order, and
	// how many f selects in all.
	List(ctx context.Context, f ListFilter) ([]Customer, int, error)
	// Update loads customer id with its user, lets fn change it and saves
	// the customer and user fields fn set, atomically. IDs cannot change.
	// An error from fn aborts the update and is returned as is; when fn
	// changes nothing, nothing is written.
	Update(ctx context.Context, id int64, fn func(*Customer) error) (Customer, error)
	// Delete removes customer id (never its user) and returns it as it was.
	Delete(ctx context.Context, id int64) (Customer, error)
}

// ListFilter selects, orders and pages customers.
type ListFilter struct {
	// CustomerID keeps only that customer (a restricted caller); 0 keeps all.
	CustomerID int64
	// Search keeps customers whose username, email, display name, extra
	// information, first or last name or company name contains it,
	// case-insensitively ("" keeps all).
	Search string
	// Status keeps customers with that status ("" keeps all).
	Status string
	// EmailVerification keeps customers in that email verification state
	// ("" keeps all).
	EmailVerification string
	// Email keeps the customer whose user has that email, compared
	// case-insensitively ("" keeps all).
	Email string
	// CreatedFrom and CreatedTo bound date_created, both inclusive.
	CreatedFrom, CreatedTo *time.Time
	OrderBy                Order // "" is ByID
	Desc                   bool
	Offset, Limit          int // Limit 0: no limit
}
