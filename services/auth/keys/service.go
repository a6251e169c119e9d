package keys

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/keyevents"
	"github.com/hostplane/hostplane/libs/principal"
)

// Service manages API keys.
type Service interface {
	// Create makes a key and returns it with its secret, shown only once.
	Create(ctx context.Context, in NewKey) (Created, error)
	// Seed makes or resets a key with a given api_key and secret (the root
	// key of `hostplane dev`); it is idempotent.
	Seed(ctx context.Context, in NewKey, apiKey, secret string) (Key, error)
	List(ctx context.Context, f ListFilter) ([]Key, int, error)
	Get(ctx context.Context, id int64) (Key, error)
	// Revoke disables a key at once and tells every gateway.
	Revoke(ctx context.Context, id int64) (Key, error)
	// Verify checks a credential pair. A refusal is an errs.Unauthorized
	// whose Reason says why (unknown_key, bad_secret, revoked, expired).
	Verify(ctx context.Context, apiKey, secret string) (Key, error)
}

// NewKey is what a caller asks for.
type NewKey struct {
	Name        string
	Email       string
	Permissions []string
	CustomerID  int64
	RateLimit   string // "N/s", "N/m", "N/h" or ""
	ExpiresAt   *time.Time
	AccountID   int64
}

// Created is a new key with its one-time secret.
type Created struct {
	Key    Key
	Secret string
}

// Token is the Bearer/token credential of the new key.
func (c Created) Token() string { return Token(c.Key.APIKey, c.Secret) }

// Refusal reasons carried in errs.Error.Reason by Verify.
const (
	ReasonUnknownKey = "unknown_key"
	ReasonBadSecret  = "bad_secret"
	ReasonRevoked    = "revoked"
	ReasonExpired    = "expired"
)

type service struct {
	store Store
	bus   keyevents.Bus
	now   func() time.Time
}

// NewService returns the key service over store, announcing revocations on bus.
func NewService(store Store, bus keyevents.Bus, now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	return &service{store: store, bus: bus, now: now}
}

func (s *service) validate(ctx context.Context, in *NewKey) (RateLimit, error) {
	var c errs.Collector
	in.Name = strings.TrimSpace(in.Name)
	in.Email = strings.TrimSpace(in.Email)
	if in.Name == "" {
		c.Missing("name")
	} else if len(in.Name) > 191 {
		c.Invalid("name", "Must be at most 191 characters.")
	}
	if in.Email == "" {
		c.Missing("email")
	} else if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		c.Invalid("email", "Invalid email format.")
	}
	if len(in.Permissions) == 0 {
		c.Missing("permissions")
	} else if err := principal.Validate(in.Permissions); err != nil {
		c.Invalid("permissions", err.Error()+".")
	}
	if in.CustomerID < 0 {
		c.Invalid("customer_id", "Must be a positive integer.")
	}
	rl, err := ParseRateLimit(in.RateLimit)
	if err != nil {
		c.Invalid("rate_limit", err.Error()+".")
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(s.now()) {
		c.Invalid("expires_at", "Must be in the future.")
	}
	if err := c.Err(); err != nil {
		return rl, err
	}
	// A caller can only hand out what it holds, for the customers it sees.
	if p := principal.From(ctx); p != nil && !p.System {
		if missing, ok := principal.Subset(p.Permissions, in.Permissions); !ok {
			return rl, errs.New(errs.Forbidden, "You cannot grant the permission %q: your key does not hold it.", missing)
		}
		if p.CustomerID != 0 && in.CustomerID != p.CustomerID {
			return rl, errs.New(errs.Forbidden, "Your key is restricted to customer %d: new keys must be too.", p.CustomerID)
		}
		if in.AccountID == 0 {
			in.AccountID = p.AccountID
		}
	}
	if in.AccountID == 0 {
		in.AccountID = 1
	}
	return rl, nil
}

func (s *service) Create(ctx context.Context, in NewKey) (Created, error) {
	rl, err := s.validate(ctx, &in)
	if err != nil {
		return Created{}, err
	}
	secret := NewSecret()
	k := Key{
		AccountID: in.AccountID, Name: in.Name, Email: in.Email, APIKey: NewAPIKey(),
		SecretHash: HashSecret(secret), Permissions: in.Permissions, CustomerID: in.CustomerID,
		RateLimit: rl, ExpiresAt: in.ExpiresAt,
	}
	if err := s.store.Create(ctx, &k); err != nil {
		return Created{}, err
	}
	return Created{Key: k, Secret: secret}, nil
}

func (s *service) Seed(ctx context.Context, in NewKey, apiKey, secret string) (Key, error) {
	if !ValidAPIKey(apiKey) {
		return Key{}, errs.InvalidField("api_key", "Must be 4 to 128 printable characters without '.', ':' or spaces.")
	}
	if !ValidSecret(secret) {
		return Key{}, errs.InvalidField("api_secret", "Must be 16 to 128 printable characters without '.', ':' or spaces.")
	}
	rl, err := s.validate(ctx, &in)
	if err != nil {
		return Key{}, err
	}
	k := Key{
		AccountID: in.AccountID, Name: in.Name, Email: in.Email, APIKey: apiKey,
		SecretHash: HashSecret(secret), Permissions: in.Permissions, CustomerID: in.CustomerID,
		RateLimit: rl, ExpiresAt: in.ExpiresAt,
	}
	if err := s.store.Upsert(ctx, &k); err != nil {
		return Key{}, err
	}
	// The secret may have changed: drop cached verifications everywhere.
	s.announce(ctx, apiKey)
	return k, nil
}

func (s *service) List(ctx context.Context, f ListFilter) ([]Key, int, error) {
	if c := principal.CustomerScope(ctx); c != 0 {
		f.CustomerID = c
	}
	return s.store.List(ctx, f)
}

func (s *service) Get(ctx context.Context, id int64) (Key, error) {
	k, err := s.store.Get(ctx, id)
	if err != nil {
		return Key{}, err
	}
	if c := principal.CustomerScope(ctx); c != 0 && k.CustomerID != c {
		return Key{}, errs.NotFoundResource("key", "")
	}
	return k, nil
}

func (s *service) Revoke(ctx context.Context, id int64) (Key, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return Key{}, err
	}
	k, err := s.store.Revoke(ctx, id, s.now())
	if err != nil {
		return Key{}, err
	}
	s.announce(ctx, k.APIKey)
	return k, nil
}

func (s *service) announce(ctx context.Context, apiKey string) {
	if s.bus != nil {
		// Best effort: gateways also expire cached entries after 30 s.
		_ = s.bus.Publish(ctx, apiKey)
	}
}

func (s *service) Verify(ctx context.Context, apiKey, secret string) (Key, error) {
	refuse := func(reason string) (Key, error) {
		return Key{}, &errs.Error{Kind: errs.Unauthorized, Reason: reason, Message: "Unauthenticated."}
	}
	if !ValidAPIKey(apiKey) {
		return refuse(ReasonUnknownKey)
	}
	k, err := s.store.GetByAPIKey(ctx, apiKey)
	if errs.KindOf(err) == errs.NotFound {
		// Spend the same time as a real comparison.
		SecretMatches(make([]byte, 32), secret)
		return refuse(ReasonUnknownKey)
	}
	if err != nil {
		return Key{}, err
	}
	if !SecretMatches(k.SecretHash, secret) {
		return refuse(ReasonBadSecret)
	}
	now := s.now()
	if k.RevokedAt != nil {
		return refuse(ReasonRevoked)
	}
	if k.ExpiresAt != nil && !now.Before(*k.ExpiresAt) {
		return refuse(ReasonExpired)
	}
	if err := s.store.Touch(ctx, k.ID, now); err == nil {
		k.LastUsedAt = &now
	}
	return k, nil
}
