package customers

import "time"

// NewCustomer is what a caller asks for when creating a customer: either
// the id of an existing user, or a username, email and password for a new
// one. Empty strings and nil pointers take the defaults.
type NewCustomer struct {
	UserID int64

	Username    string
	Email       string
	Password    string
	DisplayName string // default: the username

	Type              string // default "customer"
	EmailVerification string // default "none"
	Status            string // default "active"
	SignupForm        string // default "by-admin"
	HasTrialed        bool
	VIP               bool
	IPs               []string
	ExtraInformation  string
	DateRegistered    *time.Time // default: now
	LastLogin         *time.Time // default: never
}

// Patch is a partial update: nil fields are left as they are.
type Patch struct {
	Type              *string
	EmailVerification *string
	Status            *string
	HasTrialed        *bool
	VIP               *bool
	IPs               *[]string
	ExtraInformation  *string
	DateRegistered    *time.Time
	LastLogin         *time.Time
	// ClearLastLogin sets last_login back to never (LastLogin must be nil).
	ClearLastLogin bool

	// Fields of the customer's user.
	Email       *string
	Password    *string
	DisplayName *string
}

// Empty reports whether p changes nothing.
func (p Patch) Empty() bool {
	return p.Type == nil && p.EmailVerification == nil && p.Status == nil && p.HasTrialed == nil &&
		p.VIP == nil && p.IPs == nil && p.ExtraInformation == nil && p.DateRegistered == nil &&
		p.LastLogin == nil && !p.ClearLastLogin && p.Email == nil && p.Password == nil && p.DisplayName == nil
}

// apply sets p's fields on c; passwordHash replaces the user's hash when
// not empty. p must have been validated.
func (p Patch) apply(c *Customer, passwordHash string) {
	set(&c.Type, p.Type)
	set(&c.EmailVerification, p.EmailVerification)
	set(&c.Status, p.Status)
	set(&c.HasTrialed, p.HasTrialed)
	set(&c.VIP, p.VIP)
	set(&c.ExtraInformation, p.ExtraInformation)
	if p.IPs != nil {
		c.IPs = append([]string{}, (*p.IPs)...)
	}
	if p.DateRegistered != nil {
		c.DateRegistered = *p.DateRegistered
	}
	switch {
	case p.LastLogin != nil:
		t := *p.LastLogin
		c.LastLogin = &t
	case p.ClearLastLogin:
		c.LastLogin = nil
	}
	set(&c.User.Email, p.Email)
	set(&c.User.DisplayName, p.DisplayName)
	if passwordHash != "" {
		c.User.PasswordHash = passwordHash
	}
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
