package transport

import (
	"net/http"
	"strconv"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// siteID reads the {site_id} path parameter: a positive integer, anything
// else names no tenant (404 wu_rest_tenant_invalid_id).
func siteID(r *http.Request) (int64, error) {
	raw := r.PathValue("site_id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundResource("tenant", "Invalid site id: site ids are positive integers.")
	}
	return id, nil
}

func decodeSite(r *http.Request) (any, error) {
	id, err := siteID(r)
	return tenants.SiteRequest{SiteID: id}, err
}

// bootstrapBody is the optional body of a bootstrap request. The
// reference leaves the payload to the host: Hostplane accepts none, {}, or
// the one isolation model it provides.
type bootstrapBody struct {
	IsolationModel *string `json:"isolation_model"`
}

// readBootstrap reads a bootstrap request: the site id, then the body
// (JSON or form; unknown fields refused).
func readBootstrap(r *http.Request) (tenants.SiteRequest, error) {
	id, err := siteID(r)
	if err != nil {
		return tenants.SiteRequest{}, err
	}
	var b bootstrapBody
	if err := decode.Body(r, &b, decode.Options{DisallowUnknown: true}); err != nil {
		return tenants.SiteRequest{}, err
	}
	if b.IsolationModel != nil && *b.IsolationModel != tenants.ModelSovereign {
		return tenants.SiteRequest{}, errs.InvalidField("isolation_model", "Must be sovereign (the only isolation model a bootstrap provides).")
	}
	return tenants.SiteRequest{SiteID: id}, nil
}

func decodeBootstrap(r *http.Request) (any, error) { return readBootstrap(r) }
