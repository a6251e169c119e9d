package transport

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/upstream"
	"github.com/hostplane/hostplane/services/tenancy/client"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// MountInternal mounts the routes other services call (never exposed by
// the gateway): GET /internal/v1/tenants/{site_id} (status) and POST
// /internal/v1/tenants/{site_id}/shared-tables (create the site's tables in
// the shared hosting database, idempotent).
func MountInternal(r *httpkit.Router, e tenants.Endpoints) {
	writeErr := func(w http.ResponseWriter, _ *http.Request, err error) { upstream.WriteError(w, err) }
	r.Handle(http.MethodGet, client.TenantsPath+"{site_id}", httpkit.Endpoint(e.Status, decodeSite,
		func(w http.ResponseWriter, _ *http.Request, resp any) error {
			return httpio.WriteJSON(w, http.StatusOK, statusView(resp.(tenants.Status)))
		}, writeErr))
	r.Handle(http.MethodPost, client.TenantsPath+"{site_id}/shared-tables", httpkit.Endpoint(e.CreateSharedTables, decodeSite,
		func(w http.ResponseWriter, _ *http.Request, resp any) error {
			tr := resp.(tenants.TablesResponse)
			return httpio.WriteJSON(w, http.StatusOK, client.SharedTables{SiteID: tr.SiteID, Tables: tr.Tables})
		}, writeErr))
}
