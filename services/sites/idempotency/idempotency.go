// Package idempotency records the Idempotency-Key of writes a client may
// retry: the first request with a key makes something (a site, a job), a
// retry with the same key and the same request gets that same thing back,
// and the same key with another request is refused.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
)

// MaxKey bounds an Idempotency-Key.
const MaxKey = 255

// Record is one used key: what the request was (Fingerprint) and what it
// made (Kind, RefID).
type Record struct {
	Scope       string
	Key         string
	Fingerprint string
	Kind        string // "site" or "job"
	RefID       int64
}

// Store finds used keys. Adapters insert records in the transaction of the
// thing they made (site and job stores take a *Record).
type Store interface {
	// Lookup returns the record of (scope, key); found is false when the
	// key was never used.
	Lookup(ctx context.Context, scope, key string) (r Record, found bool, err error)
}

// New prepares the record of a request: scope is the caller (its key id,
// or "internal" for service calls), fingerprint a hash of what it asks.
// A nil record means no key was given.
func New(ctx context.Context, key, kind string, request any) (*Record, error) {
	if key == "" {
		return nil, nil
	}
	if len(key) > MaxKey {
		return nil, errs.InvalidField("Idempotency-Key", "Must be at most 255 characters.")
	}
	b, err := json.Marshal(request)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	return &Record{Scope: scopeOf(ctx), Key: key, Fingerprint: hex.EncodeToString(sum[:]), Kind: kind}, nil
}

func scopeOf(ctx context.Context) string {
	p := principal.From(ctx)
	switch {
	case p == nil || p.System:
		return "internal"
	default:
		return "key:" + strconv.FormatInt(p.KeyID, 10)
	}
}

// Replay checks r against what the store holds: found is true when the key
// was used by the same request (ref is what it made); a key used by another
// request is an Invalid error naming Idempotency-Key.
func Replay(ctx context.Context, s Store, r *Record) (ref int64, found bool, err error) {
	if r == nil {
		return 0, false, nil
	}
	old, ok, err := s.Lookup(ctx, r.Scope, r.Key)
	if err != nil || !ok {
		return 0, false, err
	}
	if old.Fingerprint != r.Fingerprint || old.Kind != r.Kind {
		return 0, false, errs.InvalidField("Idempotency-Key", "This key was already used for another request.")
	}
	return old.RefID, true, nil
}
