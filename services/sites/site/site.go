// Package site is the site aggregate of the sites service: a site with its
// code (sb code_site, wu slug), owner (customer, membership, plan), wu
// fields (domain, path, title, type, active, public, archived), sb contact
// and the plan snapshot its membership decides (is_trial, is_free,
// closing_date). It creates sites (from a template or a copy of another
// site, files included), lists, updates, deletes, suspends and reactivates
// them, and confines a caller whose key is restricted to one customer to
// that customer's sites.
package site

import (
	"strings"
	"time"
)

// Site is one hosted site.
type Site struct {
	ID           int64
	Code         string // unique: lowercase letters, digits and dashes
	CustomerID   int64  // 0: no customer (an operator's own or a template)
	MembershipID int64
	TemplateID   int64
	PlanID       int64
	Title        string // wu title and name, sb name
	Description  string
	Domain       string
	Path         string
	Type         string
	Active       bool
	Public       bool
	Archived     bool
	Status       string // open|suspended|closed
	// Provisioning is true while a job makes the site's files; the site is
	// announced (site.created) once they exist.
	Provisioning bool
	Plan         Plan
	Contact      Contact
	DateCreated  time.Time
	DateModified time.Time
}

// Plan is what the site's membership decides, kept with the site so that
// lists filter and sort on it.
type Plan struct {
	Name         string
	IsTrial      bool
	IsFree       bool
	ClosingDate  *time.Time
	EndTrialDate *time.Time
}

// Contact is the site's owner as the sb dialect creates it.
type Contact struct {
	Firstname   string `json:"firstname,omitempty"`
	Lastname    string `json:"lastname,omitempty"`
	Civility    string `json:"civility,omitempty"`
	Email       string `json:"email,omitempty"`
	Address     string `json:"address,omitempty"`
	Zipcode     string `json:"zipcode,omitempty"`
	City        string `json:"city,omitempty"`
	CountryID   string `json:"country_id,omitempty"`
	Phone       string `json:"phone,omitempty"`
	Fax         string `json:"fax,omitempty"`
	CompanyName string `json:"company_name,omitempty"`
	CompanyForm string `json:"company_forme,omitempty"`
	CompanyCNIL string `json:"company_cnil,omitempty"`
	Capital     string `json:"company_capital,omitempty"`
	SIRET       string `json:"company_siret,omitempty"`
	RCS         string `json:"company_rcs,omitempty"`
	TVA         string `json:"company_tva,omitempty"`
}

// Clone returns a copy of s sharing no memory with it.
func (s Site) Clone() Site {
	s.Plan.ClosingDate = clonePtr(s.Plan.ClosingDate)
	s.Plan.EndTrialDate = clonePtr(s.Plan.EndTrialDate)
	return s
}

func clonePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// IsTemplate reports whether s is a template others are created from.
func (s Site) IsTemplate() bool { return s.Type == TypeTemplate }

// IsClosed reports whether the site is not open (suspended or closed).
func (s Site) IsClosed() bool { return s.Status != StatusOpen }

// SearchText is what a term is looked for in: code, title and domain,
// lower case.
func (s Site) SearchText() string {
	return strings.ToLower(s.Code + " " + s.Title + " " + s.Domain)
}

// Types of site (wu type).
const (
	TypeDefault       = "default"
	TypeTemplate      = "site_template"
	TypeCustomerOwned = "customer_owned"
	TypePending       = "pending"
	TypeExternal      = "external"
	TypeMain          = "main"
	TypeDemo          = "demo"
)

// Types lists the site types.
var Types = []string{TypeDefault, TypeTemplate, TypeCustomerOwned, TypePending, TypeExternal, TypeMain, TypeDemo}

// Statuses of a site.
const (
	StatusOpen      = "open"
	StatusSuspended = "suspended"
	StatusClosed    = "closed"
)

// Statuses lists the site statuses.
var Statuses = []string{StatusOpen, StatusSuspended, StatusClosed}

// Selections of the sb list's type parameter.
const (
	SelectOpen        = "open"
	SelectTrial       = "trial"
	SelectClosed      = "closed"
	SelectClosingSoon = "closing_soon"
	SelectDemo        = "demo"
	SelectFree        = "free"
)

// Selections lists the sb list types.
var Selections = []string{SelectOpen, SelectTrial, SelectClosed, SelectClosingSoon, SelectDemo, SelectFree}

// ClosingSoon is how far ahead a closing date makes a site closing_soon.
const ClosingSoon = 30 * 24 * time.Hour

// Order is a sort key of site lists.
type Order string

// Sort keys. Ties are broken by id in the same direction; a missing
// closing date sorts after every date. ByRelevance puts sites whose code
// is the term first, then codes starting with it, then titles starting
// with it, then the rest, each by code.
const (
	ByID           Order = "id"
	ByCode         Order = "code"
	ByTitle        Order = "title"
	ByDomain       Order = "domain"
	ByDateCreated  Order = "date_created"
	ByDateModified Order = "date_modified"
	ByClosingDate  Order = "closing_date"
	ByRelevance    Order = "relevance"
)

// Orders lists every sort key.
var Orders = []Order{ByID, ByCode, ByTitle, ByDomain, ByDateCreated, ByDateModified, ByClosingDate, ByRelevance}

// MaxCode bounds code_site.
const MaxCode = 63

// ValidCode reports whether s can be a code_site: 1 to 63 lowercase
// letters, digits and dashes, starting and ending with a letter or digit.
func ValidCode(s string) bool {
	if len(s) == 0 || len(s) > MaxCode || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Slug turns free text ("My New Site", "example.com") into a code: lower
// case ASCII letters and digits, every other run of characters a dash.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= MaxCode-4 {
				break
			}
			continue
		}
		dash = true
	}
	return b.String()
}
