package transport

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/billing/customers"
)

// wuPrefix is where the wu dialect lives.
const wuPrefix = "/wp-json/wu/v2/"

// MountWU mounts the wu dialect: customers, products, memberships and
// payments under the plural path the documentation shows and the singular
// one the plugin serves (GET and POST /x; GET, PUT, PATCH, POST (update)
// and DELETE /x/{id}), and /register (GET, POST). Creation answers 200 with
// the object, as the plugin does. POST /register and POST /payments honour
// Idempotency-Key through rt.
func MountWU(r *httpkit.Router, e Endpoints, rt Retries) {
	mountWUCustomers(r, e.Customers)
	mountWUProducts(r, e.Products)
	mountWUMemberships(r, e.Memberships)
	mountWUPayments(r, e.Payments, rt)
	mountWURegister(r, e.Checkout, rt)
}

// mountWUCustomers mounts /customers. A username, email or user already
// taken is a 409 wu_rest_conflict whose params name the field.
func mountWUCustomers(r *httpkit.Router, e customers.Endpoints) {
	one := func(w http.ResponseWriter, _ *http.Request, resp any) error {
		wu.WriteJSON(w, http.StatusOK, wuView(resp.(customers.Customer)))
		return nil
	}
	list := func(w http.ResponseWriter, r *http.Request, resp any) error {
		lr := resp.(customers.ListResponse)
		views := make([]customerView, len(lr.Customers))
		for i, c := range lr.Customers {
			views[i] = wuView(c)
		}
		_, q, _ := readList(r) // read once already: cannot fail now
		wu.WriteList(w, views, lr.Total, q)
		return nil
	}
	deleted := func(w http.ResponseWriter, _ *http.Request, resp any) error {
		wu.WriteDeleted(w, wuView(resp.(customers.Customer)))
		return nil
	}
	for _, name := range []string{"customers", "customer"} {
		base := wuPrefix + name
		byID := base + "/{id}"
		r.Handle(http.MethodGet, base, httpkit.Endpoint(e.List, decodeWUList, list, wu.WriteError))
		r.Handle(http.MethodPost, base, httpkit.Endpoint(e.Create, decodeWUCreate, one, wu.WriteError))
		r.Handle(http.MethodGet, byID, httpkit.Endpoint(e.Get, decodeID, one, wu.WriteError))
		for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodPost} {
			r.Handle(method, byID, httpkit.Endpoint(e.Update, decodeWUUpdate(e.Get), one, wu.WriteError))
		}
		r.Handle(http.MethodDelete, byID, httpkit.Endpoint(e.Delete, decodeID, deleted, wu.WriteError))
	}
}

func decodeID(r *http.Request) (any, error) {
	id, err := httpkit.PathID(r, "id", "customer")
	return customers.IDRequest{ID: id}, err
}

func decodeWUList(r *http.Request) (any, error) {
	f, _, err := readList(r)
	return customers.ListRequest{Filter: f}, err
}

func decodeWUCreate(r *http.Request) (any, error) {
	in, err := readCreate(r)
	return customers.CreateRequest{New: in}, err
}

// decodeWUUpdate reads an update. A body that cannot be read for an id that
// does not exist (or that the caller may not see) answers 404, as the
// plugin does: the missing customer comes first.
func decodeWUUpdate(get httpkit.EndpointFunc) httpkit.Decoder {
	return func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "customer")
		if err != nil {
			return nil, err
		}
		p, err := readPatch(r)
		if err != nil {
			if _, gerr := get(r.Context(), customers.IDRequest{ID: id}); gerr != nil {
				return nil, gerr
			}
			return nil, err
		}
		return customers.UpdateRequest{ID: id, Patch: p}, nil
	}
}
