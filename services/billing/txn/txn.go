// Package txn is the billing service's unit of work. A Runner runs a
// function in one transaction: every store call made with the context it
// passes joins that transaction, and the events those calls write are
// published only if it commits. Checkout uses it to create a customer, a
// membership and a payment all or nothing; stores called outside a Runner
// work in transactions of their own.
package txn

import "context"

// Runner runs fn in one transaction. fn's error rolls everything back and
// is returned as is; nil commits. A Runner called with a context already
// inside a transaction joins it.
type Runner interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

type allOrNothingKey struct{}

// AllOrNothing marks ctx, passed to a Runner, as the context of a unit of
// work that its caller rolls back whole on any error (checkout): the
// stores called inside need not guard their own writes with a savepoint,
// one round trip before and one after each. A caller that goes on after
// an error of a store call must not use it.
func AllOrNothing(ctx context.Context) context.Context {
	return context.WithValue(ctx, allOrNothingKey{}, true)
}

// IsAllOrNothing reports whether ctx was marked by AllOrNothing.
func IsAllOrNothing(ctx context.Context) bool {
	v, _ := ctx.Value(allOrNothingKey{}).(bool)
	return v
}
