// Package consumer turns billing's membership events into site changes:
// membership.suspended|expired|cancelled suspend or close the membership's
// sites, membership.unsuspended|activated|renewed reopen them. Each event
// is applied once (its id is recorded with the change); others are
// acknowledged and ignored.
package consumer

import (
	"context"
	"errors"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/sites/site"
)

// Stream is billing's event stream.
var Stream = events.Stream("billing")

// Group is the consumer group of the sites service.
const Group = site.Consumer

// membershipData is the data of billing's membership events.
type membershipData struct {
	MembershipID int64  `json:"membership_id"`
	CustomerID   int64  `json:"customer_id"`
	PlanID       int64  `json:"plan_id"`
	SiteID       int64  `json:"site_id"`
	Status       string `json:"status"`
}

// Handler applies billing's events to sites.
func Handler(svc site.Service) events.Handler {
	return func(ctx context.Context, e events.Event) error {
		if !site.HandlesMembership(e.Type) {
			return nil
		}
		var d membershipData
		if err := e.Decode(&d); err != nil {
			// Unreadable data will not become readable: drop it.
			return nil
		}
		if e.ID == "" {
			return errors.New("consumer: event without id")
		}
		return svc.ApplyMembership(ctx, site.MembershipEvent{
			ID: e.ID, Type: e.Type, MembershipID: d.MembershipID, SiteID: d.SiteID, PlanID: d.PlanID, Status: d.Status,
		})
	}
}
