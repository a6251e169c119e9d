// Package payments is the billing service's payment aggregate (wu
// payments): what a customer paid or owes for a membership or product,
// its totals in integer minor units, its gateway references, a unique
// invoice number sequential over the installation, and its status.
// Completing a renewal payment lets the renewal scheduler extend its
// membership.
package payments

import (
	"fmt"
	"slices"
	"time"
)

// InvoiceNumber formats the n-th invoice number of the installation
// ("INV-000042").
func InvoiceNumber(n int64) string { return fmt.Sprintf("INV-%06d", n) }

// Payment is one payment.
type Payment struct {
	ID               int64
	CustomerID       int64
	MembershipID     int64 // 0: none
	ProductID        int64 // 0: none
	ParentID         int64 // 0: none
	Currency         string
	Subtotal         int64
	TaxTotal         int64
	DiscountTotal    int64
	RefundTotal      int64
	Total            int64
	Status           string
	Gateway          string
	GatewayPaymentID string
	DiscountCode     string
	InvoiceNumber    string // set by the store
	Kind             string // KindInitial, KindRenewal or KindManual
	// Applied marks a completed renewal payment whose period the renewal
	// scheduler added to its membership.
	Applied      bool
	DateCreated  time.Time
	DateModified time.Time
}

// Kinds of payment.
const (
	KindManual  = "manual"  // created through the API
	KindInitial = "initial" // created by checkout with its membership
	KindRenewal = "renewal" // created by the renewal scheduler
)

// Statuses of a payment.
const (
	StatusPending           = "pending"
	StatusCompleted         = "completed"
	StatusRefunded          = "refunded"
	StatusPartiallyRefunded = "partially-refunded"
	StatusPartiallyPaid     = "partially-paid"
	StatusFailed            = "failed"
	StatusCancelled         = "cancelled"
	StatusDraft             = "draft"
)

// Statuses lists the payment statuses.
var Statuses = []string{StatusPending, StatusCompleted, StatusRefunded, StatusPartiallyRefunded,
	StatusPartiallyPaid, StatusFailed, StatusCancelled, StatusDraft}

// transitions lists where each status may go; refunded and cancelled are
// final.
var transitions = map[string][]string{
	StatusDraft:             {StatusPending, StatusCompleted, StatusPartiallyPaid, StatusFailed, StatusCancelled},
	StatusPending:           {StatusCompleted, StatusPartiallyPaid, StatusFailed, StatusCancelled},
	StatusPartiallyPaid:     {StatusCompleted, StatusFailed, StatusCancelled},
	StatusFailed:            {StatusPending, StatusCompleted, StatusCancelled},
	StatusCompleted:         {StatusRefunded, StatusPartiallyRefunded},
	StatusPartiallyRefunded: {StatusRefunded},
	StatusRefunded:          nil,
	StatusCancelled:         nil,
}

// CanMove reports whether a payment may go from one status to another.
func CanMove(from, to string) bool { return from == to || slices.Contains(transitions[from], to) }

// Order is a sort key of payment lists.
type Order string

// Sort keys; ties by id.
const (
	ByID          Order = "id"
	ByDateCreated Order = "date_created"
	ByTotal       Order = "total"
	ByStatus      Order = "status"
)

// Orders lists the sort keys, the default first.
var Orders = []Order{ByID, ByDateCreated, ByTotal, ByStatus}
