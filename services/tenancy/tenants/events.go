package tenants

import (
	"strconv"

	"github.com/hostplane/hostplane/libs/events"
)

// Source is the service name stamped on tenancy's events: they go to the
// Redis Stream events.Stream(Source).
const Source = "tenancy"

// Event types tenancy publishes.
const (
	EventBootstrapped = "tenant.bootstrapped"
	EventVerified     = "tenant.verified"
	EventDeleted      = "tenant.deleted"
	EventFailed       = "tenant.failed"
)

// EventData is the data of every tenant event.
type EventData struct {
	SiteID         int64             `json:"site_id"`
	CustomerID     int64             `json:"customer_id"`
	IsolationModel string            `json:"isolation_model"`
	DatabaseHost   string            `json:"database_host"`
	DatabaseName   string            `json:"database_name"`
	State          string            `json:"state"`
	Step           string            `json:"step,omitempty"`
	Error          string            `json:"error,omitempty"`
	Ready          bool              `json:"ready"`
	Verification   map[string]string `json:"verification"`
}

// event describes t for an event of type typ.
func (s *service) event(typ string, t *Tenant) events.Event {
	model := ModelSovereign
	if typ == EventDeleted {
		model = ModelShared
	}
	e, err := events.New(Source, typ, "tenant:"+strconv.FormatInt(t.SiteID, 10), EventData{
		SiteID: t.SiteID, CustomerID: t.CustomerID, IsolationModel: model, DatabaseHost: t.Placement.Host,
		DatabaseName: t.Placement.Database, State: string(t.State), Step: string(t.Step), Error: t.Error,
		Ready: t.Ready(), Verification: map[string]string{
			"no_legacy": string(t.Checks.NoLegacy), "sovereign_push": string(t.Checks.SovereignPush), "tenant_users": string(t.Checks.TenantUsers),
		},
	})
	if err != nil {
		panic(err) // EventData always encodes
	}
	return e
}
