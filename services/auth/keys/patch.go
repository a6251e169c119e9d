package keys

import (
	"net/mail"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
)

// MaxName bounds a key's name.
const MaxName = 191

// Patch is a change of a key: every set field is replaced, the others are
// left alone.
type Patch struct {
	Name        *string
	Permissions *[]string
	AllowedIPs  *[]string // an empty list lifts the restriction
	RateLimit   *string   // "" goes back to the gateway's default
	ExpiresAt   *time.Time
	NoExpiry    bool // removes the expiry (ExpiresAt must then be nil)
}

// Empty reports whether p changes nothing.
func (p Patch) Empty() bool {
	return p.Name == nil && p.Permissions == nil && p.AllowedIPs == nil && p.RateLimit == nil && p.ExpiresAt == nil && !p.NoExpiry
}

// checked is a validated patch, ready to apply.
type checked struct {
	Patch
	rateLimit  RateLimit
	allowedIPs []string
}

// check validates p at now and names every bad field.
func (p Patch) check(now time.Time) (checked, error) {
	var c errs.Collector
	out := checked{Patch: p}
	if p.Name != nil {
		name := strings.TrimSpace(*p.Name)
		checkName(&c, name)
		out.Name = &name
	}
	if p.Permissions != nil {
		checkPermissions(&c, *p.Permissions)
	}
	if p.AllowedIPs != nil {
		ips, err := ParseAllowedIPs(*p.AllowedIPs)
		if err != nil {
			c.Invalid("allowed_ips", capitalize(err.Error())+".")
		}
		out.allowedIPs = ips
	}
	if p.RateLimit != nil {
		rl, err := ParseRateLimit(*p.RateLimit)
		if err != nil {
			c.Invalid("rate_limit", capitalize(err.Error())+".")
		}
		out.rateLimit = rl
	}
	switch {
	case p.NoExpiry && p.ExpiresAt != nil:
		c.Invalid("expires_at", "Give an expiry or remove it, not both.")
	case p.ExpiresAt != nil:
		checkExpiry(&c, *p.ExpiresAt, now)
	}
	return out, c.Err()
}

// apply writes the patch into k.
func (p checked) apply(k *Key) {
	if p.Name != nil {
		k.Name = *p.Name
	}
	if p.Permissions != nil {
		k.Permissions = append([]string{}, (*p.Permissions)...)
	}
	if p.AllowedIPs != nil {
		k.AllowedIPs = p.allowedIPs
	}
	if p.RateLimit != nil {
		k.RateLimit = p.rateLimit
	}
	if p.ExpiresAt != nil {
		t := p.ExpiresAt.UTC().Truncate(time.Microsecond)
		k.ExpiresAt = &t
	}
	if p.NoExpiry {
		k.ExpiresAt = nil
	}
}

func checkName(c *errs.Collector, name string) {
	if name == "" {
		c.Missing("name")
	} else if len(name) > MaxName {
		c.Invalid("name", "Must be at most 191 characters.")
	}
}

func checkEmail(c *errs.Collector, email string) {
	if email == "" {
		c.Missing("email")
	} else if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		c.Invalid("email", "Invalid email format.")
	}
}

func checkPermissions(c *errs.Collector, perms []string) {
	if len(perms) == 0 {
		c.Missing("permissions")
	} else if err := principal.Validate(perms); err != nil {
		c.Invalid("permissions", capitalize(err.Error())+".")
	}
}

func checkExpiry(c *errs.Collector, t, now time.Time) {
	if !t.After(now) {
		c.Invalid("expires_at", "Must be in the future.")
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
