package transport

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/sites/domains"
	"github.com/hostplane/hostplane/services/sites/site"
)

// wuPrefix is where the wu dialect lives.
const wuPrefix = "/wp-json/wu/v2/"

// MountWU mounts wu sites and domains under the plural paths the
// documentation shows and the singular ones the plugin serves: GET and POST
// /sites; GET, PUT, PATCH, POST (update) and DELETE /sites/{id}; the same
// for /domains. Creation answers 200 with the object, as the plugin does.
func MountWU(r *httpkit.Router, s site.Endpoints, d domains.Endpoints) {
	oneSite := func(w http.ResponseWriter, _ *http.Request, resp any) error {
		st := resp.(site.Site)
		wu.WriteJSON(w, http.StatusOK, wuSite(st))
		return nil
	}
	listSites := func(w http.ResponseWriter, r *http.Request, resp any) error {
		lr := resp.(site.ListResponse)
		views := make([]siteView, len(lr.Sites))
		for i, st := range lr.Sites {
			views[i] = wuSite(st)
		}
		_, q, _ := readSiteList(r)
		wu.WriteList(w, views, lr.Total, q)
		return nil
	}
	deletedSite := func(w http.ResponseWriter, _ *http.Request, resp any) error {
		st := resp.(site.Site)
		wu.WriteDeleted(w, wuSite(st))
		return nil
	}
	for _, name := range []string{"sites", "site"} {
		base := wuPrefix + name
		byID := base + "/{id}"
		r.Handle(http.MethodGet, base, httpkit.Endpoint(s.List, decodeSiteList, listSites, wu.WriteError))
		r.Handle(http.MethodPost, base, httpkit.Endpoint(s.Create, decodeSiteCreate, oneSite, wu.WriteError))
		r.Handle(http.MethodGet, byID, httpkit.Endpoint(s.Get, decodeSiteID, oneSite, wu.WriteError))
		for _, m := range []string{http.MethodPut, http.MethodPatch, http.MethodPost} {
			r.Handle(m, byID, httpkit.Endpoint(s.Update, decodeSiteUpdate(s.Get), oneSite, wu.WriteError))
		}
		r.Handle(http.MethodDelete, byID, httpkit.Endpoint(s.Delete, decodeSiteID, deletedSite, wu.WriteError))
	}

	oneDomain := func(w http.ResponseWriter, _ *http.Request, resp any) error {
		wu.WriteJSON(w, http.StatusOK, wuDomain(resp.(domains.Domain)))
		return nil
	}
	listDomains := func(w http.ResponseWriter, r *http.Request, resp any) error {
		lr := resp.(domains.ListResponse)
		views := make([]domainView, len(lr.Domains))
		for i, x := range lr.Domains {
			views[i] = wuDomain(x)
		}
		_, q, _ := readDomainList(r)
		wu.WriteList(w, views, lr.Total, q)
		return nil
	}
	deletedDomain := func(w http.ResponseWriter, _ *http.Request, resp any) error {
		wu.WriteDeleted(w, wuDomain(resp.(domains.Domain)))
		return nil
	}
	for _, name := range []string{"domains", "domain"} {
		base := wuPrefix + name
		byID := base + "/{id}"
		r.Handle(http.MethodGet, base, httpkit.Endpoint(d.List, decodeDomainList, listDomains, wu.WriteError))
		r.Handle(http.MethodPost, base, httpkit.Endpoint(d.Create, decodeDomainCreate, oneDomain, wu.WriteError))
		r.Handle(http.MethodGet, byID, httpkit.Endpoint(d.Get, decodeDomainID, oneDomain, wu.WriteError))
		for _, m := range []string{http.MethodPut, http.MethodPatch, http.MethodPost} {
			r.Handle(m, byID, httpkit.Endpoint(d.Update, decodeDomainUpdate(d.Get), oneDomain, wu.WriteError))
		}
		r.Handle(http.MethodDelete, byID, httpkit.Endpoint(d.Delete, decodeDomainID, deletedDomain, wu.WriteError))
	}
}

func decodeSiteID(r *http.Request) (any, error) {
	id, err := httpkit.PathID(r, "id", "site")
	return site.IDRequest{ID: id}, err
}

func decodeSiteList(r *http.Request) (any, error) {
	f, _, err := readSiteList(r)
	return site.ListRequest{Filter: f}, err
}

func decodeSiteCreate(r *http.Request) (any, error) {
	in, err := readSiteCreate(r)
	return site.CreateRequest{New: in}, err
}

// decodeSiteUpdate reads an update; a body that cannot be read for a site
// that does not exist answers 404: the missing site comes first.
func decodeSiteUpdate(get httpkit.EndpointFunc) httpkit.Decoder {
	return func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "site")
		if err != nil {
			return nil, err
		}
		p, err := readSitePatch(r)
		if err != nil {
			if _, gerr := get(r.Context(), site.IDRequest{ID: id}); gerr != nil {
				return nil, gerr
			}
			return nil, err
		}
		return site.UpdateRequest{ID: id, Patch: p}, nil
	}
}

func decodeDomainID(r *http.Request) (any, error) {
	id, err := httpkit.PathID(r, "id", "domain")
	return domains.IDRequest{ID: id}, err
}

func decodeDomainList(r *http.Request) (any, error) {
	f, _, err := readDomainList(r)
	return domains.ListRequest{Filter: f}, err
}

func decodeDomainCreate(r *http.Request) (any, error) {
	in, err := readDomainCreate(r)
	return domains.CreateRequest{New: in}, err
}

func decodeDomainUpdate(get httpkit.EndpointFunc) httpkit.Decoder {
	return func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "domain")
		if err != nil {
			return nil, err
		}
		p, err := readDomainPatch(r)
		if err != nil {
			if _, gerr := get(r.Context(), domains.IDRequest{ID: id}); gerr != nil {
				return nil, gerr
			}
			return nil, err
		}
		return domains.UpdateRequest{ID: id, Patch: p}, nil
	}
}
