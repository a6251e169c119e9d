package transport

import (
	"net/http"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/dialect/httpio"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/upstream"
	"github.com/hostplane/hostplane/services/sites/client"
	"github.com/hostplane/hostplane/services/sites/site"
)

// Roots tells where a site's files are (the internal API shows it).
type Roots func(siteID int64) string

// MountInternal mounts the routes other services call through
// sites/client (never exposed by the gateway): POST /internal/v1/sites,
// GET /internal/v1/sites/{id}, GET /internal/v1/sites?code=X and DELETE
// /internal/v1/sites/{id}.
func MountInternal(r *httpkit.Router, s site.Endpoints, roots Roots) {
	writeErr := func(w http.ResponseWriter, _ *http.Request, err error) { upstream.WriteError(w, err) }
	one := func(status int) httpkit.Encoder {
		return func(w http.ResponseWriter, _ *http.Request, resp any) error {
			st := resp.(site.Site)
			return httpio.WriteJSON(w, status, internalView(st, roots(st.ID)))
		}
	}
	byID := client.SitesPath + "/{id}"
	r.Handle(http.MethodPost, client.SitesPath, httpkit.Endpoint(s.Create, decodeInternalCreate, one(http.StatusCreated), writeErr))
	r.Handle(http.MethodGet, byID, httpkit.Endpoint(s.Get, decodeSiteID, one(http.StatusOK), writeErr))
	r.Handle(http.MethodGet, client.SitesPath, httpkit.Endpoint(s.GetByCode, func(r *http.Request) (any, error) {
		code := strings.TrimSpace(r.URL.Query().Get("code"))
		if code == "" {
			return nil, errs.MissingFields("code")
		}
		return site.CodeRequest{Code: code}, nil
	}, one(http.StatusOK), writeErr))
	r.Handle(http.MethodDelete, byID, httpkit.Endpoint(s.Delete, decodeSiteID, one(http.StatusOK), writeErr))
}

func decodeInternalCreate(r *http.Request) (any, error) {
	var in client.CreateSite
	if err := decode.Body(r, &in, decode.Options{DisallowUnknown: true}); err != nil {
		return nil, err
	}
	return site.CreateRequest{New: site.NewSite{
		Code: strings.ToLower(strings.TrimSpace(in.Code)), CustomerID: in.CustomerID, MembershipID: in.MembershipID,
		Title: in.Title, TemplateID: in.TemplateID, RequireCode: true, IdempotencyKey: in.IdempotencyKey, Trusted: true,
	}}, nil
}
