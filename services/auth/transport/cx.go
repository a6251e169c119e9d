package transport

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/cx"
	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/auth/activity"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/license"
)

// createBody is the body of POST /api/application/keys.
type createBody struct {
	Name        string          `json:"name"`
	Email       string          `json:"email"`
	Permissions json.RawMessage `json:"permissions"`
	CustomerID  int64           `json:"customer_id"`
	AllowedIPs  json.RawMessage `json:"allowed_ips"`
	RateLimit   string          `json:"rate_limit"`
	ExpiresAt   json.RawMessage `json:"expires_at"`
	ExpiresIn   string          `json:"expires_in"`
	// AccountID gives the key to another account (operator keys only);
	// Reseller opens a new reseller account for it.
	AccountID int64 `json:"account_id"`
	Reseller  bool  `json:"reseller"`
}

// updateBody is the body of POST or PUT /api/application/keys/{id}: every
// field is optional; null clears allowed_ips, rate_limit and expires_at.
type updateBody struct {
	Name        *string         `json:"name"`
	Permissions json.RawMessage `json:"permissions"`
	AllowedIPs  json.RawMessage `json:"allowed_ips"`
	RateLimit   json.RawMessage `json:"rate_limit"`
	ExpiresAt   json.RawMessage `json:"expires_at"`
	ExpiresIn   *string         `json:"expires_in"`
	// Fields of a key that never change.
	Email      json.RawMessage `json:"email"`
	CustomerID json.RawMessage `json:"customer_id"`
	APIKey     json.RawMessage `json:"api_key"`
	AccountID  json.RawMessage `json:"account_id"`
}

// rotateBody is the body of POST /api/application/keys/{id}/rotate.
type rotateBody struct {
	Grace json.RawMessage `json:"grace"`
}

var (
	keyList      = cx.ListSpec{Filters: []string{"customer_id"}, Sorts: []string{"id"}}
	activityList = cx.ListSpec{}
)

// MountCX mounts the cx dialect:
//
//	GET, POST               /api/application/keys
//	GET, PUT, POST, DELETE  /api/application/keys/{id}   (POST and PUT update)
//	POST                    /api/application/keys/{id}/rotate
//	GET                     /api/application/keys/{id}/activity
//	GET                     /api/application/license
func MountCX(r *httpkit.Router, e Endpoints, now func() time.Time) {
	const base = "/api/application/keys"
	one := func(w http.ResponseWriter, r *http.Request, resp any) error {
		cx.WriteItem(w, r, http.StatusOK, viewOf(resp.(keys.Key), now()))
		return nil
	}
	withSecret := func(status int) httpkit.Encoder {
		return func(w http.ResponseWriter, r *http.Request, resp any) error {
			c := resp.(keys.Created)
			v := viewOf(c.Key, now())
			v.APISecret = c.Secret
			v.Token = c.Token()
			cx.WriteItem(w, r, status, v)
			return nil
		}
	}
	byID := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "key")
		return keys.IDRequest{ID: id}, err
	}
	r.Handle(http.MethodGet, base, httpkit.Endpoint(e.Keys.List, decodeList, func(w http.ResponseWriter, r *http.Request, resp any) error {
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
	r.Handle(http.MethodPost, base, httpkit.Endpoint(e.Keys.Create, decodeCreate(now), withSecret(http.StatusCreated), cx.WriteError))
	r.Handle(http.MethodGet, base+"/{id}", httpkit.Endpoint(e.Keys.Get, byID, one, cx.WriteError))
	for _, method := range []string{http.MethodPut, http.MethodPost} {
		r.Handle(method, base+"/{id}", httpkit.Endpoint(e.Keys.Update, decodeUpdate(now, e.Keys.Get), one, cx.WriteError))
	}
	r.Handle(http.MethodDelete, base+"/{id}", httpkit.Endpoint(e.Keys.Revoke, byID, one, cx.WriteError))
	r.Handle(http.MethodPost, base+"/{id}/rotate", httpkit.Endpoint(e.Keys.Rotate, decodeRotate(e.Keys.Get), withSecret(http.StatusOK), cx.WriteError))
	r.Handle(http.MethodGet, base+"/{id}/activity", httpkit.Endpoint(e.Activity.List, decodeActivity,
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			lr := resp.(activity.ListResponse)
			views := make([]callView, len(lr.Calls))
			for i, c := range lr.Calls {
				views[i] = callViewOf(c)
			}
			q, _ := cx.ParseList(r.URL.Query(), activityList) // read once already
			cx.WriteList(w, r, views, lr.Total, q)
			return nil
		}, cx.WriteError))

	r.Handle(http.MethodGet, "/api/application/license", httpkit.Endpoint(e.License.Get,
		func(*http.Request) (any, error) { return license.GetRequest{}, nil },
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			cx.WriteJSON(w, r, http.StatusOK, licenseAnswer{Status: "ok", License: licenseViewOf(resp.(license.License))})
			return nil
		}, cx.WriteError))
}

// licenseAnswer is the body of GET /api/application/license.
type licenseAnswer struct {
	Status  string      `json:"status"`
	License licenseView `json:"license"`
}

type licenseView struct {
	Edition    string   `json:"edition"`
	Version    string   `json:"version"`
	InstanceID string   `json:"instance_id"`
	IssuedTo   string   `json:"issued_to"`
	Features   []string `json:"features"`
}

func licenseViewOf(l license.License) licenseView {
	return licenseView{Edition: l.Edition, Version: l.Version, InstanceID: l.InstanceID, IssuedTo: l.IssuedTo, Features: l.Features}
}

func decodeList(r *http.Request) (any, error) {
	q, err := cx.ParseList(r.URL.Query(), keyList)
	if err != nil {
		return nil, err
	}
	f := keys.ListFilter{Offset: q.Offset(), Limit: q.PerPage, IncludeRevoked: true, Newest: q.Sort == "id" && q.Desc}
	if v, ok := q.Filters["customer_id"]; ok {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, errs.InvalidField("filter[customer_id]", "Must be a positive integer.")
		}
		f.CustomerID = id
	}
	return keys.ListRequest{Filter: f}, nil
}

func decodeActivity(r *http.Request) (any, error) {
	id, err := httpkit.PathID(r, "id", "key")
	if err != nil {
		return nil, err
	}
	q, err := cx.ParseList(r.URL.Query(), activityList)
	if err != nil {
		return nil, err
	}
	return activity.ListRequest{KeyID: id, Offset: q.Offset(), Limit: q.PerPage}, nil
}

// expiry reads expires_at or expires_in (a Go duration from now).
func expiry(c *collect, at json.RawMessage, in string, now time.Time) *time.Time {
	if in != "" {
		d, err := time.ParseDuration(in)
		if err != nil || d <= 0 {
			c.add(errs.InvalidField("expires_in", "Must be a positive duration such as 720h."))
			return nil
		}
		t := now.Add(d)
		return &t
	}
	if at == nil || isNull(at) {
		return nil
	}
	t, err := instant(at, "expires_at")
	c.add(err)
	return &t
}

func decodeCreate(now func() time.Time) httpkit.Decoder {
	return func(r *http.Request) (any, error) {
		var b createBody
		if err := decode.Body(r, &b, decode.Options{}); err != nil {
			return nil, err
		}
		in := keys.NewKey{Name: b.Name, Email: b.Email, CustomerID: b.CustomerID, RateLimit: b.RateLimit,
			AccountID: b.AccountID, NewReseller: b.Reseller}
		var c collect
		var err error
		if b.Permissions != nil {
			in.Permissions, err = stringList(b.Permissions, "permissions")
			c.add(err)
		}
		if b.AllowedIPs != nil {
			in.AllowedIPs, err = stringList(b.AllowedIPs, "allowed_ips")
			c.add(err)
		}
		in.ExpiresAt = expiry(&c, b.ExpiresAt, b.ExpiresIn, now())
		if err := c.err(); err != nil {
			return nil, err
		}
		return keys.CreateRequest{NewKey: in}, nil
	}
}

// decodeUpdate reads a key update. The key is looked up first: an unknown
// key answers 404 whatever the body.
func decodeUpdate(now func() time.Time, get httpkit.EndpointFunc) httpkit.Decoder {
	return func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "key")
		if err != nil {
			return nil, err
		}
		p, err := readUpdate(r, now())
		if err != nil {
			if _, gerr := get(r.Context(), keys.IDRequest{ID: id}); gerr != nil {
				return nil, gerr
			}
			return nil, err
		}
		return keys.UpdateRequest{ID: id, Patch: p}, nil
	}
}

func readUpdate(r *http.Request, now time.Time) (keys.Patch, error) {
	var b updateBody
	if err := decode.Body(r, &b, decode.Options{}); err != nil {
		return keys.Patch{}, err
	}
	var c collect
	for field, raw := range map[string]json.RawMessage{"email": b.Email, "customer_id": b.CustomerID, "api_key": b.APIKey, "account_id": b.AccountID} {
		if raw != nil {
			c.add(errs.InvalidField(field, "Cannot be changed: create a new key instead."))
		}
	}
	p := keys.Patch{Name: b.Name}
	if b.Permissions != nil {
		perms, err := stringList(b.Permissions, "permissions")
		c.add(err)
		p.Permissions = &perms
	}
	if b.AllowedIPs != nil {
		ips, err := stringList(b.AllowedIPs, "allowed_ips")
		c.add(err)
		p.AllowedIPs = &ips
	}
	if b.RateLimit != nil {
		rl, err := text(b.RateLimit, "rate_limit")
		c.add(err)
		p.RateLimit = &rl
	}
	switch {
	case b.ExpiresIn != nil:
		p.ExpiresAt = expiry(&c, nil, *b.ExpiresIn, now)
		if p.ExpiresAt == nil && *b.ExpiresIn == "" {
			c.add(errs.InvalidField("expires_in", "Must be a positive duration such as 720h."))
		}
	case b.ExpiresAt != nil && isNull(b.ExpiresAt):
		p.NoExpiry = true
	case b.ExpiresAt != nil:
		p.ExpiresAt = expiry(&c, b.ExpiresAt, "", now)
	}
	return p, c.err()
}

// decodeRotate reads a rotation: an optional grace (a Go duration or
// seconds). An unknown key answers 404 whatever the body.
func decodeRotate(get httpkit.EndpointFunc) httpkit.Decoder {
	return func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "key")
		if err != nil {
			return nil, err
		}
		req := keys.RotateRequest{ID: id, Options: keys.RotateOptions{IdempotencyKey: r.Header.Get("Idempotency-Key")}}
		var b rotateBody
		err = decode.Body(r, &b, decode.Options{})
		if err == nil && b.Grace != nil && !isNull(b.Grace) {
			var g time.Duration
			if g, err = duration(b.Grace, "grace"); err == nil {
				req.Options.Grace = &g
			}
		}
		if err != nil {
			if _, gerr := get(r.Context(), keys.IDRequest{ID: id}); gerr != nil {
				return nil, gerr
			}
			return nil, err
		}
		return req, nil
	}
}
