package transport

import (
	"time"

	"github.com/hostplane/hostplane/services/billing/checkout"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/groups"
	"github.com/hostplane/hostplane/services/billing/idempotency"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
	"github.com/hostplane/hostplane/services/billing/subscriptions"
)

// Endpoints are every billing endpoint the transports mount, and what the
// views need to join (the options of a membership).
type Endpoints struct {
	Customers     customers.Endpoints
	Products      products.Endpoints
	Groups        groups.Endpoints
	Memberships   memberships.Endpoints
	Payments      payments.Endpoints
	Checkout      checkout.Endpoints
	Subscriptions subscriptions.Endpoints
	// Options expands the add-ons of a membership for its views.
	Options subscriptions.Service
}

// Retries configures Idempotency-Key handling of the writes a client may
// retry (wu POST /register and /payments).
type Retries struct {
	Store idempotency.Store
	// Secret keys the request fingerprints.
	Secret []byte
	Now    func() time.Time
}
