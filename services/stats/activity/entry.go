// Package activity is a site's activity log (sb GET
// /v1/sites/{code}/logs.json): every write made through the gateway with
// the key that made it, the changes other services announce (customers,
// memberships, payments, sites, domains, backups) and the orders and form
// responses the site reports. Entries about a customer but no site appear
// in the logs of each of that customer's sites.
package activity

import "time"

// Entry types, the sb reference's.
const (
	TypeLogin    = "login"
	TypeUpdate   = "update"
	TypeComment  = "comment"
	TypeCheckout = "checkout"
	TypeForm     = "form"
)

// Types lists the entry types.
var Types = []string{TypeLogin, TypeUpdate, TypeComment, TypeCheckout, TypeForm}

// User profiles of entries.
const (
	ProfileAPIKey   = "api_key"  // a write through the gateway
	ProfileSystem   = "system"   // a change announced by a service
	ProfileCustomer = "customer" // an event the site reported
)

// Entry is one line of an activity log.
type Entry struct {
	ID         int64
	SiteID     int64 // 0: about a customer, not one site
	CustomerID int64 // 0: none known
	Type       string
	Text       string
	URN        string
	UserName   string
	UserProfil string
	AvatarURL  string
	At         time.Time
	// Dedupe, when set, makes an entry recorded twice (a batch or an event
	// delivered again) stored once.
	Dedupe string
}

// MaxText bounds an entry's text and URN.
const MaxText = 500

// Clip cuts s to MaxText bytes at a rune boundary.
func Clip(s string) string {
	if len(s) <= MaxText {
		return s
	}
	cut := MaxText
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut]
}
