// Package customers is the customer aggregate of the billing service: a
// customer together with its login user (username, email, password hash,
// display name), its flags (vip, has_trialed, email verification), its
// contact and address (the cx dialect's fields), its status and dates. It
// creates, lists, partially updates and deletes customers, moves them
// through their statuses (cx suspend, reactivate, ban), writes an event for
// every change, and confines a caller whose key is restricted to one
// customer to that customer.
package customers

import (
	"slices"
	"time"
)

// Customer is a customer with its login user. A user belongs to at most one
// customer; deleting the customer keeps the user.
type Customer struct {
	ID                int64
	UserID            int64
	User              User
	Type              string
	EmailVerification string
	HasTrialed        bool
	VIP               bool
	IPs               []string
	ExtraInformation  string
	SignupForm        string
	Status            string
	Contact           Contact
	DateRegistered    time.Time
	DateCreated       time.Time
	DateModified      time.Time
	LastLogin         *time.Time // nil: never logged in
}

// Clone returns a copy of c that shares no memory with it.
func (c Customer) Clone() Customer {
	c.IPs = slices.Clone(c.IPs)
	if c.LastLogin != nil {
		t := *c.LastLogin
		c.LastLogin = &t
	}
	return c
}

// Contact is a customer's name, company, phone and postal address.
type Contact struct {
	Firstname   string
	Lastname    string
	CompanyName string
	Phone       string
	Address     string
	Address2    string
	City        string
	Region      string
	Zipcode     string
	Country     string // ISO 3166-1 alpha-2, upper case, or ""
}

// User is a login.
type User struct {
	ID          int64
	Username    string // unique
	Email       string // unique, case-insensitively
	DisplayName string
	// PasswordHash is an Argon2id PHC string; it is never shown.
	PasswordHash string
	DateCreated  time.Time
}

// Defaults of a new customer.
const (
	DefaultType       = "customer"
	DefaultSignupForm = "by-admin"
)

// Email verification states.
const (
	VerificationNone     = "none"
	VerificationPending  = "pending"
	VerificationVerified = "verified"
)

// EmailVerifications lists the email verification states.
var EmailVerifications = []string{VerificationNone, VerificationPending, VerificationVerified}

// Customer statuses.
const (
	StatusActive    = "active"
	StatusSuspended = "suspended"
	StatusPending   = "pending"
	StatusBanned    = "banned"
)

// Statuses lists the customer statuses.
var Statuses = []string{StatusActive, StatusSuspended, StatusPending, StatusBanned}

// Order is a sort key of customer lists.
type Order string

// Sort keys. Ties are broken by id in the same direction; a missing
// last_login sorts after every date.
const (
	ByID                Order = "id"
	ByDateRegistered    Order = "date_registered"
	ByDateCreated       Order = "date_created"
	ByDateModified      Order = "date_modified"
	ByLastLogin         Order = "last_login"
	ByUserID            Order = "user_id"
	ByVIP               Order = "vip"
	ByEmailVerification Order = "email_verification"
)

// Orders lists every sort key, the default first.
var Orders = []Order{ByID, ByDateRegistered, ByDateCreated, ByDateModified, ByLastLogin, ByUserID, ByVIP, ByEmailVerification}

// Actions move a customer between statuses (the cx dialect's
// /customers/{id}/action/{action}).
const (
	ActionSuspend    = "suspend"
	ActionReactivate = "reactivate"
	ActionBan        = "ban"
)

// actions maps each action to the statuses it applies to and the status
// it leads to. Any other starting status is a conflict.
var actions = map[string]struct {
	from []string
	to   string
}{
	ActionSuspend:    {from: []string{StatusActive, StatusPending}, to: StatusSuspended},
	ActionReactivate: {from: []string{StatusSuspended, StatusBanned, StatusPending}, to: StatusActive},
	ActionBan:        {from: []string{StatusActive, StatusSuspended, StatusPending}, to: StatusBanned},
}

// Actions lists the actions.
var Actions = []string{ActionSuspend, ActionReactivate, ActionBan}
