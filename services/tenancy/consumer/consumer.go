// Package consumer handles the events tenancy listens to: site.created on
// the sites service's stream creates the site's tables in the shared
// hosting database, once per event id.
package consumer

import (
	"context"
	"errors"
	"log/slog"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// SitesSource is the service whose stream is consumed.
const SitesSource = "sites"

// Group is tenancy's consumer group on the sites stream; an installation
// names its own (GroupOf), so that installations sharing one Redis each
// receive every event.
const Group = "tenancy"

// GroupOf is the consumer group of the installation tagged tag
// (HOSTPLANE_CONSUL_TAG).
func GroupOf(tag string) string { return Group + "." + tag }

// SiteCreated is the event type handled.
const SiteCreated = "site.created"

// siteData is the data of the sites service's site events.
type siteData struct {
	SiteID     int64  `json:"site_id"`
	Code       string `json:"code"`
	CustomerID int64  `json:"customer_id"`
}

// Deduper runs a handling once per event id (tenants.Store does).
type Deduper interface {
	Once(ctx context.Context, consumer, id string, fn func(context.Context) error) (bool, error)
}

// Handler handles the sites stream's events. Events it has nothing to do
// with, malformed ones, sites this installation's sites service does not
// know (by id and code: another installation's, on a shared Redis), and
// sites that are tenants already (or an installation without PostgreSQL)
// are acknowledged and skipped; any other failure leaves the event to be
// delivered again.
func Handler(d Deduper, svc tenants.Service, sites tenants.Sites, log *slog.Logger) events.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return func(ctx context.Context, e events.Event) error {
		if e.Type != SiteCreated {
			return nil
		}
		var data siteData
		if err := e.Decode(&data); err != nil || data.SiteID <= 0 {
			log.WarnContext(ctx, "tenancy: skipping a malformed site.created", "id", e.ID, "err", err)
			return nil
		}
		site, err := sites.Site(ctx, data.SiteID)
		if errors.Is(err, errs.NotFound) || err == nil && site.Code != data.Code {
			log.DebugContext(ctx, "tenancy: site.created of an unknown site", "site_id", data.SiteID, "id", e.ID)
			return nil
		}
		if err != nil {
			return err
		}
		_, err = d.Once(ctx, Group+"."+SiteCreated, e.ID, func(ctx context.Context) error {
			_, err := svc.CreateSharedTables(ctx, data.SiteID)
			if errors.Is(err, errs.Conflict) {
				log.InfoContext(ctx, "tenancy: site.created needs no shared tables", "site_id", data.SiteID, "reason", errs.PublicMessage(err))
				return nil
			}
			return err
		})
		return err
	}
}
