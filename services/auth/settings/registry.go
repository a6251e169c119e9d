// Package settings is the installation's settings aggregate of the auth
// service: a registry of the settings Hostplane knows, each with a type and
// a default, and their stored values. enable_api is what every gateway
// applies (polled twice a second); enable_registration is what billing's
// registration reads; key_rotation_grace is the default grace of key
// rotations. Secret settings can be written but are never read back through
// the API.
package settings

import "time"

// Type is the type of a setting's value.
type Type string

// Setting types.
const (
	TypeBoolean  Type = "boolean"  // JSON true or false
	TypeString   Type = "string"   // text
	TypeEmail    Type = "email"    // an e-mail address, or ""
	TypeCurrency Type = "currency" // an ISO 4217 code
	TypeDuration Type = "duration" // a Go duration ("24h", "90m") or seconds
)

// Keys of the known settings.
const (
	EnableAPI          = "enable_api"
	EnableRegistration = "enable_registration"
	CompanyName        = "company_name"
	CompanyEmail       = "company_email"
	Currency           = "currency"
	KeyRotationGrace   = "key_rotation_grace"
	WebhookSecret      = "webhook_secret"
)

// Definition describes one known setting.
type Definition struct {
	Key         string
	Type        Type
	Default     any // JSON-encodable, in the type's canonical form
	Secret      bool
	Description string
	MaxLength   int           // strings: 0 means 255
	Min, Max    time.Duration // durations
}

// Registry lists the known settings, in display order.
func Registry() []Definition {
	return []Definition{
		{Key: EnableAPI, Type: TypeBoolean, Default: true,
			Description: "The API answers (false: every call but the health check is refused with 403, on every gateway within a second)."},
		{Key: EnableRegistration, Type: TypeBoolean, Default: true,
			Description: "New customers may register (wu /register)."},
		{Key: CompanyName, Type: TypeString, Default: "", MaxLength: 191,
			Description: "The operator's company name (the license is issued to it)."},
		{Key: CompanyEmail, Type: TypeEmail, Default: "",
			Description: "The operator's contact e-mail."},
		{Key: Currency, Type: TypeCurrency, Default: "USD",
			Description: "The default currency (ISO 4217)."},
		{Key: KeyRotationGrace, Type: TypeDuration, Default: "24h", Min: 0, Max: 30 * 24 * time.Hour,
			Description: "How long the previous secret of a rotated API key stays valid when the rotation names no grace."},
		{Key: WebhookSecret, Type: TypeString, Default: "", Secret: true, MaxLength: 256,
			Description: "Secret that signs outgoing webhooks (write-only)."},
	}
}

// Lookup returns the definition of key.
func Lookup(key string) (Definition, bool) {
	for _, d := range Registry() {
		if d.Key == key {
			return d, true
		}
	}
	return Definition{}, false
}
