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
