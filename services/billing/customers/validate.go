package customers

import (
	"fmt"
	"net/mail"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
)

// Limits of the fields a caller sets.
const (
	MinUsername         = 4
	MaxUsername         = 254 // an email may serve as the username
	MaxEmail            = 254
	MinPassword         = 6
	MaxPassword         = 1024
	MaxDisplayName      = 250
	MaxType             = 32
	MaxSignupForm       = 64
	MaxExtraInformation = 65535
	MaxIPs              = 100
	MaxContactField     = 255
)

// normalize trims what a caller may pad by mistake; usernames are lower case.
func (in *NewCustomer) normalize() {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.Email = strings.TrimSpace(in.Email)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	in.Type = strings.TrimSpace(in.Type)
	in.EmailVerification = strings.TrimSpace(in.EmailVerification)
	in.Status = strings.TrimSpace(in.Status)
	in.SignupForm = strings.TrimSpace(in.SignupForm)
	in.Contact.normalize()
	if in.Username == "" && in.UserID == 0 && in.Email != "" {
		in.Username = strings.ToLower(in.Email)
	}
}

// normalize trims every contact field; countries are upper case.
func (c *Contact) normalize() {
	for _, p := range []*string{&c.Firstname, &c.Lastname, &c.CompanyName, &c.Phone, &c.Address, &c.Address2,
		&c.City, &c.Region, &c.Zipcode} {
		*p = strings.TrimSpace(*p)
	}
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
}

// check names every bad contact field.
func (c *Contact) check(col *errs.Collector) {
	for _, f := range (&ContactPatch{}).fields(c) {
		if f.name == "country" {
			checkCountry(col, *f.value)
			continue
		}
		checkLength(col, f.name, *f.value, MaxContactField)
	}
}

func checkCountry(c *errs.Collector, s string) {
	if s == "" {
		return
	}
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		c.Invalid("country", "Must be an ISO 3166-1 alpha-2 country code (FR, US, …).")
	}
}

// validate checks in (normalized) and names every bad field.
func (in *NewCustomer) validate() error {
	var c errs.Collector
	newUser := in.Username != "" || in.Email != "" || in.Password != "" || in.PasswordHash != ""
	switch {
	case in.UserID < 0:
		c.Invalid("user_id", "Must be a positive integer.")
	case in.UserID > 0:
		for field, v := range map[string]string{"username": in.Username, "email": in.Email, "password": in.Password + in.PasswordHash, "display_name": in.DisplayName} {
			if v != "" {
				c.Invalid(field, "Not allowed with user_id: the user exists already.")
			}
		}
	case newUser:
		checkUsername(&c, in.Username)
		checkEmail(&c, in.Email)
		switch {
		case in.PasswordHash == "":
			checkPassword(&c, in.Password)
		case in.Password != "":
			c.Invalid("password", "Give a password or its hash, not both.")
		}
		checkDisplayName(&c, in.DisplayName)
	default:
		c.Invalid("user_id", "Give the user_id of an existing user, or username, email and password for a new one.")
	}
	if in.Type != "" {
		checkType(&c, in.Type)
	}
	if in.EmailVerification != "" {
		checkOneOf(&c, "email_verification", in.EmailVerification, EmailVerifications)
	}
	if in.Status != "" {
		checkOneOf(&c, "status", in.Status, Statuses)
	}
	if in.SignupForm != "" {
		checkLength(&c, "signup_form", in.SignupForm, MaxSignupForm)
	}
	checkIPs(&c, in.IPs)
	checkLength(&c, "extra_information", in.ExtraInformation, MaxExtraInformation)
	checkDate(&c, "date_registered", in.DateRegistered)
	checkDate(&c, "last_login", in.LastLogin)
	in.Contact.check(&c)
	return c.Err()
}

// normalize trims what a caller may pad by mistake (into new strings: the
// caller's are left alone).
func (p *Patch) normalize() {
	for _, s := range []**string{&p.Type, &p.EmailVerification, &p.Status, &p.Email, &p.DisplayName} {
		if *s != nil {
			t := strings.TrimSpace(**s)
			*s = &t
		}
	}
	for _, f := range p.Contact.fields(&Contact{}) {
		if *f.patch != nil {
			t := strings.TrimSpace(**f.patch)
			if f.name == "country" {
				t = strings.ToUpper(t)
			}
			*f.patch = &t
		}
	}
}

// Validate reports every problem of in, as Create would, naming each bad
// field. Transports use it to name a field they could not read together
// with the others.
func (in NewCustomer) Validate() error {
	in.normalize()
	return in.validate()
}

// Validate reports every problem of p, as Update would.
func (p Patch) Validate() error {
	p.normalize()
	return p.validate()
}

// validate checks p (normalized) and names every bad field.
func (p *Patch) validate() error {
	var c errs.Collector
	if p.Type != nil {
		checkType(&c, *p.Type)
	}
	if p.EmailVerification != nil {
		checkOneOf(&c, "email_verification", *p.EmailVerification, EmailVerifications)
	}
	if p.Status != nil {
		checkOneOf(&c, "status", *p.Status, Statuses)
	}
	if p.IPs != nil {
		checkIPs(&c, *p.IPs)
	}
	if p.ExtraInformation != nil {
		checkLength(&c, "extra_information", *p.ExtraInformation, MaxExtraInformation)
	}
	checkDate(&c, "date_registered", p.DateRegistered)
	checkDate(&c, "last_login", p.LastLogin)
	if p.LastLogin != nil && p.ClearLastLogin {
		c.Invalid("last_login", "Give a date or clear it, not both.")
	}
	if p.Email != nil {
		checkEmail(&c, *p.Email)
	}
	if p.Password != nil {
		checkPassword(&c, *p.Password)
	}
	if p.DisplayName != nil {
		checkDisplayName(&c, *p.DisplayName)
	}
	for _, f := range p.Contact.fields(&Contact{}) {
		switch {
		case *f.patch == nil:
		case f.name == "country":
			checkCountry(&c, **f.patch)
		default:
			checkLength(&c, f.name, **f.patch, MaxContactField)
		}
	}
	return c.Err()
}

func checkUsername(c *errs.Collector, s string) {
	if s == "" {
		c.Missing("username")
		return
	}
	if len(s) < MinUsername || len(s) > MaxUsername {
		c.Invalid("username", fmt.Sprintf("Must be %d to %d characters.", MinUsername, MaxUsername))
		return
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' || r == '@' || r == '+') {
			c.Invalid("username", "May only contain letters a-z, digits, '.', '_', '-', '@' and '+'.")
			return
		}
	}
}

func checkEmail(c *errs.Collector, s string) {
	if s == "" {
		c.Missing("email")
		return
	}
	if len(s) > MaxEmail {
		c.Invalid("email", fmt.Sprintf("Must be at most %d characters.", MaxEmail))
		return
	}
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		c.Invalid("email", "Invalid email format.")
		return
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		c.Invalid("email", "Invalid email format.")
	}
}

func checkPassword(c *errs.Collector, s string) {
	switch {
	case s == "":
		c.Missing("password")
	case utf8.RuneCountInString(s) < MinPassword:
		c.Invalid("password", fmt.Sprintf("Must be at least %d characters.", MinPassword))
	case len(s) > MaxPassword:
		c.Invalid("password", fmt.Sprintf("Must be at most %d bytes.", MaxPassword))
	}
}

func checkDisplayName(c *errs.Collector, s string) {
	checkLength(c, "display_name", s, MaxDisplayName)
}

func checkType(c *errs.Collector, s string) {
	if s == "" || len(s) > MaxType {
		c.Invalid("type", fmt.Sprintf("Must be 1 to %d characters.", MaxType))
		return
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			c.Invalid("type", "May only contain letters a-z, digits, '_' and '-'.")
			return
		}
	}
}

func checkOneOf(c *errs.Collector, field, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		c.Invalid(field, "Must be one of: "+strings.Join(allowed, ", ")+".")
	}
}

func checkLength(c *errs.Collector, field, s string, max int) {
	if !utf8.ValidString(s) {
		c.Invalid(field, "Must be valid UTF-8.")
	} else if strings.ContainsRune(s, 0) {
		c.Invalid(field, "Must not contain NUL characters.")
	} else if utf8.RuneCountInString(s) > max {
		c.Invalid(field, fmt.Sprintf("Must be at most %d characters.", max))
	}
}

func checkIPs(c *errs.Collector, ips []string) {
	if len(ips) > MaxIPs {
		c.Invalid("ips", fmt.Sprintf("At most %d addresses.", MaxIPs))
		return
	}
	for i, s := range ips {
		if _, err := netip.ParseAddr(s); err != nil {
			c.Invalid("ips", fmt.Sprintf("Item %d (%.64q) is not an IP address.", i, s))
			return
		}
	}
}

// Dates PostgreSQL and every dialect can hold.
var (
	minDate = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

func checkDate(c *errs.Collector, field string, t *time.Time) {
	if t != nil && (t.Before(minDate) || t.After(maxDate)) {
		c.Invalid(field, "Must be between 1970-01-01 and 9999-12-31.")
	}
}
