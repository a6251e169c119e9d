package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

// Internal routes of memberships and products (the contract other services
// code against; the billing service serves them).
const (
	MembershipsPath = "/internal/v1/memberships" // GET ?site_id=N or ?customer_id=N; GET /{id}
	ProductsPath    = "/internal/v1/products"    // GET /{id}
)

// Membership is a customer's subscription to a plan as the internal API
// sends it. Amounts are decimal strings in Currency ("29.99").
type Membership struct {
	ID             int64      `json:"id"`
	CustomerID     int64      `json:"customer_id"`
	PlanID         int64      `json:"plan_id"`
	SiteID         int64      `json:"site_id,omitempty"`
	Status         string     `json:"status"` // pending|active|trialing|on-hold|expired|cancelled
	Amount         string     `json:"amount"`
	Currency       string     `json:"currency"`
	Duration       int        `json:"duration"`
	DurationUnit   string     `json:"duration_unit"`
	AutoRenew      bool       `json:"auto_renew"`
	DateCreated    time.Time  `json:"date_created"`
	DateExpiration *time.Time `json:"date_expiration"`
	DateTrialEnd   *time.Time `json:"date_trial_end"`
	Options        []Option   `json:"options"`
}

// Option is an add-on product subscribed with a membership.
type Option struct {
	Code        string `json:"code"` // the add-on product's slug
	Name        string `json:"name"`
	Quantity    int    `json:"quantity"`
	QuantityMax int    `json:"quantity_max"`
	MonthlyCost string `json:"monthly_cost"` // decimal string
	Currency    string `json:"currency"`
}

// Product is a plan, package or service as the internal API sends it.
type Product struct {
	ID           int64  `json:"id"`
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	Type         string `json:"type"` // plan|package|service
	Active       bool   `json:"active"`
	Amount       string `json:"amount"` // decimal string per Duration DurationUnit
	Currency     string `json:"currency"`
	Duration     int    `json:"duration"`
	DurationUnit string `json:"duration_unit"`
	MonthlyCost  string `json:"monthly_cost"` // the amount brought to one month
	// Limits are the plan's quotas (sites usage: "space_bytes",
	// "bandwidth_bytes", "api_pfo", "forms", "products", "users"); absent
	// means unlimited.
	Limits map[string]int64 `json:"limits,omitempty"`
}

// list is the internal list envelope.
type list[T any] struct {
	Data []T `json:"data"`
}

// Membership returns membership id (errs.NotFound when missing or not the
// caller's customer's).
func (c *Client) Membership(ctx context.Context, id int64) (Membership, error) {
	if id <= 0 {
		return Membership{}, errs.NotFoundResource("membership", "")
	}
	var out Membership
	err := c.up.Do(ctx, http.MethodGet, MembershipsPath+"/"+strconv.FormatInt(id, 10), nil, &out)
	return out, err
}

// MembershipsOfSite lists the memberships attached to site id.
func (c *Client) MembershipsOfSite(ctx context.Context, siteID int64) ([]Membership, error) {
	var out list[Membership]
	err := c.up.Do(ctx, http.MethodGet, MembershipsPath+"?"+url.Values{"site_id": {strconv.FormatInt(siteID, 10)}}.Encode(), nil, &out)
	return out.Data, err
}

// Product returns product id.
func (c *Client) Product(ctx context.Context, id int64) (Product, error) {
	if id <= 0 {
		return Product{}, errs.NotFoundResource("product", "")
	}
	var out Product
	err := c.up.Do(ctx, http.MethodGet, ProductsPath+"/"+strconv.FormatInt(id, 10), nil, &out)
	return out, err
}
