package transport

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
)

// wuResource mounts one wu resource under its plural and singular paths.
type wuResource struct {
	plural, singular string
	list, create     http.Handler
	get, update, del http.Handler
}

func (res wuResource) mount(r *httpkit.Router) {
	for _, name := range []string{res.plural, res.singular} {
		base := wuPrefix + name
		byID := base + "/{id}"
		r.Handle(http.MethodGet, base, res.list)
		r.Handle(http.MethodPost, base, res.create)
		r.Handle(http.MethodGet, byID, res.get)
		for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodPost} {
			r.Handle(method, byID, res.update)
		}
		r.Handle(http.MethodDelete, byID, res.del)
	}
}

// updateDecoder reads an update; a body that cannot be read for an id that
// does not exist (or that the caller may not see) answers 404, as the
// plugin does: the missing object comes first.
func updateDecoder[In any](resource string, get httpkit.EndpointFunc, idReq func(int64) any, read func(*http.Request) (In, error),
	wrap func(int64, In) any) httpkit.Decoder {
	return func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", resource)
		if err != nil {
			return nil, err
		}
		in, err := read(r)
		if err != nil {
			if _, gerr := get(r.Context(), idReq(id)); gerr != nil {
				return nil, gerr
			}
			return nil, err
		}
		return wrap(id, in), nil
	}
}

// wuOne writes one object through its view.
func wuOne[T, V any](view func(T) V) httpkit.Encoder {
	return func(w http.ResponseWriter, _ *http.Request, resp any) error {
		wu.WriteJSON(w, http.StatusOK, view(resp.(T)))
		return nil
	}
}

// wuDeleted answers a DELETE with the object as it was.
func wuDeleted[T, V any](view func(T) V) httpkit.Encoder {
	return func(w http.ResponseWriter, _ *http.Request, resp any) error {
		wu.WriteDeleted(w, view(resp.(T)))
		return nil
	}
}

// int64Param reads an optional positive integer query parameter.
func int64Param(c *errs.Collector, r *http.Request, name string) int64 {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0
	}
	var n int64
	for _, ch := range s {
		if ch < '0' || ch > '9' || n > 1e15 {
			c.Invalid(name, "Must be a positive integer.")
			return 0
		}
		n = n*10 + int64(ch-'0')
	}
	if n == 0 {
		c.Invalid(name, "Must be a positive integer.")
	}
	return n
}

// listQuery parses the wu list parameters of r against spec, together
// with the resource's own filters read by extra.
func listQuery(r *http.Request, spec wu.ListSpec, extra func(*errs.Collector)) (wu.ListQuery, error) {
	q, err := wu.ParseList(r.URL.Query(), spec)
	var c errs.Collector
	if e := errs.From(err); e != nil {
		for _, f := range e.Fields() {
			c.Invalid(f, e.Params[f])
		}
	}
	if extra != nil {
		extra(&c)
	}
	return q, c.Err()
}

var productList = wu.ListSpec{OrderBy: []string{"id", "list_order", "name", "amount", "date_created"}, Statuses: products.Statuses}

var productOrders = map[string]products.Order{"id": products.ByID, "list_order": products.BySortOrder,
	"name": products.ByName, "amount": products.ByAmount, "date_created": products.ByDateCreated}

func decodeWUProductList(r *http.Request) (any, error) {
	var typ string
	q, err := listQuery(r, productList, func(c *errs.Collector) {
		typ = r.URL.Query().Get("type")
		if typ != "" && !contains(products.Types, typ) {
			c.Invalid("type", "Must be one of: plan, package, service.")
		}
	})
	if err != nil {
		return nil, err
	}
	return products.ListRequest{Filter: products.ListFilter{
		Type: typ, Status: q.Status, Search: q.Search, CreatedFrom: q.DateFrom, CreatedTo: q.DateTo,
		OrderBy: productOrders[q.OrderBy], Desc: q.Order == "desc", Offset: q.Offset(), Limit: q.PerPage,
	}}, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func mountWUProducts(r *httpkit.Router, e products.Endpoints) {
	idReq := func(id int64) any { return products.IDRequest{ID: id} }
	byID := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "product")
		return products.IDRequest{ID: id}, err
	}
	one := wuOne(wuProduct)
	wuResource{
		plural: "products", singular: "product",
		list: httpkit.Endpoint(e.List, decodeWUProductList, func(w http.ResponseWriter, r *http.Request, resp any) error {
			lr := resp.(products.ListResponse)
			views := make([]productView, len(lr.Products))
			for i, p := range lr.Products {
				views[i] = wuProduct(p)
			}
			q, _ := wu.ParseList(r.URL.Query(), productList)
			wu.WriteList(w, views, lr.Total, q)
			return nil
		}, wu.WriteError),
		create: httpkit.Endpoint(e.Create, func(r *http.Request) (any, error) {
			in, err := readProduct(r)
			return products.CreateRequest{In: in}, err
		}, one, wu.WriteError),
		get: httpkit.Endpoint(e.Get, byID, one, wu.WriteError),
		update: httpkit.Endpoint(e.Update, updateDecoder("product", e.Get, idReq, readProduct,
			func(id int64, in products.Input) any { return products.UpdateRequest{ID: id, In: in} }), one, wu.WriteError),
		del: httpkit.Endpoint(e.Delete, byID, wuDeleted(wuProduct), wu.WriteError),
	}.mount(r)
}

var membershipList = wu.ListSpec{OrderBy: []string{"id", "date_created", "date_modified", "date_expiration", "amount", "status"},
	Statuses: memberships.Statuses}

func decodeWUMembershipList(r *http.Request) (any, error) {
	var f memberships.ListFilter
	q, err := listQuery(r, membershipList, func(c *errs.Collector) {
		f.CustomerID, f.PlanID, f.SiteID = int64Param(c, r, "customer_id"), int64Param(c, r, "plan_id"), int64Param(c, r, "site_id")
	})
	if err != nil {
		return nil, err
	}
	f.Status, f.Search, f.CreatedFrom, f.CreatedTo = q.Status, q.Search, q.DateFrom, q.DateTo
	f.OrderBy, f.Desc, f.Offset, f.Limit = memberships.Order(q.OrderBy), q.Order == "desc", q.Offset(), q.PerPage
	return memberships.ListRequest{Filter: f}, nil
}

func mountWUMemberships(r *httpkit.Router, e memberships.Endpoints) {
	idReq := func(id int64) any { return memberships.IDRequest{ID: id} }
	byID := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "membership")
		return memberships.IDRequest{ID: id}, err
	}
	one := wuOne(wuMembership)
	wuResource{
		plural: "memberships", singular: "membership",
		list: httpkit.Endpoint(e.List, decodeWUMembershipList, func(w http.ResponseWriter, r *http.Request, resp any) error {
			lr := resp.(memberships.ListResponse)
			views := make([]membershipView, len(lr.Memberships))
			for i, m := range lr.Memberships {
				views[i] = wuMembership(m)
			}
			q, _ := wu.ParseList(r.URL.Query(), membershipList)
			wu.WriteList(w, views, lr.Total, q)
			return nil
		}, wu.WriteError),
		create: httpkit.Endpoint(e.Create, func(r *http.Request) (any, error) {
			in, err := readMembership(r)
			return memberships.CreateRequest{In: in}, err
		}, one, wu.WriteError),
		get: httpkit.Endpoint(e.Get, byID, one, wu.WriteError),
		update: httpkit.Endpoint(e.Update, updateDecoder("membership", e.Get, idReq, readMembership,
			func(id int64, in memberships.Input) any { return memberships.UpdateRequest{ID: id, In: in} }), one, wu.WriteError),
		del: httpkit.Endpoint(e.Delete, byID, wuDeleted(wuMembership), wu.WriteError),
	}.mount(r)
}

var paymentList = wu.ListSpec{OrderBy: []string{"id", "date_created", "total", "status"}, Statuses: payments.Statuses}

func decodeWUPaymentList(r *http.Request) (any, error) {
	var f payments.ListFilter
	q, err := listQuery(r, paymentList, func(c *errs.Collector) {
		f.CustomerID, f.MembershipID = int64Param(c, r, "customer_id"), int64Param(c, r, "membership_id")
	})
	if err != nil {
		return nil, err
	}
	f.Status, f.Search, f.CreatedFrom, f.CreatedTo = q.Status, q.Search, q.DateFrom, q.DateTo
	f.OrderBy, f.Desc, f.Offset, f.Limit = payments.Order(q.OrderBy), q.Order == "desc", q.Offset(), q.PerPage
	return payments.ListRequest{Filter: f}, nil
}

func mountWUPayments(r *httpkit.Router, e payments.Endpoints, rt Retries) {
	idReq := func(id int64) any { return payments.IDRequest{ID: id} }
	byID := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "payment")
		return payments.IDRequest{ID: id}, err
	}
	one := wuOne(wuPayment)
	wuResource{
		plural: "payments", singular: "payment",
		list: httpkit.Endpoint(e.List, decodeWUPaymentList, func(w http.ResponseWriter, r *http.Request, resp any) error {
			lr := resp.(payments.ListResponse)
			views := make([]paymentView, len(lr.Payments))
			for i, p := range lr.Payments {
				views[i] = wuPayment(p)
			}
			q, _ := wu.ParseList(r.URL.Query(), paymentList)
			wu.WriteList(w, views, lr.Total, q)
			return nil
		}, wu.WriteError),
		create: idempotent(rt, httpkit.Endpoint(e.Create, func(r *http.Request) (any, error) {
			in, err := readPayment(r)
			return payments.CreateRequest{In: in}, err
		}, one, wu.WriteError)),
		get: httpkit.Endpoint(e.Get, byID, one, wu.WriteError),
		update: httpkit.Endpoint(e.Update, updateDecoder("payment", e.Get, idReq, readPayment,
			func(id int64, in payments.Input) any { return payments.UpdateRequest{ID: id, In: in} }), one, wu.WriteError),
		del: httpkit.Endpoint(e.Delete, byID, wuDeleted(wuPayment), wu.WriteError),
	}.mount(r)
}
