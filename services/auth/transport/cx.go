package transport

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/cx"
	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/auth/keys"
)

// createBody is the body of POST /api/application/keys.
type createBody struct {
	Name        string          `json:"name"`
	Email       string          `json:"email"`
	Permissions permissionsList `json:"permissions"`
	CustomerID  int64           `json:"customer_id"`
	RateLimit   string          `json:"rate_limit"`
	ExpiresAt   *time.Time      `json:"expires_at"`
	ExpiresIn   string          `json:"expires_in"`
}

var keyList = cx.ListSpec{Filters: []string{"customer_id"}, Sorts: []string{"id"}}

// MountCX mounts the keys endpoints of the cx dialect:
// GET and POST /api/application/keys, GET and DELETE /api/application/keys/{id}.
func MountCX(r *httpkit.Router, e keys.Endpoints, now func() time.Time) {
	const base = "/api/application/keys"
	one := func(w http.ResponseWriter, r *http.Request, resp any) error {
		cx.WriteItem(w, r, http.StatusOK, viewOf(resp.(keys.Key), now()))
		return nil
	}
	byID := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "key")
		return keys.IDRequest{ID: id}, err
	}
	r.Handle(http.MethodGet, base, httpkit.Endpoint(e.List, decodeList, func(w http.ResponseWriter, r *http.Request, resp any) error {
		lr := resp.(keys.ListResponse)
		views := make([]keyView, len(lr.Keys))
		for i, k := range lr.Keys {
			views[i] = viewOf(k, now())
		}
		q, err := cx.ParseList(r.URL.Query(), keyList)
		if err != nil {
			return err
		}
		cx.WriteList(w, r, views, lr.Total, q)
		return nil
	}, cx.WriteError))
	r.Handle(http.MethodPost, base, httpkit.Endpoint(e.Create, decodeCreate(now), func(w http.ResponseWriter, r *http.Request, resp any) error {
		c := resp.(keys.Created)
		v := viewOf(c.Key, now())
		v.APISecret = c.Secret
		v.Token = c.Token()
		cx.WriteItem(w, r, http.StatusCreated, v)
		return nil
	}, cx.WriteError))
	r.Handle(http.MethodGet, base+"/{id}", httpkit.Endpoint(e.Get, byID, one, cx.WriteError))
	r.Handle(http.MethodDelete, base+"/{id}", httpkit.Endpoint(e.Revoke, byID, one, cx.WriteError))
}

func decodeList(r *http.Request) (any, error) {
	q, err := cx.ParseList(r.URL.Query(), keyList)
	if err != nil {
		return nil, err
	}
	f := keys.ListFilter{Offset: q.Offset(), Limit: q.PerPage, IncludeRevoked: true}
	if v, ok := q.Filters["customer_id"]; ok {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, errs.InvalidField("filter[customer_id]", "Must be a positive integer.")
		}
		f.CustomerID = id
	}
	return keys.ListRequest{Filter: f}, nil
}

func decodeCreate(now func() time.Time) httpkit.Decoder {
	return func(r *http.Request) (any, error) {
		var b createBody
		if err := decode.Body(r, &b, decode.Options{}); err != nil {
			return nil, err
		}
		in := keys.NewKey{
			Name: b.Name, Email: b.Email, Permissions: b.Permissions,
			CustomerID: b.CustomerID, RateLimit: b.RateLimit, ExpiresAt: b.ExpiresAt,
		}
		if b.ExpiresIn != "" {
			d, err := time.ParseDuration(b.ExpiresIn)
			if err != nil || d <= 0 {
				return nil, errs.InvalidField("expires_in", "Must be a positive duration such as 720h.")
			}
			t := now().Add(d)
			in.ExpiresAt = &t
		}
		return keys.CreateRequest{NewKey: in}, nil
	}
}
