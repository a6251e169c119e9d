package transport

import (
	"net/http"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/sb"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/money"
	"github.com/hostplane/hostplane/services/billing/amounts"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/products"
	"github.com/hostplane/hostplane/services/billing/subscriptions"
)

// sbPlan is a plan as the sb dialect shows it (/v1/plans.json).
type sbPlan struct {
	PlanID           int64   `json:"plan_id"`
	Name             string  `json:"name"`
	Description      string  `json:"description"`
	MonthlyCost      float64 `json:"monthly_cost"`
	MonthlyCostLabel string  `json:"monthly_cost_label"`
}

// monthly is a monthly cost as sb's float and its label ("29.99 USD").
func monthly(minor int64, currency string) (float64, string) {
	return float64(minor) / float64(money.Scale(amounts.Digits(currency))), amounts.Format(minor, currency) + " " + currency
}

func sbPlanView(p products.Product) sbPlan {
	cost, label := monthly(p.MonthlyCost(), p.Currency)
	return sbPlan{PlanID: p.ID, Name: p.Name, Description: p.Description, MonthlyCost: cost, MonthlyCostLabel: label}
}

// sbSubscription is the sb subscription of a site.
type sbSubscription struct {
	PlanID        int64   `json:"plan_id"`
	PlanName      string  `json:"plan_name"`
	MonthlyCost   float64 `json:"monthly_cost"`
	Balance       int     `json:"balance"`
	IsTrial       bool    `json:"is_trial"`
	IsDemo        bool    `json:"is_demo"`
	IsFree        bool    `json:"is_free"`
	HasOptions    bool    `json:"has_options"`
	ClosingDate   string  `json:"closing_date"`
	ClosingDateF  string  `json:"closing_date_f"`
	EndTrialDate  string  `json:"endtrial_date"`
	EndTrialDateF string  `json:"endtrial_date_f"`
}

// sbOption is an option of a site's subscription.
type sbOption struct {
	Code              string  `json:"code"`
	Name              string  `json:"name"`
	Quantity          int     `json:"quantity"`
	QuantityMax       int     `json:"quantity_max"`
	QuantityRemaining int     `json:"quantity_remaining"`
	MonthlyCost       float64 `json:"monthly_cost"`
	MonthlyCostLabel  string  `json:"monthly_cost_label"`
}

// dates renders an optional date as sb's day and its French form.
func dates(t *time.Time) (string, string) {
	if t == nil {
		return "", ""
	}
	return sb.FormatDay(*t), t.UTC().Format("02/01/2006")
}

func sbSubscriptionView(s subscriptions.Subscription) sbSubscription {
	m := s.Membership
	cost, _ := monthly(products.Monthly(m.Amount, m.Duration, m.DurationUnit, m.Recurring), m.Currency)
	v := sbSubscription{PlanID: s.Plan.ID, PlanName: s.Plan.Name, MonthlyCost: cost, IsTrial: m.Status == memberships.StatusTrialing,
		IsFree: m.Amount == 0, HasOptions: len(s.Options) > 0}
	v.ClosingDate, v.ClosingDateF = dates(m.DateExpiration)
	v.EndTrialDate, v.EndTrialDateF = dates(m.DateTrialEnd)
	return v
}

func sbOptionView(o subscriptions.Option) sbOption {
	p := o.Product
	cost, label := monthly(p.MonthlyCost()*int64(o.Quantity), p.Currency)
	return sbOption{Code: p.Slug, Name: p.Name, Quantity: o.Quantity, QuantityMax: p.QuantityMax,
		QuantityRemaining: max(p.QuantityMax-o.Quantity, 0), MonthlyCost: cost, MonthlyCostLabel: label}
}

// MountSB mounts the sb dialect: GET /v1/plans.json (the listed plans),
// /v1/sites/{code}/subscriptions.json and /subscriptions/options.json.
func MountSB(r *httpkit.Router, e Endpoints) {
	r.Handle(http.MethodGet, "/v1/plans.json", httpkit.Endpoint(e.Products.List, func(r *http.Request) (any, error) {
		p, err := sb.ParsePage(r.URL.Query())
		return products.ListRequest{Filter: products.ListFilter{Type: products.TypePlan, Status: products.StatusActive,
			OrderBy: products.BySortOrder, Offset: p.Offset(), Limit: p.Limit}}, err
	}, func(w http.ResponseWriter, r *http.Request, resp any) error {
		lr := resp.(products.ListResponse)
		views := make([]sbPlan, len(lr.Products))
		for i, p := range lr.Products {
			views[i] = sbPlanView(p)
		}
		p, _ := sb.ParsePage(r.URL.Query())
		sb.WriteList(w, r, views, lr.Total, p)
		return nil
	}, sb.WriteError))
	bySite := func(r *http.Request) (any, error) { return subscriptions.SiteRequest{Code: r.PathValue("code")}, nil }
	r.Handle(http.MethodGet, "/v1/sites/{code}/subscriptions.json", httpkit.Endpoint(e.Subscriptions.OfSite, bySite,
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			sb.WriteData(w, r, http.StatusOK, sbSubscriptionView(resp.(subscriptions.Subscription)))
			return nil
		}, sb.WriteError))
	r.Handle(http.MethodGet, "/v1/sites/{code}/subscriptions/options.json", httpkit.Endpoint(e.Subscriptions.OfSite, bySite,
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			s := resp.(subscriptions.Subscription)
			views := make([]sbOption, len(s.Options))
			for i, o := range s.Options {
				views[i] = sbOptionView(o)
			}
			sb.WriteData(w, r, http.StatusOK, views)
			return nil
		}, sb.WriteError))
}
