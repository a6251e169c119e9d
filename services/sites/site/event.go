package site

import (
	"strconv"

	"github.com/hostplane/hostplane/libs/events"
)

// Source is the name events of the sites service carry (their stream is
// events.Stream(Source)).
const Source = "sites"

// Event types of sites.
const (
	EventCreated     = "site.created"
	EventUpdated     = "site.updated"
	EventDeleted     = "site.deleted"
	EventSuspended   = "site.suspended"
	EventReactivated = "site.reactivated"
)

// EventData is the data of every site event.
type EventData struct {
	SiteID     int64  `json:"site_id"`
	Code       string `json:"code"`
	CustomerID int64  `json:"customer_id"`
	Status     string `json:"status"`
}

// NewEvent makes the event typ about s.
func NewEvent(typ string, s Site) (events.Event, error) {
	return events.New(Source, typ, "site:"+strconv.FormatInt(s.ID, 10),
		EventData{SiteID: s.ID, Code: s.Code, CustomerID: s.CustomerID, Status: s.Status})
}
