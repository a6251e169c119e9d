// Package activity is the per-key activity log of the auth service: the
// last calls made with each API key (method, path, status, time, client
// IP), which gateways report in batches once a second. The store keeps the
// newest Keep calls of each key; a key's log is read newest first, with the
// visibility rules of keys (cx GET /api/application/keys/{id}/activity).
package activity

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Keep is how many calls each key's log holds.
const Keep = 1000

// Limits of one batch and of its fields.
const (
	MaxBatch  = 10_000
	MaxPath   = 2048
	MaxMethod = 16
	MaxIP     = 64
)

// Call is one API call made with a key.
type Call struct {
	ID     int64 // set by the store
	KeyID  int64
	Method string
	Path   string
	Status int
	At     time.Time
	IP     string
}

// clean makes c fit the store (cut, not refused: one odd call must not cost
// the batch) and reports whether it can be kept at all.
func (c *Call) clean() bool {
	if c.KeyID <= 0 || c.At.IsZero() {
		return false
	}
	c.Method = cut(strings.ToUpper(strings.TrimSpace(c.Method)), MaxMethod)
	c.Path = cut(c.Path, MaxPath)
	c.IP = cut(strings.TrimSpace(c.IP), MaxIP)
	if c.Status < 0 || c.Status > 999 {
		c.Status = 0
	}
	c.At = c.At.UTC().Truncate(time.Microsecond)
	c.ID = 0
	return c.Method != ""
}

// cut shortens s to at most n bytes of valid UTF-8.
func cut(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
