// Package license is the installation's license of the auth service (the
// cx dialect's GET /api/application/license): the edition, the version
// running, the installation's instance id (made once and stored, so it is
// stable across restarts and instances), to whom it is issued and the
// features it carries.
package license

import (
	"crypto/rand"
	"fmt"
	"runtime/debug"
	"time"
)

// Edition is the open-source edition.
const Edition = "community"

// License describes the installation.
type License struct {
	Edition    string
	Version    string
	InstanceID string
	IssuedTo   string
	Features   []string
}

// Features are what the community edition carries: all of Hostplane.
func Features() []string {
	return []string{
		"api:wu", "api:cx", "api:sb",
		"api_keys", "key_rotation", "ip_allow_lists", "key_activity", "rate_limits",
		"customers", "products", "memberships", "payments", "checkout",
		"sites", "domains", "backups", "sovereign_tenants", "statistics",
	}
}

// Instance is the installation's identity.
type Instance struct {
	ID        string
	CreatedAt time.Time
}

// NewInstanceID returns a random UUID (version 4).
func NewInstanceID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// BuildVersion is the version the binary was built as ("dev" when unknown).
func BuildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
