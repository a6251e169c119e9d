// Package principal describes who is calling (the authenticated API key) and
// how the gateway hands that to services: a compact encoding signed with
// HMAC-SHA256 over timestamp, method, path and principal.
package principal

import (
	"context"
	"strings"
)

// Principal is the authenticated caller as the gateway sends it upstream.
type Principal struct {
	KeyID       int64    `json:"kid"`
	KeyName     string   `json:"kn,omitempty"`
	AccountID   int64    `json:"aid,omitempty"`
	CustomerID  int64    `json:"cid,omitempty"` // 0: not restricted to a customer
	Permissions []string `json:"p"`
	RequestID   string   `json:"rid,omitempty"`
	// RateLimit and RateRemaining carry the caller's limiter state so that
	// dialects which echo it in bodies (sb meta.rate_remaining) can.
	RateLimit     int `json:"rl,omitempty"`
	RateRemaining int `json:"rr,omitempty"`
	// System marks a service-to-service call made with the internal secret.
	System bool `json:"sys,omitempty"`
}

// Restricted reports whether the caller may only see one customer's rows.
func (p *Principal) Restricted() bool { return p != nil && p.CustomerID != 0 }

// Allows reports whether the principal holds the permission perm
// ("resource:action" or a bare global name like "health").
func (p *Principal) Allows(perm string) bool {
	if p == nil {
		return false
	}
	if p.System {
		return true
	}
	return Allows(p.Permissions, perm)
}

// Allows reports whether a permission list grants perm. "*" grants all;
// "resource:*" grants every action of resource. "statitics" and
// "statistics" are the same permission (the cx reference spells it both
// ways).
func Allows(perms []string, perm string) bool {
	perm = Canonical(perm)
	res, _, hasAction := strings.Cut(perm, ":")
	for _, have := range perms {
		have = Canonical(have)
		switch {
		case have == "*", have == perm:
			return true
		case hasAction && strings.HasSuffix(have, ":*") && have[:len(have)-2] == res:
			return true
		}
	}
	return false
}

// Canonical folds permission spellings that mean the same thing.
func Canonical(perm string) string {
	switch perm {
	case "statitics":
		return "statistics"
	}
	return perm
}

type ctxKey struct{}

// With returns ctx carrying p.
func With(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the principal in ctx, or nil.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// CustomerScope returns the customer the caller in ctx is restricted to, or 0.
func CustomerScope(ctx context.Context) int64 {
	if p := From(ctx); p != nil {
		return p.CustomerID
	}
	return 0
}
