package customers

import "time"

// NewCustomer is what a caller asks for when creating a customer: either
// the id of an existing user, or a username, email and password for a new
// one. Empty strings and nil pointers take the defaults.
type NewCustomer struct {
	UserID int64

	Username string // default: the email, lower case
	Email    string
	Password string
	// PasswordHash, when set, is the password already hashed (checkout
	// hashes before its transaction); Password must then be empty. No
	// transport sets it.
	PasswordHash string
	DisplayName  string // default: the first and last names, else the username

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
	Contact           Contact
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

	Contact ContactPatch

	// Fields of the customer's user.
	Email       *string
	Password    *string
	DisplayName *string
}

// ContactPatch changes the contact fields it sets.
type ContactPatch struct {
	Firstname, Lastname, CompanyName, Phone  *string
	Address, Address2, City, Region, Zipcode *string
	Country                                  *string
}

// fields lists the patch's fields with their names and the contact's.
func (p *ContactPatch) fields(c *Contact) []contactField {
	return []contactField{
		{"firstname", &p.Firstname, &c.Firstname}, {"lastname", &p.Lastname, &c.Lastname},
		{"company_name", &p.CompanyName, &c.CompanyName}, {"phone", &p.Phone, &c.Phone},
		{"address", &p.Address, &c.Address}, {"address2", &p.Address2, &c.Address2},
		{"city", &p.City, &c.City}, {"region", &p.Region, &c.Region}, {"zipcode", &p.Zipcode, &c.Zipcode},
		{"country", &p.Country, &c.Country},
	}
}

type contactField struct {
	name  string
	patch **string
	value *string
}

// empty reports whether p changes nothing.
func (p ContactPatch) empty() bool {
	for _, f := range p.fields(&Contact{}) {
		if *f.patch != nil {
			return false
		}
	}
	return true
}

// Empty reports whether p changes nothing.
func (p Patch) Empty() bool {
	return p.Type == nil && p.EmailVerification == nil && p.Status == nil && p.HasTrialed == nil &&
		p.VIP == nil && p.IPs == nil && p.ExtraInformation == nil && p.DateRegistered == nil &&
		p.LastLogin == nil && !p.ClearLastLogin && p.Email == nil && p.Password == nil && p.DisplayName == nil &&
		p.Contact.empty()
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
	for _, f := range p.Contact.fields(&c.Contact) {
		set(f.value, *f.patch)
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
