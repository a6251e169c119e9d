// Package renewal is the billing service's renewal scheduler. At every
// tick it ends the period of each live membership whose expiration has
// passed: an auto-renewing one gets a pending renewal payment (once), the
// others expire; and it extends the membership of every renewal payment
// that was completed since (times_billed + 1, date_expiration + one
// period, membership.renewed). A membership whose renewal payment is
// still not paid a grace period after its expiration expires. Several
// schedulers (one per billing instance) may run at once: each membership
// and payment is claimed by one of them (FOR UPDATE SKIP LOCKED).
package renewal

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
)

// Store finds the work of a tick. Both calls must run inside a
// transaction (txn.Runner): what they return stays claimed by it, and
// another scheduler's calls skip it, until it ends.
type Store interface {
	// Due returns up to limit live memberships (active, trialing) whose
	// expiration is at or before now, and that have no renewal payment
	// yet or one waiting since before now - grace, oldest expiration
	// first.
	Due(ctx context.Context, now time.Time, grace time.Duration, limit int) ([]memberships.Membership, error)
	// Paid returns up to limit completed renewal payments not applied yet.
	Paid(ctx context.Context, limit int) ([]payments.Payment, error)
}
