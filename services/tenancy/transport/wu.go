package transport

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// wuBase is where the wu dialect's tenants live.
const wuBase = "/wp-json/wu/v2/tenants/"

// MountWU mounts the sovereign tenant endpoints of the wu dialect:
//
//	POST   /wp-json/wu/v2/tenants/{site_id}/bootstrap         202 (started or running) or 200 (ready already)
//	GET    /wp-json/wu/v2/tenants/{site_id}/migration-status  200
//	POST   /wp-json/wu/v2/tenants/{site_id}/verify            200, the checks run now
//	DELETE /wp-json/wu/v2/tenants/{site_id}                   200 {"deleted":true,"previous":{…}}
//
// Every answer is the status body; an unknown site is a 404
// wu_rest_tenant_invalid_id, a conflict (no PostgreSQL, a job running) a
// 409 wu_rest_conflict.
func MountWU(r *httpkit.Router, e tenants.Endpoints) {
	status := func(w http.ResponseWriter, _ *http.Request, resp any) error {
		wu.WriteJSON(w, http.StatusOK, statusView(resp.(tenants.Status)))
		return nil
	}
	bootstrapped := func(w http.ResponseWriter, _ *http.Request, resp any) error {
		br := resp.(tenants.BootstrapResponse)
		code := http.StatusOK
		if br.Accepted {
			code = http.StatusAccepted
		}
		wu.WriteJSON(w, code, statusView(br.Status))
		return nil
	}
	deleted := func(w http.ResponseWriter, _ *http.Request, resp any) error {
		wu.WriteDeleted(w, statusView(resp.(tenants.Status)))
		return nil
	}
	one := wuBase + "{site_id}"
	r.Handle(http.MethodPost, one+"/bootstrap", httpkit.Endpoint(e.Bootstrap, decodeBootstrap, bootstrapped, wu.WriteError))
	r.Handle(http.MethodGet, one+"/migration-status", httpkit.Endpoint(e.Status, decodeSite, status, wu.WriteError))
	r.Handle(http.MethodPost, one+"/verify", httpkit.Endpoint(e.Verify, decodeSite, status, wu.WriteError))
	r.Handle(http.MethodDelete, one, httpkit.Endpoint(e.Delete, decodeSite, deleted, wu.WriteError))
}
