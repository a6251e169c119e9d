package customers

import (
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/billingevent"
)

// Event types of customers.
const (
	EventCreated = "customer.created"
	EventUpdated = "customer.updated"
	EventDeleted = "customer.deleted"
)

// EventData is the data of every customer event.
type EventData struct {
	CustomerID int64  `json:"customer_id"`
	UserID     int64  `json:"user_id"`
	Status     string `json:"status"`
}

// Events are the events of a change from before to after: nil before is a
// creation, nil after a deletion. Store adapters write them with the
// change.
func Events(before, after *Customer) []events.Event {
	typ, c := EventUpdated, after
	switch {
	case before == nil:
		typ = EventCreated
	case after == nil:
		typ, c = EventDeleted, before
	}
	return []events.Event{billingevent.New(typ, billingevent.Subject("customer", c.ID),
		EventData{CustomerID: c.ID, UserID: c.UserID, Status: c.Status})}
}
