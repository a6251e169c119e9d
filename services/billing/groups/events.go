package groups

import (
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/billingevent"
)

// EventData is the data of group.created, .updated and .deleted.
type EventData struct {
	GroupID int64  `json:"group_id"`
	Slug    string `json:"slug"`
	Status  string `json:"status"`
}

// Events are the events of a change from before to after (nil before: a
// creation; nil after: a deletion).
func Events(before, after *Group) []events.Event {
	typ, g := "group.updated", after
	switch {
	case before == nil:
		typ = "group.created"
	case after == nil:
		typ, g = "group.deleted", before
	}
	return []events.Event{billingevent.New(typ, billingevent.Subject("group", g.ID), EventData{g.ID, g.Slug, g.Status})}
}
