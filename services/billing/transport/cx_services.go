package transport

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/cx"
	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/products"
)

// cxStatus is a membership status as cx names it (on-hold is suspended).
func cxStatus(s string) string {
	if s == memberships.StatusOnHold {
		return "suspended"
	}
	return s
}

// fromCXStatus is the membership status of a cx status.
func fromCXStatus(s string) string {
	if s == "suspended" {
		return memberships.StatusOnHold
	}
	return s
}

// cxService is a membership as the cx dialect shows it (a service).
type cxService struct {
	ID              int64       `json:"id"`
	CustomerID      int64       `json:"customer_id"`
	ProductID       int64       `json:"product_id"`
	Status          string      `json:"status"`
	Currency        string      `json:"currency"`
	Price           json.Number `json:"price"`
	InitialPrice    json.Number `json:"initial_price"`
	Billing         string      `json:"billing"`
	AutoRenew       bool        `json:"auto_renew"`
	Renewals        int         `json:"renewals"`
	SiteID          *int64      `json:"site_id"`
	Options         []addonView `json:"options"`
	SuspendReason   *string     `json:"suspend_reason"`
	CancelledReason *string     `json:"cancelled_reason"`
	ExpiresAt       *time.Time  `json:"expires_at"`
	CancelledAt     *time.Time  `json:"cancelled_at"`
	TrialEndsAt     *time.Time  `json:"trial_ends_at"`
	CreatedAt       time.Time   `json:"created_at"`
	UpdatedAt       time.Time   `json:"updated_at"`
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func cxServiceView(m memberships.Membership) cxService {
	v := cxService{
		ID: m.ID, CustomerID: m.CustomerID, ProductID: m.PlanID, Status: cxStatus(m.Status), Currency: m.Currency,
		Price: decimal(m.Amount, m.Currency), InitialPrice: decimal(m.InitialAmount, m.Currency),
		Billing: products.CycleOf(m.Recurring, m.Duration, m.DurationUnit), AutoRenew: m.AutoRenew,
		Renewals: m.TimesBilled, Options: []addonView{}, SuspendReason: nonEmpty(m.SuspendReason),
		CancelledReason: nonEmpty(m.CancellationReason), ExpiresAt: m.DateExpiration, CancelledAt: m.DateCancellation,
		TrialEndsAt: m.DateTrialEnd, CreatedAt: m.DateCreated, UpdatedAt: m.DateModified,
	}
	if m.SiteID != 0 {
		id := m.SiteID
		v.SiteID = &id
	}
	if v.Billing == "" {
		v.Billing = strconv.Itoa(m.Duration) + " " + m.DurationUnit
	}
	for _, a := range m.Addons {
		v.Options = append(v.Options, addonView{a.ProductID, a.Quantity})
	}
	return v
}

// cxServiceBody updates a service (PUT or POST /services/{id}).
type cxServiceBody struct {
	CustomerID *int64      `json:"customer_id"`
	ProductID  *int64      `json:"product_id"`
	Status     *string     `json:"status"`
	Currency   *string     `json:"currency"`
	Price      *amountText `json:"price"`
	AutoRenew  *bool       `json:"auto_renew"`
	Billing    *string     `json:"billing"`
	ExpiresAt  *string     `json:"expires_at"`
	SiteID     *int64      `json:"site_id"`
	Reason     *string     `json:"reason"`
}

// cycleDurations are the periods of the cx billing cycles.
var cycleDurations = map[string]struct {
	n    int
	unit string
}{
	products.CycleMonthly: {1, "month"}, products.CycleQuarterly: {3, "month"}, products.CycleSemiannually: {6, "month"},
	products.CycleAnnually: {1, "year"}, products.CycleBiennially: {2, "year"}, products.CycleTriennially: {3, "year"},
}

func readCXService(r *http.Request) (memberships.Input, error) {
	var b cxServiceBody
	if err := decode.Body(r, &b, cxBodyOptions); err != nil {
		return memberships.Input{}, err
	}
	in := memberships.Input{CustomerID: b.CustomerID, PlanID: b.ProductID, Currency: b.Currency, Amount: text(b.Price),
		AutoRenew: b.AutoRenew, SiteID: b.SiteID, Reason: b.Reason}
	var c errs.Collector
	if b.Status != nil {
		s := fromCXStatus(strings.TrimSpace(*b.Status))
		in.Status = &s
	}
	if b.Billing != nil {
		switch d, ok := cycleDurations[*b.Billing]; {
		case ok:
			recurring := true
			in.Duration, in.DurationUnit, in.Recurring = &d.n, &d.unit, &recurring
		case *b.Billing == products.CycleOnetime:
			recurring := false
			in.Recurring = &recurring
		default:
			c.Invalid("billing", "Must be one of: "+strings.Join(products.Cycles, ", ")+".")
		}
	}
	if b.ExpiresAt != nil {
		in.ClearExpiration = *b.ExpiresAt == ""
		if !in.ClearExpiration {
			t, err := wu.ParseDate(*b.ExpiresAt)
			if err != nil {
				c.Invalid("expires_at", "Invalid date: expected YYYY-MM-DD HH:MM:SS, YYYY-MM-DD or RFC 3339.")
			} else {
				in.DateExpiration = &t
			}
		}
	}
	return in, c.Err()
}

var cxServiceList = cx.ListSpec{Filters: []string{"status", "customer_id", "product_id", "site_id"},
	Sorts: []string{"id", "created_at", "updated_at", "expires_at", "price"}}

var cxServiceSorts = map[string]memberships.Order{"id": memberships.ByID, "created_at": memberships.ByDateCreated,
	"updated_at": memberships.ByDateModified, "expires_at": memberships.ByDateExpiration, "price": memberships.ByAmount}

func decodeCXServiceList(r *http.Request) (any, error) {
	q, err := cx.ParseList(r.URL.Query(), cxServiceList)
	if err != nil {
		return nil, err
	}
	f := memberships.ListFilter{Search: q.Q, OrderBy: cxServiceSorts[q.Sort], Desc: q.Desc, Offset: q.Offset(), Limit: q.PerPage}
	if s, ok := q.Filters["status"]; ok {
		f.Status = fromCXStatus(s)
		if !contains(memberships.Statuses, f.Status) {
			return nil, errs.InvalidField("filter[status]", "Must be one of: pending, active, trialing, suspended, expired, cancelled.")
		}
	}
	for name, dst := range map[string]*int64{"customer_id": &f.CustomerID, "product_id": &f.PlanID, "site_id": &f.SiteID} {
		if v, ok := q.Filters[name]; ok {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				return nil, errs.InvalidField("filter["+name+"]", "Must be a positive integer.")
			}
			*dst = id
		}
	}
	return memberships.ListRequest{Filter: f}, nil
}

// mountCXServices mounts /api/application/services: list, show, update
// (PUT or POST), DELETE (cancels), and POST /{id}/suspend (with a reason),
// /unsuspend and /expire, each allowed once (409 otherwise).
func mountCXServices(r *httpkit.Router, e memberships.Endpoints) {
	const base = cxPrefix + "services"
	byID := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "service")
		return memberships.IDRequest{ID: id}, err
	}
	withReason := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "service")
		if err != nil {
			return nil, err
		}
		var b struct {
			Reason string `json:"reason"`
		}
		if err := decode.Body(r, &b, cxBodyOptions); err != nil {
			return nil, err
		}
		return memberships.ReasonRequest{ID: id, Reason: b.Reason}, nil
	}
	one := cxItem(http.StatusOK, cxServiceView)
	r.Handle(http.MethodGet, base, httpkit.Endpoint(e.List, decodeCXServiceList, func(w http.ResponseWriter, r *http.Request, resp any) error {
		lr := resp.(memberships.ListResponse)
		views := make([]cxService, len(lr.Memberships))
		for i, m := range lr.Memberships {
			views[i] = cxServiceView(m)
		}
		q, _ := cx.ParseList(r.URL.Query(), cxServiceList)
		cx.WriteList(w, r, views, lr.Total, q)
		return nil
	}, cx.WriteError))
	r.Handle(http.MethodGet, base+"/{id}", httpkit.Endpoint(e.Get, byID, one, cx.WriteError))
	update := httpkit.Endpoint(e.Update, func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "service")
		if err != nil {
			return nil, err
		}
		in, err := readCXService(r)
		return memberships.UpdateRequest{ID: id, In: in}, err
	}, one, cx.WriteError)
	r.Handle(http.MethodPut, base+"/{id}", update)
	r.Handle(http.MethodPost, base+"/{id}", update)
	r.Handle(http.MethodDelete, base+"/{id}", httpkit.Endpoint(e.Cancel, withReason, one, cx.WriteError))
	r.Handle(http.MethodPost, base+"/{id}/suspend", httpkit.Endpoint(e.Suspend, withReason, one, cx.WriteError))
	r.Handle(http.MethodPost, base+"/{id}/unsuspend", httpkit.Endpoint(e.Unsuspend, byID, one, cx.WriteError))
	r.Handle(http.MethodPost, base+"/{id}/expire", httpkit.Endpoint(e.Expire, byID, one, cx.WriteError))
}

// MountCX mounts the cx dialect: customers, products, groups, pricings
// and services.
func MountCX(r *httpkit.Router, e Endpoints) {
	mountCXCustomers(r, e.Customers)
	mountCXCatalog(r, e)
	mountCXServices(r, e.Memberships)
}
