// Package idempotency keeps the first answer to a write sent with an
// Idempotency-Key, so that a client retrying it (a timeout, a dropped
// connection) gets that answer again instead of a second customer,
// membership or payment. A key belongs to the API key that used it; it
// is forgotten after TTL.
package idempotency

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Record is what a key holds: the request's fingerprint and, once the
// request is done, its answer.
type Record struct {
	Fingerprint string
	Done        bool
	Status      int
	ContentType string
	Body        []byte
	CreatedAt   time.Time
}

// TTL is how long a key is remembered; Lease is how long a request may
// hold a key it reserved before another may take it over (a crashed
// instance must not block a key for a day).
const (
	TTL   = 24 * time.Hour
	Lease = time.Minute
)

// Store keeps the records.
type Store interface {
	// Reserve claims key in scope for a request with fingerprint, at now.
	// When the key is held (done, or reserved less than Lease ago) it
	// returns the record and false. A record older than TTL counts as
	// absent.
	Reserve(ctx context.Context, scope, key, fingerprint string, now time.Time) (Record, bool, error)
	// Complete stores the answer of the request that reserved key.
	Complete(ctx context.Context, scope, key string, status int, contentType string, body []byte) error
	// Release forgets a reservation whose request did not succeed.
	Release(ctx context.Context, scope, key string) error
	// Sweep deletes the records created before before.
	Sweep(ctx context.Context, before time.Time) (int, error)
}

// Fingerprint identifies a request by its method, path and body with a
// keyed hash: the body's secrets (a password) are not recoverable from it.
func Fingerprint(secret []byte, method, path string, body []byte) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(method))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Taken reports whether rec still holds its key at now.
func Taken(rec Record, now time.Time) bool {
	age := now.Sub(rec.CreatedAt)
	if age >= TTL {
		return false
	}
	return rec.Done || age < Lease
}
