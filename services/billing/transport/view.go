// Package transport mounts the billing service's endpoints on HTTP: the wu
// dialect's customers (/wp-json/wu/v2/customers and /customer, as the
// documentation and the plugin spell them) and the internal routes other
// services call through billing's client package.
package transport

import (
	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/services/billing/customers"
)

// customerView is a customer as the wu dialect shows it: the plugin's field
// names, with numbers and booleans typed (the plugin sends strings in
// lists), plus the user's email.
type customerView struct {
	ID                int64    `json:"id"`
	Model             string   `json:"model"`
	Slug              string   `json:"slug"`
	DateCreated       string   `json:"date_created"`
	DateModified      string   `json:"date_modified"`
	MigratedFromID    *int64   `json:"migrated_from_id"`
	UserID            int64    `json:"user_id"`
	Type              string   `json:"type"`
	DateRegistered    string   `json:"date_registered"`
	EmailVerification string   `json:"email_verification"`
	LastLogin         *string  `json:"last_login"`
	HasTrialed        bool     `json:"has_trialed"`
	VIP               bool     `json:"vip"`
	IPs               []string `json:"ips"`
	SignupForm        string   `json:"signup_form"`
	ExtraInformation  string   `json:"extra_information"`
	NetworkID         *int64   `json:"network_id"`
	User              userView `json:"_user"`
	BillingAddress    struct{} `json:"billing_address"`
	Notes             *string  `json:"notes"`
	Status            string   `json:"status"`
	Email             string   `json:"email"`
}

// userView is the customer's login, never its password hash.
type userView struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
}

func wuView(c customers.Customer) customerView {
	v := customerView{
		ID: c.ID, Model: "customer", DateCreated: wu.FormatDate(c.DateCreated),
		DateModified: wu.FormatDate(c.DateModified), UserID: c.UserID, Type: c.Type,
		DateRegistered: wu.FormatDate(c.DateRegistered), EmailVerification: c.EmailVerification,
		HasTrialed: c.HasTrialed, VIP: c.VIP, IPs: c.IPs, SignupForm: c.SignupForm,
		ExtraInformation: c.ExtraInformation, Status: c.Status, Email: c.User.Email,
		User: userView{ID: c.User.ID, Username: c.User.Username, Email: c.User.Email, DisplayName: c.User.DisplayName},
	}
	if v.IPs == nil {
		v.IPs = []string{}
	}
	if c.LastLogin != nil {
		s := wu.FormatDate(*c.LastLogin)
		v.LastLogin = &s
	}
	return v
}
