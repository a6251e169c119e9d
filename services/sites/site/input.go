package site

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"golang.org/x/net/idna"
)

// NewSite is what a caller asks for when creating a site. Empty values take
// the defaults: the code comes from the domain or the title (made unique),
// the title from the code, the domain is <code>.<base domain>, the path
// "/", the type customer_owned for a customer's site and default
// otherwise; active and public are true.
type NewSite struct {
	Code         string
	CustomerID   int64
	MembershipID int64
	TemplateID   int64 // a site of type site_template to copy
	CopySite     string
	PlanID       int64
	Title        string
	Description  string
	Domain       string
	Path         string
	Type         string
	Active       *bool
	Public       *bool
	Archived     *bool
	Contact      Contact
	// RequireCode refuses an empty code instead of deriving one (sb).
	RequireCode bool
	// IdempotencyKey makes a retried request find the same site or job.
	IdempotencyKey string
	// Trusted marks a creation by another service (billing's checkout),
	// which vouches for its customer and membership: billing is then read
	// for the plan only, and a failed read is no error (the membership may
	// not be committed yet).
	Trusted bool `json:"-"`
}

// Patch is a partial update: nil fields are left as they are.
type Patch struct {
	Title        *string
	Description  *string
	Domain       *string
	Path         *string
	Type         *string
	Active       *bool
	Public       *bool
	Archived     *bool
	CustomerID   *int64
	MembershipID *int64
	TemplateID   *int64
}

// Empty reports whether p changes nothing.
func (p Patch) Empty() bool {
	return p.Title == nil && p.Description == nil && p.Domain == nil && p.Path == nil && p.Type == nil &&
		p.Active == nil && p.Public == nil && p.Archived == nil && p.CustomerID == nil && p.MembershipID == nil &&
		p.TemplateID == nil
}

// Limits of the fields a caller sets.
const (
	MaxTitle       = 250
	MaxDescription = 2000
	MaxPath        = 250
	MaxContact     = 250
)

// Civilities are the accepted contact_civility values.
var Civilities = []string{"Mr", "Mrs", "Miss"}

func (in *NewSite) normalize() {
	in.Code = strings.TrimSpace(in.Code)
	in.CopySite = strings.TrimSpace(in.CopySite)
	in.Title = strings.TrimSpace(in.Title)
	in.Domain = strings.TrimSpace(in.Domain)
	in.Path = strings.TrimSpace(in.Path)
	in.Type = strings.TrimSpace(in.Type)
	c := &in.Contact
	for _, f := range []*string{&c.Firstname, &c.Lastname, &c.Civility, &c.Email, &c.Address, &c.Zipcode,
		&c.City, &c.CountryID, &c.Phone, &c.Fax, &c.CompanyName, &c.CompanyForm, &c.CompanyCNIL,
		&c.Capital, &c.SIRET, &c.RCS, &c.TVA} {
		*f = strings.TrimSpace(*f)
	}
}

// Validate reports every problem of in that needs no lookup, naming each
// bad field.
func (in NewSite) Validate() error {
	in.normalize()
	return in.validate()
}

func (in *NewSite) validate() error {
	var c errs.Collector
	switch {
	case in.Code == "" && in.RequireCode:
		c.Missing("code_site")
	case in.Code != "" && !ValidCode(in.Code):
		c.Invalid("code_site", "Must be 1 to 63 lowercase letters, digits and dashes, not starting or ending with a dash.")
	}
	for field, v := range map[string]int64{"customer_id": in.CustomerID, "membership_id": in.MembershipID,
		"template_id": in.TemplateID, "plan_id": in.PlanID} {
		if v < 0 {
			c.Invalid(field, "Must be a positive integer.")
		}
	}
	if in.CopySite != "" && !ValidCode(in.CopySite) {
		c.Invalid("copy_site", "No site has this code.")
	}
	if in.CopySite != "" && in.TemplateID != 0 {
		c.Invalid("copy_site", "Give copy_site or template_id, not both.")
	}
	checkText(&c, "title", in.Title, MaxTitle)
	checkText(&c, "description", in.Description, MaxDescription)
	if in.Domain != "" {
		if d, err := NormalizeDomain(in.Domain); err != nil {
			c.Invalid("domain", err.Error())
		} else {
			in.Domain = d
		}
	}
	if in.Path != "" {
		checkPath(&c, in.Path)
	}
	if in.Type != "" && !slices.Contains(Types, in.Type) {
		c.Invalid("type", "Must be one of: "+strings.Join(Types, ", ")+".")
	}
	ct := in.Contact
	for field, v := range map[string]string{
		"contact_firstname": ct.Firstname, "contact_lastname": ct.Lastname, "contact_address": ct.Address,
		"contact_zipcode": ct.Zipcode, "contact_city": ct.City, "contact_country_id": ct.CountryID,
		"contact_phone": ct.Phone, "contact_fax": ct.Fax, "company_name": ct.CompanyName,
		"company_forme": ct.CompanyForm, "company_cnil": ct.CompanyCNIL, "company_capital": ct.Capital,
		"company_siret": ct.SIRET, "company_rcs": ct.RCS, "company_tva": ct.TVA,
	} {
		checkText(&c, field, v, MaxContact)
	}
	if ct.Civility != "" && !slices.Contains(Civilities, ct.Civility) {
		c.Invalid("contact_civility", "Must be one of: Mr, Mrs, Miss.")
	}
	if ct.Email != "" {
		if a, err := mail.ParseAddress(ct.Email); err != nil || a.Address != ct.Email || len(ct.Email) > 254 {
			c.Invalid("contact_email", "Invalid email format.")
		}
	}
	return c.Err()
}

func (p *Patch) normalize() {
	for _, s := range []**string{&p.Title, &p.Domain, &p.Path, &p.Type} {
		if *s != nil {
			t := strings.TrimSpace(**s)
			*s = &t
		}
	}
}

// Validate reports every problem of p, as Update would.
func (p Patch) Validate() error {
	p.normalize()
	return p.validate()
}

func (p *Patch) validate() error {
	var c errs.Collector
	if p.Title != nil {
		if *p.Title == "" {
			c.Invalid("title", "Must not be empty.")
		}
		checkText(&c, "title", *p.Title, MaxTitle)
	}
	if p.Description != nil {
		checkText(&c, "description", *p.Description, MaxDescription)
	}
	if p.Domain != nil {
		if d, err := NormalizeDomain(*p.Domain); err != nil {
			c.Invalid("domain", err.Error())
		} else {
			p.Domain = &d
		}
	}
	if p.Path != nil {
		checkPath(&c, *p.Path)
	}
	if p.Type != nil && !slices.Contains(Types, *p.Type) {
		c.Invalid("type", "Must be one of: "+strings.Join(Types, ", ")+".")
	}
	for field, v := range map[string]*int64{"customer_id": p.CustomerID, "membership_id": p.MembershipID, "template_id": p.TemplateID} {
		if v != nil && *v < 0 {
			c.Invalid(field, "Must be a positive integer.")
		}
	}
	return c.Err()
}

func checkText(c *errs.Collector, field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		c.Invalid(field, "Must be valid UTF-8.")
	case strings.ContainsRune(s, 0):
		c.Invalid(field, "Must not contain NUL characters.")
	case utf8.RuneCountInString(s) > max:
		c.Invalid(field, fmt.Sprintf("Must be at most %d characters.", max))
	}
}

func checkPath(c *errs.Collector, p string) {
	if !strings.HasPrefix(p, "/") || len(p) > MaxPath || strings.Contains(p, "..") || strings.ContainsAny(p, "\\?#\x00 ") {
		c.Invalid("path", "Must be an absolute URL path such as / or /blog/.")
	}
}

// idnaProfile validates host names as browsers register them.
var idnaProfile = idna.New(idna.MapForLookup(), idna.ValidateLabels(true), idna.VerifyDNSLength(true), idna.StrictDomainName(true), idna.BidiRule())

// NormalizeDomain lowercases and IDNA-validates a host name and returns its
// ASCII (punycode) form: "Café.Example" → "xn--caf-dma.example". A trailing
// dot is dropped; ports, paths, IP addresses and single labels are refused.
func NormalizeDomain(s string) (string, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" {
		return "", fmt.Errorf("Must not be empty.")
	}
	if len(s) > 253 || strings.ContainsAny(s, "/:@ \\?#*") {
		return "", fmt.Errorf("Must be a host name such as example.com.")
	}
	a, err := idnaProfile.ToASCII(s)
	if err != nil || !strings.Contains(a, ".") {
		return "", fmt.Errorf("Must be a valid host name such as example.com.")
	}
	a = strings.ToLower(a)
	last := a[strings.LastIndexByte(a, '.')+1:]
	if last == "" || last[0] >= '0' && last[0] <= '9' {
		return "", fmt.Errorf("Must be a host name such as example.com, not an address.")
	}
	return a, nil
}
