package payments

import (
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/amounts"
	"github.com/hostplane/hostplane/services/billing/billingevent"
)

// Event types of payments.
const (
	EventCreated   = "payment.created"
	EventCompleted = "payment.completed"
	EventRefunded  = "payment.refunded"
	EventFailed    = "payment.failed"
	EventUpdated   = "payment.updated"
	EventDeleted   = "payment.deleted"
)

// EventData is the data of every payment event; total is decimal text.
type EventData struct {
	PaymentID    int64  `json:"payment_id"`
	CustomerID   int64  `json:"customer_id"`
	MembershipID int64  `json:"membership_id"`
	Total        string `json:"total"`
	Currency     string `json:"currency"`
	Status       string `json:"status"`
	// PreviousStatus is the status before a change of status ("" when the
	// status did not change, and at creation and deletion).
	PreviousStatus string `json:"previous_status,omitempty"`
}

// Events are the events of a payment change (nil before: creation; nil
// after: deletion).
func Events(before, after *Payment) []events.Event {
	typ, p := EventUpdated, after
	switch {
	case before == nil:
		typ = EventCreated
	case after == nil:
		typ, p = EventDeleted, before
	case before.Status != after.Status:
		switch after.Status {
		case StatusCompleted:
			typ = EventCompleted
		case StatusRefunded, StatusPartiallyRefunded:
			typ = EventRefunded
		case StatusFailed:
			typ = EventFailed
		}
	}
	data := EventData{
		PaymentID: p.ID, CustomerID: p.CustomerID, MembershipID: p.MembershipID,
		Total: amounts.Format(p.Total, p.Currency), Currency: p.Currency, Status: p.Status,
	}
	if before != nil && after != nil && before.Status != after.Status {
		data.PreviousStatus = before.Status
	}
	return []events.Event{billingevent.New(typ, billingevent.Subject("payment", p.ID), data)}
}
