package transport

import (
	"math"
	"net/http"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/customers"
)

// createBody is the body of POST /customers: the reference's fields
// (user_id, email_verification, type, has_trialed, vip), the plugin's
// others, and username, email, password and display_name to create the
// user with the customer. Anything else is refused.
type createBody struct {
	UserID            int64    `json:"user_id"`
	Username          string   `json:"username"`
	Email             string   `json:"email"`
	Password          string   `json:"password"`
	DisplayName       string   `json:"display_name"`
	Type              string   `json:"type"`
	EmailVerification string   `json:"email_verification"`
	Status            string   `json:"status"`
	SignupForm        string   `json:"signup_form"`
	HasTrialed        bool     `json:"has_trialed"`
	VIP               bool     `json:"vip"`
	IPs               []string `json:"ips"`
	ExtraInformation  string   `json:"extra_information"`
	DateRegistered    string   `json:"date_registered"`
	LastLogin         string   `json:"last_login"`
}

// updateBody is the body of PUT, PATCH or POST /customers/{id}: only the
// fields present change. last_login "" sets it back to never.
type updateBody struct {
	Type              *string   `json:"type"`
	EmailVerification *string   `json:"email_verification"`
	Status            *string   `json:"status"`
	HasTrialed        *bool     `json:"has_trialed"`
	VIP               *bool     `json:"vip"`
	IPs               *[]string `json:"ips"`
	ExtraInformation  *string   `json:"extra_information"`
	DateRegistered    *string   `json:"date_registered"`
	LastLogin         *string   `json:"last_login"`
	Email             *string   `json:"email"`
	Password          *string   `json:"password"`
	DisplayName       *string   `json:"display_name"`
}

var bodyOptions = decode.Options{DisallowUnknown: true}

const dateProblem = "Invalid date: expected YYYY-MM-DD HH:MM:SS, YYYY-MM-DD or RFC 3339."

// date reads an optional wu date ("" is absent), recording a problem in c.
func date(c *errs.Collector, field, s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := wu.ParseDate(s)
	if err != nil {
		c.Invalid(field, dateProblem)
		return nil
	}
	return &t
}

// withOthers adds the problems of validate to those already in c, so that
// one answer names every bad field, and returns them all.
func withOthers(c *errs.Collector, validate func() error) error {
	if e := errs.From(validate()); e != nil {
		for _, f := range e.Fields() {
			c.Invalid(f, e.Params[f])
		}
	}
	return c.Err()
}

// readCreate decodes a create body into a new customer.
func readCreate(r *http.Request) (customers.NewCustomer, error) {
	var b createBody
	if err := decode.Body(r, &b, bodyOptions); err != nil {
		return customers.NewCustomer{}, err
	}
	in := customers.NewCustomer{
		UserID: b.UserID, Username: b.Username, Email: b.Email, Password: b.Password, DisplayName: b.DisplayName,
		Type: b.Type, EmailVerification: b.EmailVerification, Status: b.Status, SignupForm: b.SignupForm,
		HasTrialed: b.HasTrialed, VIP: b.VIP, IPs: b.IPs, ExtraInformation: b.ExtraInformation,
	}
	var c errs.Collector
	in.DateRegistered = date(&c, "date_registered", b.DateRegistered)
	in.LastLogin = date(&c, "last_login", b.LastLogin)
	if c.Err() != nil {
		return customers.NewCustomer{}, withOthers(&c, in.Validate)
	}
	return in, nil
}

// readPatch decodes an update body into a patch.
func readPatch(r *http.Request) (customers.Patch, error) {
	var b updateBody
	if err := decode.Body(r, &b, bodyOptions); err != nil {
		return customers.Patch{}, err
	}
	p := customers.Patch{
		Type: b.Type, EmailVerification: b.EmailVerification, Status: b.Status, HasTrialed: b.HasTrialed,
		VIP: b.VIP, IPs: b.IPs, ExtraInformation: b.ExtraInformation, Email: b.Email, Password: b.Password,
		DisplayName: b.DisplayName,
	}
	if p.IPs != nil && *p.IPs == nil {
		p.IPs = &[]string{}
	}
	var c errs.Collector
	if b.DateRegistered != nil {
		if *b.DateRegistered == "" {
			c.Invalid("date_registered", dateProblem) // it cannot be cleared
		}
		p.DateRegistered = date(&c, "date_registered", *b.DateRegistered)
	}
	if b.LastLogin != nil {
		p.LastLogin = date(&c, "last_login", *b.LastLogin)
		p.ClearLastLogin = *b.LastLogin == ""
	}
	if c.Err() != nil {
		return customers.Patch{}, withOthers(&c, p.Validate)
	}
	return p, nil
}

// customerList is what a customer list allows.
var customerList = wu.ListSpec{OrderBy: orderNames(), Statuses: customers.Statuses}

func orderNames() []string {
	out := make([]string, len(customers.Orders))
	for i, o := range customers.Orders {
		out[i] = string(o)
	}
	return out
}

// readList decodes the list parameters into a filter.
func readList(r *http.Request) (customers.ListFilter, wu.ListQuery, error) {
	q, err := wu.ParseList(r.URL.Query(), customerList)
	if err != nil {
		return customers.ListFilter{}, q, err
	}
	if q.Page > math.MaxInt32/q.PerPage {
		return customers.ListFilter{}, q, errs.InvalidField("page", "page is too large.")
	}
	return customers.ListFilter{
		Search: q.Search, Status: q.Status, CreatedFrom: q.DateFrom, CreatedTo: q.DateTo,
		OrderBy: customers.Order(q.OrderBy), Desc: q.Order == "desc", Offset: q.Offset(), Limit: q.PerPage,
	}, q, nil
}
