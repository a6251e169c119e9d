// Package authcache remembers credential verifications so that a busy key
// costs the auth service one call per 30 seconds per gateway: answers are
// cached (accepted for 30 s, refused for 5 s), concurrent misses for the same
// credential share one call, and a revoked key is dropped at once when the
// revocation bus announces it.
package authcache

import (
	"context"
	"crypto/sha256"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"golang.org/x/sync/singleflight"
)

// Identity is what the cache keeps of a verified key; the gateway attaches
// its own precomputed data (the encoded principal) through Extra.
type Identity struct {
	KeyID       int64
	AccountID   int64
	Name        string
	APIKey      string
	Permissions []string
	CustomerID  int64
	RateLimit   int
	RatePeriod  time.Duration
	ExpiresAt   *time.Time
	AllowedIPs  []string // CIDRs the key may be used from; empty: any
	Extra       any
}

// Verifier checks a credential with the auth service.
type Verifier func(ctx context.Context, apiKey, secret string) (*Identity, error)

// Options tune the cache.
type Options struct {
	Positive   time.Duration // default 30 s
	Negative   time.Duration // default 5 s
	MaxEntries int           // default 100,000
	Now        func() time.Time
	// Prepare, when set, runs once per verified identity before it is
	// cached (the gateway precomputes the principal there).
	Prepare func(*Identity)
}

// Cache is a verification cache.
type Cache struct {
	verify Verifier
	o      Options
	group  singleflight.Group

	mu      sync.RWMutex
	entries map[[32]byte]*entry
	byKey   map[string]map[[32]byte]struct{}
	// revocations counts revocations per api_key, so that a verification
	// that was in flight when its key was revoked does not cache the old
	// answer.
	revocations map[string]uint64

	hits, misses atomic.Uint64
}

type entry struct {
	id      *Identity
	err     error
	expires time.Time
	// refreshAt: after it, a hit is still served from the cache while one
	// verification refreshes the entry in the background, so that a busy
	// key's requests never all wait for the auth service at expiry.
	refreshAt  time.Time
	refreshing atomic.Bool
}

// New returns a cache in front of verify.
func New(verify Verifier, o Options) *Cache {
	if o.Positive <= 0 {
		o.Positive = 30 * time.Second
	}
	if o.Negative <= 0 {
		o.Negative = 5 * time.Second
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = 100_000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Cache{verify: verify, o: o, entries: map[[32]byte]*entry{}, byKey: map[string]map[[32]byte]struct{}{}, revocations: map[string]uint64{}}
}

// fingerprint identifies a credential pair without keeping the secret.
func fingerprint(apiKey, secret string) [32]byte {
	var buf [256]byte // on the stack for any sane credential
	b := append(buf[:0], apiKey...)
	b = append(b, 0)
	b = append(b, secret...)
	return sha256.Sum256(b)
}

// Verify returns the identity of a credential, from cache when fresh. It
// reports whether the answer came from the cache.
func (c *Cache) Verify(ctx context.Context, apiKey, secret string) (*Identity, bool, error) {
	fp := fingerprint(apiKey, secret)
	now := c.o.Now()
	c.mu.RLock()
	e, ok := c.entries[fp]
	c.mu.RUnlock()
	if ok && now.Before(e.expires) {
		c.hits.Add(1)
		if e.err == nil && !now.Before(e.refreshAt) && e.refreshing.CompareAndSwap(false, true) {
			go c.refresh(fp, apiKey, secret)
		}
		return e.id, true, e.err
	}
	v, err, _ := c.group.Do(string(fp[:]), func() (any, error) {
		return c.ask(ctx, fp, apiKey, secret)
	})
	if err != nil {
		return nil, false, err
	}
	return v.(*Identity), false, nil
}

// refresh verifies a credential again ahead of its entry's expiry.
func (c *Cache) refresh(fp [32]byte, apiKey, secret string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, _ = c.group.Do(string(fp[:]), func() (any, error) {
		return c.ask(ctx, fp, apiKey, secret)
	})
}

// ask calls the auth service once (singleflight leader) and caches the
// answer: accepted, or refused (Unauthorized). Outages are not cached.
func (c *Cache) ask(ctx context.Context, fp [32]byte, apiKey, secret string) (*Identity, error) {
	c.misses.Add(1)
	c.mu.RLock()
	gen := c.revocations[apiKey]
	c.mu.RUnlock()
	id, err := c.verify(ctx, apiKey, secret)
	now := c.o.Now()
	if err != nil {
		if errs.KindOf(err) == errs.Unauthorized {
			c.store(fp, apiKey, gen, &entry{err: err, expires: now.Add(c.o.Negative)})
		}
		return nil, err
	}
	if c.o.Prepare != nil {
		c.o.Prepare(id)
	}
	exp := now.Add(c.o.Positive)
	if id.ExpiresAt != nil && id.ExpiresAt.Before(exp) {
		exp = *id.ExpiresAt
	}
	c.store(fp, apiKey, gen, &entry{id: id, expires: exp, refreshAt: exp.Add(-c.o.Positive / 6)})
	return id, nil
}

func (c *Cache) store(fp [32]byte, apiKey string, gen uint64, e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.revocations[apiKey] != gen {
		return // revoked while we asked: the answer may be stale
	}
	if len(c.entries) >= c.o.MaxEntries {
		c.evictLocked()
	}
	c.entries[fp] = e
	set := c.byKey[apiKey]
	if set == nil {
		set = map[[32]byte]struct{}{}
		c.byKey[apiKey] = set
	}
	set[fp] = struct{}{}
}

// evictLocked drops expired entries, then (still full) arbitrary ones.
func (c *Cache) evictLocked() {
	now := c.o.Now()
	for fp, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, fp)
		}
	}
	for fp := range c.entries {
		if len(c.entries) < c.o.MaxEntries*9/10 {
			break
		}
		delete(c.entries, fp)
	}
	for k, set := range c.byKey {
		for fp := range set {
			if _, ok := c.entries[fp]; !ok {
				delete(set, fp)
			}
		}
		if len(set) == 0 {
			delete(c.byKey, k)
		}
	}
}

// Revoke drops every cached answer for apiKey.
func (c *Cache) Revoke(apiKey string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for fp := range c.byKey[apiKey] {
		delete(c.entries, fp)
	}
	delete(c.byKey, apiKey)
	c.revocations[apiKey]++
}

// Flush drops everything (after a missed revocation broadcast).
func (c *Cache) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[[32]byte]*entry{}
	c.byKey = map[string]map[[32]byte]struct{}{}
}

// Stats returns the hits so far, and the misses: calls made to the auth
// service (requests that waited on another's call count as neither).
func (c *Cache) Stats() (hits, misses uint64) { return c.hits.Load(), c.misses.Load() }

// Len is the number of cached answers.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
