// Package client is the Go client of the billing service's internal API,
// used by other services (sites, tenancy, stats) to read customers.
package client

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/upstream"
)

// Service is the billing service's name in discovery.
const Service = "billing"

// CustomersPath is the internal route of one customer: CustomersPath + id.
const CustomersPath = "/internal/v1/customers/"

// Customer is a customer as the internal API sends it: the wu field names,
// typed values and RFC 3339 times.
type Customer struct {
	ID                int64      `json:"id"`
	UserID            int64      `json:"user_id"`
	Username          string     `json:"username"`
	Email             string     `json:"email"`
	DisplayName       string     `json:"display_name"`
	Type              string     `json:"type"`
	Status            string     `json:"status"`
	EmailVerification string     `json:"email_verification"`
	HasTrialed        bool       `json:"has_trialed"`
	VIP               bool       `json:"vip"`
	IPs               []string   `json:"ips"`
	ExtraInformation  string     `json:"extra_information"`
	SignupForm        string     `json:"signup_form"`
	DateRegistered    time.Time  `json:"date_registered"`
	DateCreated       time.Time  `json:"date_created"`
	DateModified      time.Time  `json:"date_modified"`
	LastLogin         *time.Time `json:"last_login"`
}

// Client calls the billing service.
type Client struct{ up *upstream.Client }

// New returns a client over an upstream client of service "billing".
func New(up *upstream.Client) *Client { return &Client{up: up} }

// Customer returns customer id. The principal in ctx travels with the call,
// so a caller restricted to another customer gets errs.NotFound, as for an
// id that does not exist.
func (c *Client) Customer(ctx context.Context, id int64) (Customer, error) {
	if id <= 0 {
		return Customer{}, errs.NotFoundResource("customer", "")
	}
	var out Customer
	err := c.up.Do(ctx, http.MethodGet, CustomersPath+strconv.FormatInt(id, 10), nil, &out)
	return out, err
}
