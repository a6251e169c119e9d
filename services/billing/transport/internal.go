package transport

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/upstream"
	"github.com/hostplane/hostplane/services/billing/amounts"
	"github.com/hostplane/hostplane/services/billing/client"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/products"
)

// MountInternal mounts the routes other services call through
// billing/client (never exposed by the gateway): GET
// /internal/v1/customers/{id}, /internal/v1/memberships/{id},
// /internal/v1/memberships?site_id=N or ?customer_id=N ({"data":[…]}) and
// /internal/v1/products/{id}.
func MountInternal(r *httpkit.Router, e Endpoints) {
	writeErr := func(w http.ResponseWriter, _ *http.Request, err error) { upstream.WriteError(w, err) }
	r.Handle(http.MethodGet, client.CustomersPath+"{id}", httpkit.Endpoint(e.Customers.Get, decodeID,
		func(w http.ResponseWriter, _ *http.Request, resp any) error {
			return httpio.WriteJSON(w, http.StatusOK, internalView(resp.(customers.Customer)))
		}, writeErr))
	r.Handle(http.MethodGet, client.MembershipsPath+"/{id}", httpkit.Endpoint(e.Memberships.Get, func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "membership")
		return memberships.IDRequest{ID: id}, err
	}, func(w http.ResponseWriter, r *http.Request, resp any) error {
		v, err := internalMembership(r, e, resp.(memberships.Membership))
		if err != nil {
			return err
		}
		return httpio.WriteJSON(w, http.StatusOK, v)
	}, writeErr))
	r.Handle(http.MethodGet, client.MembershipsPath, httpkit.Endpoint(e.Memberships.List, func(r *http.Request) (any, error) {
		var c errs.Collector
		f := memberships.ListFilter{SiteID: int64Param(&c, r, "site_id"), CustomerID: int64Param(&c, r, "customer_id")}
		if f.SiteID == 0 && f.CustomerID == 0 && c.Err() == nil {
			c.Missing("site_id")
		}
		return memberships.ListRequest{Filter: f}, c.Err()
	}, func(w http.ResponseWriter, r *http.Request, resp any) error {
		out := struct {
			Data []client.Membership `json:"data"`
		}{Data: []client.Membership{}}
		for _, m := range resp.(memberships.ListResponse).Memberships {
			v, err := internalMembership(r, e, m)
			if err != nil {
				return err
			}
			out.Data = append(out.Data, v)
		}
		return httpio.WriteJSON(w, http.StatusOK, out)
	}, writeErr))
	r.Handle(http.MethodGet, client.ProductsPath+"/{id}", httpkit.Endpoint(e.Products.Get, func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "product")
		return products.IDRequest{ID: id}, err
	}, func(w http.ResponseWriter, _ *http.Request, resp any) error {
		return httpio.WriteJSON(w, http.StatusOK, internalProduct(resp.(products.Product)))
	}, writeErr))
}

func internalView(c customers.Customer) client.Customer {
	v := client.Customer{
		ID: c.ID, UserID: c.UserID, Username: c.User.Username, Email: c.User.Email, DisplayName: c.User.DisplayName,
		Type: c.Type, Status: c.Status, EmailVerification: c.EmailVerification, HasTrialed: c.HasTrialed, VIP: c.VIP,
		IPs: c.IPs, ExtraInformation: c.ExtraInformation, SignupForm: c.SignupForm,
		DateRegistered: c.DateRegistered.UTC(), DateCreated: c.DateCreated.UTC(), DateModified: c.DateModified.UTC(),
	}
	if v.IPs == nil {
		v.IPs = []string{}
	}
	if c.LastLogin != nil {
		t := c.LastLogin.UTC()
		v.LastLogin = &t
	}
	return v
}

func internalProduct(p products.Product) client.Product {
	p = p.Clone()
	v := client.Product{
		ID: p.ID, Slug: p.Slug, Name: p.Name, Description: p.Description, Type: p.Type, Active: p.Active(),
		Amount: amounts.Format(p.Amount, p.Currency), Currency: p.Currency, Duration: p.Duration,
		DurationUnit: p.DurationUnit, MonthlyCost: amounts.Format(p.MonthlyCost(), p.Currency),
	}
	if len(p.Limits) > 0 {
		v.Limits = p.Limits
	}
	return v
}

// internalMembership is a membership with its options, as client reads it.
func internalMembership(r *http.Request, e Endpoints, m memberships.Membership) (client.Membership, error) {
	v := client.Membership{
		ID: m.ID, CustomerID: m.CustomerID, PlanID: m.PlanID, SiteID: m.SiteID, Status: m.Status,
		Amount: amounts.Format(m.Amount, m.Currency), Currency: m.Currency, Duration: m.Duration, DurationUnit: m.DurationUnit,
		AutoRenew: m.AutoRenew, DateCreated: m.DateCreated.UTC(), DateExpiration: m.DateExpiration, DateTrialEnd: m.DateTrialEnd,
		Options: []client.Option{},
	}
	opts, err := e.Options.Options(r.Context(), m)
	if err != nil {
		return client.Membership{}, err
	}
	for _, o := range opts {
		p := o.Product
		v.Options = append(v.Options, client.Option{Code: p.Slug, Name: p.Name, Quantity: o.Quantity, QuantityMax: p.QuantityMax,
			MonthlyCost: amounts.Format(p.MonthlyCost()*int64(o.Quantity), p.Currency), Currency: p.Currency})
	}
	return v, nil
}
