package domains

import (
	"strconv"

	"github.com/hostplane/hostplane/libs/events"
)

// Event types of domains.
const (
	EventCreated = "domain.created"
	EventUpdated = "domain.updated"
	EventDeleted = "domain.deleted"
)

// EventData is the data of every domain event.
type EventData struct {
	DomainID int64  `json:"domain_id"`
	SiteID   int64  `json:"site_id"`
	Domain   string `json:"domain"`
	Primary  bool   `json:"primary_domain"`
	Stage    string `json:"stage"`
}

// NewEvent makes the event typ about d.
func NewEvent(typ string, d Domain) (events.Event, error) {
	return events.New("sites", typ, "domain:"+strconv.FormatInt(d.ID, 10),
		EventData{DomainID: d.ID, SiteID: d.SiteID, Domain: d.Name, Primary: d.Primary, Stage: d.Stage})
}
