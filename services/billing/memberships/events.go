package memberships

import (
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/billingevent"
)

// Event types of memberships. Sites reacts to suspended (suspends the
// site), unsuspended and activated (reopens it), expired and cancelled
// (closes it).
const (
	EventCreated     = "membership.created"
	EventActivated   = "membership.activated"
	EventSuspended   = "membership.suspended"
	EventUnsuspended = "membership.unsuspended"
	EventExpired     = "membership.expired"
	EventCancelled   = "membership.cancelled"
	EventRenewed     = "membership.renewed"
	EventUpdated     = "membership.updated"
	EventDeleted     = "membership.deleted"
)

// EventData is the data of every membership event.
type EventData struct {
	MembershipID int64  `json:"membership_id"`
	CustomerID   int64  `json:"customer_id"`
	PlanID       int64  `json:"plan_id"`
	SiteID       int64  `json:"site_id"`
	Status       string `json:"status"`
}

// Events are the events of a change from before to after (nil before: a
// creation; nil after: a deletion, which cancels a live membership
// first). A status change gives the event of its transition, a new
// billing period membership.renewed, any other change membership.updated.
func Events(before, after *Membership) []events.Event {
	var types []string
	m := after
	switch {
	case before == nil:
		types = []string{EventCreated}
	case after == nil:
		m = before
		if before.Status != StatusCancelled && before.Status != StatusExpired {
			types = append(types, EventCancelled)
		}
		types = append(types, EventDeleted)
	default:
		if t := transitionEvent(before.Status, after.Status); t != "" {
			types = append(types, t)
		}
		if after.TimesBilled > before.TimesBilled {
			types = append(types, EventRenewed)
		}
		if len(types) == 0 {
			types = []string{EventUpdated}
		}
	}
	data := EventData{MembershipID: m.ID, CustomerID: m.CustomerID, PlanID: m.PlanID, SiteID: m.SiteID, Status: m.Status}
	if after == nil {
		data.Status = StatusCancelled
	}
	out := make([]events.Event, len(types))
	for i, t := range types {
		out[i] = billingevent.New(t, billingevent.Subject("membership", m.ID), data)
	}
	return out
}

func transitionEvent(from, to string) string {
	switch {
	case from == to:
		return ""
	case to == StatusOnHold:
		return EventSuspended
	case from == StatusOnHold && to == StatusActive:
		return EventUnsuspended
	case to == StatusActive || to == StatusTrialing:
		return EventActivated
	case to == StatusExpired:
		return EventExpired
	case to == StatusCancelled:
		return EventCancelled
	}
	return EventUpdated
}
