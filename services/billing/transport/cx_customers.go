package transport

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/dialect/cx"
	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/billing/customers"
)

// cxPrefix is where the cx dialect lives.
const cxPrefix = "/api/application/"

// cxCustomer is a customer as the cx dialect shows it.
type cxCustomer struct {
	ID            int64      `json:"id"`
	UserID        int64      `json:"user_id"`
	Username      string     `json:"username"`
	Email         string     `json:"email"`
	Firstname     string     `json:"firstname"`
	Lastname      string     `json:"lastname"`
	CompanyName   string     `json:"company_name"`
	Phone         string     `json:"phone"`
	Address       string     `json:"address"`
	Address2      string     `json:"address2"`
	City          string     `json:"city"`
	Region        string     `json:"region"`
	Zipcode       string     `json:"zipcode"`
	Country       string     `json:"country"`
	Status        string     `json:"status"`
	EmailVerified bool       `json:"email_verified"`
	LastLogin     *time.Time `json:"last_login"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

func cxCustomerView(c customers.Customer) cxCustomer {
	k := c.Contact
	return cxCustomer{
		ID: c.ID, UserID: c.UserID, Username: c.User.Username, Email: c.User.Email, Firstname: k.Firstname,
		Lastname: k.Lastname, CompanyName: k.CompanyName, Phone: k.Phone, Address: k.Address, Address2: k.Address2,
		City: k.City, Region: k.Region, Zipcode: k.Zipcode, Country: k.Country, Status: c.Status,
		EmailVerified: c.EmailVerification == customers.VerificationVerified, LastLogin: c.LastLogin,
		CreatedAt: c.DateCreated, UpdatedAt: c.DateModified,
	}
}

// cxCustomerBody creates (email and password required) or updates a
// customer.
type cxCustomerBody struct {
	Email       *string `json:"email"`
	Password    *string `json:"password"`
	Username    *string `json:"username"`
	Firstname   *string `json:"firstname"`
	Lastname    *string `json:"lastname"`
	CompanyName *string `json:"company_name"`
	Phone       *string `json:"phone"`
	Address     *string `json:"address"`
	Address2    *string `json:"address2"`
	City        *string `json:"city"`
	Region      *string `json:"region"`
	Zipcode     *string `json:"zipcode"`
	Country     *string `json:"country"`
	Status      *string `json:"status"`
}

func (b cxCustomerBody) contact() customers.ContactPatch {
	return customers.ContactPatch{Firstname: b.Firstname, Lastname: b.Lastname, CompanyName: b.CompanyName,
		Phone: b.Phone, Address: b.Address, Address2: b.Address2, City: b.City, Region: b.Region, Zipcode: b.Zipcode,
		Country: b.Country}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

var cxBodyOptions = decode.Options{}

func decodeCXCustomerCreate(r *http.Request) (any, error) {
	var b cxCustomerBody
	if err := decode.Body(r, &b, cxBodyOptions); err != nil {
		return nil, err
	}
	in := customers.NewCustomer{Username: deref(b.Username), Email: deref(b.Email), Password: deref(b.Password),
		Status: deref(b.Status), SignupForm: "api"}
	var c errs.Collector
	if b.Email == nil {
		c.Missing("email")
	}
	if b.Password == nil {
		c.Missing("password")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	k := b.contact()
	in.Contact = customers.Contact{Firstname: deref(k.Firstname), Lastname: deref(k.Lastname), CompanyName: deref(k.CompanyName),
		Phone: deref(k.Phone), Address: deref(k.Address), Address2: deref(k.Address2), City: deref(k.City),
		Region: deref(k.Region), Zipcode: deref(k.Zipcode), Country: deref(k.Country)}
	return customers.CreateRequest{New: in}, nil
}

func decodeCXCustomerUpdate(r *http.Request) (any, error) {
	id, err := httpkit.PathID(r, "id", "customer")
	if err != nil {
		return nil, err
	}
	var b cxCustomerBody
	if err := decode.Body(r, &b, cxBodyOptions); err != nil {
		return nil, err
	}
	if b.Username != nil {
		return nil, errs.InvalidField("username", "A username cannot change.")
	}
	return customers.UpdateRequest{ID: id, Patch: customers.Patch{Email: b.Email, Password: b.Password,
		Status: b.Status, Contact: b.contact()}}, nil
}

var cxCustomerList = cx.ListSpec{Filters: []string{"status", "email_verification", "email"}, Sorts: []string{"id", "created_at", "updated_at", "last_login"}}

var cxCustomerSorts = map[string]customers.Order{"id": customers.ByID, "created_at": customers.ByDateCreated,
	"updated_at": customers.ByDateModified, "last_login": customers.ByLastLogin}

func decodeCXCustomerList(r *http.Request) (any, error) {
	q, err := cx.ParseList(r.URL.Query(), cxCustomerList)
	var c errs.Collector
	collect(&c, err)
	f := customers.ListFilter{Search: q.Q, Status: q.Filters["status"], EmailVerification: q.Filters["email_verification"],
		Email: q.Filters["email"], OrderBy: cxCustomerSorts[q.Sort], Desc: q.Desc, Offset: q.Offset(), Limit: q.PerPage}
	if v := q.Filters["email_verification"]; v != "" && !contains(customers.EmailVerifications, v) {
		c.Invalid("filter[email_verification]", "Must be one of: none, pending, verified.")
	}
	if f.Status != "" && !contains(customers.Statuses, f.Status) {
		c.Invalid("filter[status]", "Must be one of: "+strings.Join(customers.Statuses, ", ")+".")
	}
	if e := f.Email; !utf8.ValidString(e) || strings.ContainsRune(e, 0) || len(e) > 254 {
		c.Invalid("filter[email]", "Must be an email address of at most 254 characters.")
	}
	return customers.ListRequest{Filter: f}, c.Err()
}

// collect adds the fields of err to c.
func collect(c *errs.Collector, err error) {
	if e := errs.From(err); e != nil {
		for _, f := range e.Fields() {
			c.Invalid(f, e.Params[f])
		}
		if len(e.Params) == 0 {
			c.Invalid("request", errs.PublicMessage(e))
		}
	}
}

// cxWriteItem answers one object as {"data":…} with status.
func cxItem[T, V any](status int, view func(T) V) httpkit.Encoder {
	return func(w http.ResponseWriter, r *http.Request, resp any) error {
		cx.WriteItem(w, r, status, view(resp.(T)))
		return nil
	}
}

// mountCXCustomers mounts /api/application/customers: list, create,
// show, update (PUT or POST), delete and POST /{id}/action/{action}
// (suspend, reactivate, ban).
func mountCXCustomers(r *httpkit.Router, e customers.Endpoints) {
	const base = cxPrefix + "customers"
	byID := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "customer")
		return customers.IDRequest{ID: id}, err
	}
	one := cxItem(http.StatusOK, cxCustomerView)
	r.Handle(http.MethodGet, base, httpkit.Endpoint(e.List, decodeCXCustomerList, func(w http.ResponseWriter, r *http.Request, resp any) error {
		lr := resp.(customers.ListResponse)
		views := make([]cxCustomer, len(lr.Customers))
		for i, c := range lr.Customers {
			views[i] = cxCustomerView(c)
		}
		q, _ := cx.ParseList(r.URL.Query(), cxCustomerList)
		cx.WriteList(w, r, views, lr.Total, q)
		return nil
	}, cx.WriteError))
	r.Handle(http.MethodPost, base, httpkit.Endpoint(e.Create, decodeCXCustomerCreate, cxItem(http.StatusCreated, cxCustomerView), cx.WriteError))
	r.Handle(http.MethodGet, base+"/{id}", httpkit.Endpoint(e.Get, byID, one, cx.WriteError))
	for _, m := range []string{http.MethodPut, http.MethodPost} {
		r.Handle(m, base+"/{id}", httpkit.Endpoint(e.Update, decodeCXCustomerUpdate, one, cx.WriteError))
	}
	r.Handle(http.MethodDelete, base+"/{id}", httpkit.Endpoint(e.Delete, byID, one, cx.WriteError))
	r.Handle(http.MethodPost, base+"/{id}/action/{action}", httpkit.Endpoint(e.Act, func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "customer")
		if err != nil {
			return nil, err
		}
		action := r.PathValue("action")
		if !contains(customers.Actions, action) {
			return nil, errs.NotFoundResource("customer action", "Unknown action "+strconv.Quote(action)+": use suspend, reactivate or ban.")
		}
		return customers.ActRequest{ID: id, Action: action}, nil
	}, one, cx.WriteError))
}
