package keys

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/keyevents"
	"github.com/hostplane/hostplane/libs/principal"
)

// Service manages API keys. What a caller may see and do follows its key:
// a key restricted to a customer sees only that customer's keys, a
// reseller's key only its account's (other keys are not found, never
// forbidden); a key can only grant the permissions it holds, and can only
// change, rotate or revoke keys whose permissions it holds.
type Service interface {
	// Create makes a key and returns it with its secret, shown only once.
	Create(ctx context.Context, in NewKey) (Created, error)
	// Seed makes or resets a key with a given api_key and secret (the root
	// key of `hostplane dev`); it is idempotent.
	Seed(ctx context.Context, in NewKey, apiKey, secret string) (Key, error)
	List(ctx context.Context, f ListFilter) ([]Key, int, error)
	Get(ctx context.Context, id int64) (Key, error)
	// Update changes the fields p sets and tells every gateway.
	Update(ctx context.Context, id int64, p Patch) (Key, error)
	// Rotate gives the key a new secret, returned once (and again to a
	// retry with the same Idempotency-Key). The previous secret stays
	// valid for the grace; a later rotation ends that grace. Every gateway
	// is told.
	Rotate(ctx context.Context, id int64, o RotateOptions) (Created, error)
	// Revoke disables a key at once and tells every gateway.
	Revoke(ctx context.Context, id int64) (Key, error)
	// Verify checks a credential pair. A refusal is an errs.Unauthorized
	// whose Reason says why (unknown_key, bad_secret, rotated, revoked,
	// expired).
	Verify(ctx context.Context, apiKey, secret string) (Verified, error)
}

// OperatorAccountID is the operator's account: its keys see every account's
// keys.
const OperatorAccountID = 1

// Grace limits of a rotation.
const (
	DefaultGrace = 24 * time.Hour
	MaxGrace     = 30 * 24 * time.Hour
)

// NewKey is what a caller asks for.
type NewKey struct {
	Name        string
	Email       string
	Permissions []string
	CustomerID  int64
	AllowedIPs  []string
	RateLimit   string // "N/s", "N/m", "N/h" or ""
	ExpiresAt   *time.Time
	// AccountID is the account the key belongs to (0: the caller's).
	AccountID int64
	// NewReseller opens a new reseller account for the key (Create only).
	NewReseller bool
}

// Created is a key with its one-time secret (new or rotated).
type Created struct {
	Key    Key
	Secret string
}

// Token is the Bearer/token credential of the key.
func (c Created) Token() string { return Token(c.Key.APIKey, c.Secret) }

// RotateOptions tune a rotation.
type RotateOptions struct {
	// Grace is how long the previous secret keeps working: nil is the
	// default grace, 0 none.
	Grace *time.Duration
	// IdempotencyKey, when set, makes a retry of the rotation within
	// RetryWindow answer the same secret instead of rotating again (with
	// WithRotationSecret).
	IdempotencyKey string
}

// Verified is a key whose credential was accepted.
type Verified struct {
	Key Key
	// Previous reports that the secret presented is the previous one of a
	// rotated key, still in its grace period.
	Previous bool
	// ValidUntil is when this answer stops holding without any change to
	// the key: the earliest of the key's expiry and, for a previous
	// secret, the end of its grace. Nil: no such time.
	ValidUntil *time.Time
}

// Refusal reasons carried in errs.Error.Reason by Verify.
const (
	ReasonUnknownKey = "unknown_key"
	ReasonBadSecret  = "bad_secret"
	ReasonRotated    = "rotated" // the previous secret, after its grace
	ReasonRevoked    = "revoked"
	ReasonExpired    = "expired"
)

// Option tunes NewService.
type Option func(*service)

// WithDefaultGrace makes f the source of the grace of rotations that name
// none (the key_rotation_grace setting); without it, DefaultGrace.
func WithDefaultGrace(f func(ctx context.Context) (time.Duration, error)) Option {
	return func(s *service) { s.defaultGrace = f }
}

type service struct {
	store          Store
	bus            keyevents.Bus
	now            func() time.Time
	defaultGrace   func(ctx context.Context) (time.Duration, error)
	rotationSecret []byte   // nil: rotations ignore Idempotency-Key
	accounts       Accounts // nil: every key in its creator's account
}

// NewService returns the key service over store, announcing revocations,
// rotations and changes on bus (may be nil). now (nil: time.Now) dates
// every change.
func NewService(store Store, bus keyevents.Bus, now func() time.Time, opts ...Option) Service {
	if now == nil {
		now = time.Now
	}
	s := &service{store: store, bus: bus, now: now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// clock is the time of a change, as stores keep it.
func (s *service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func notFound() error { return errs.NotFoundResource("key", "") }

// visible reports whether the caller in ctx may see k.
func visible(ctx context.Context, k Key) bool {
	p := principal.From(ctx)
	if p == nil || p.System {
		return true
	}
	if p.CustomerID != 0 && k.CustomerID != p.CustomerID {
		return false
	}
	if p.AccountID != 0 && p.AccountID != OperatorAccountID && k.AccountID != p.AccountID {
		return false
	}
	return true
}

// mayManage refuses a caller whose key lacks a permission k holds: it
// cannot change, rotate or revoke a key more powerful than itself.
func mayManage(ctx context.Context, k Key, what string) error {
	p := principal.From(ctx)
	if p == nil || p.System {
		return nil
	}
	if missing, ok := principal.Subset(p.Permissions, k.Permissions); !ok {
		return errs.New(errs.Forbidden, "You cannot %s this key: it holds the permission %q, which your key does not.", what, missing)
	}
	return nil
}

// mayGrant refuses permissions the caller does not hold itself.
func mayGrant(ctx context.Context, perms []string) error {
	p := principal.From(ctx)
	if p == nil || p.System {
		return nil
	}
	if missing, ok := principal.Subset(p.Permissions, perms); !ok {
		return errs.New(errs.Forbidden, "You cannot grant the permission %q: your key does not hold it.", missing)
	}
	return nil
}

func (s *service) validate(ctx context.Context, in *NewKey) (RateLimit, error) {
	var c errs.Collector
	in.Name = strings.TrimSpace(in.Name)
	in.Email = strings.TrimSpace(in.Email)
	checkName(&c, in.Name)
	checkEmail(&c, in.Email)
	checkPermissions(&c, in.Permissions)
	if in.CustomerID < 0 {
		c.Invalid("customer_id", "Must be a positive integer.")
	}
	ips, err := ParseAllowedIPs(in.AllowedIPs)
	if err != nil {
		c.Invalid("allowed_ips", capitalize(err.Error())+".")
	}
	in.AllowedIPs = ips
	rl, err := ParseRateLimit(in.RateLimit)
	if err != nil {
		c.Invalid("rate_limit", capitalize(err.Error())+".")
	}
	if in.ExpiresAt != nil {
		checkExpiry(&c, *in.ExpiresAt, s.now())
	}
	if err := s.checkAccount(ctx, &c, in); err != nil {
		return rl, err
	}
	if err := c.Err(); err != nil {
		return rl, err
	}
	// A caller can only hand out what it holds, for the customers it sees.
	if p := principal.From(ctx); p != nil && !p.System {
		if err := mayGrant(ctx, in.Permissions); err != nil {
			return rl, err
		}
		if p.CustomerID != 0 && in.CustomerID != p.CustomerID {
			return rl, errs.New(errs.Forbidden, "Your key is restricted to customer %d: new keys must be too.", p.CustomerID)
		}
		if in.AccountID == 0 {
			in.AccountID = p.AccountID
		}
	}
	if in.AccountID == 0 {
		in.AccountID = OperatorAccountID
	}
	return rl, nil
}

func (s *service) Create(ctx context.Context, in NewKey) (Created, error) {
	rl, err := s.validate(ctx, &in)
	if err != nil {
		return Created{}, err
	}
	if in.NewReseller {
		if in.AccountID, err = s.accounts.OpenReseller(ctx); err != nil {
			return Created{}, err
		}
	}
	secret := NewSecret()
	k := Key{
		AccountID: in.AccountID, Name: in.Name, Email: in.Email, APIKey: NewAPIKey(),
		SecretHash: HashSecret(secret), Permissions: in.Permissions, CustomerID: in.CustomerID,
		AllowedIPs: in.AllowedIPs, RateLimit: rl, ExpiresAt: in.ExpiresAt,
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
	in.NewReseller = false
	rl, err := s.validate(ctx, &in)
	if err != nil {
		return Key{}, err
	}
	k := Key{
		AccountID: in.AccountID, Name: in.Name, Email: in.Email, APIKey: apiKey,
		SecretHash: HashSecret(secret), Permissions: in.Permissions, CustomerID: in.CustomerID,
		AllowedIPs: in.AllowedIPs, RateLimit: rl, ExpiresAt: in.ExpiresAt,
	}
	if err := s.store.Upsert(ctx, &k); err != nil {
		return Key{}, err
	}
	// The secret may have changed: drop cached verifications everywhere.
	s.announce(ctx, apiKey)
	return k, nil
}

func (s *service) List(ctx context.Context, f ListFilter) ([]Key, int, error) {
	if p := principal.From(ctx); p != nil && !p.System {
		if p.CustomerID != 0 {
			f.CustomerID = p.CustomerID
		}
		if p.AccountID != 0 && p.AccountID != OperatorAccountID {
			f.AccountID = p.AccountID
		}
	}
	if f.Offset < 0 || f.Limit < 0 {
		return nil, 0, errs.InvalidField("page", "Out of range.")
	}
	return s.store.List(ctx, f)
}

func (s *service) Get(ctx context.Context, id int64) (Key, error) {
	k, err := s.store.Get(ctx, id)
	if err != nil {
		return Key{}, err
	}
	if !visible(ctx, k) {
		return Key{}, notFound()
	}
	return k, nil
}

func (s *service) Update(ctx context.Context, id int64, p Patch) (Key, error) {
	k, err := s.Get(ctx, id)
	if err != nil {
		return Key{}, err
	}
	c, err := p.check(s.now())
	if err != nil {
		return Key{}, err
	}
	if err := mayManage(ctx, k, "change"); err != nil {
		return Key{}, err
	}
	if p.Permissions != nil {
		if err := mayGrant(ctx, *p.Permissions); err != nil {
			return Key{}, err
		}
	}
	if p.Empty() {
		return k, nil
	}
	updated, err := s.store.Update(ctx, id, func(k *Key) error {
		c.apply(k)
		return nil
	})
	if err != nil {
		return Key{}, err
	}
	// Permissions, allow-list, limit or expiry may have changed.
	s.announce(ctx, updated.APIKey)
	return updated, nil
}

func (s *service) Rotate(ctx context.Context, id int64, o RotateOptions) (Created, error) {
	k, err := s.Get(ctx, id)
	if err != nil {
		return Created{}, err
	}
	if len(o.IdempotencyKey) > MaxIdempotencyKey {
		return Created{}, errs.InvalidField("Idempotency-Key", fmt.Sprintf("Must be at most %d characters.", MaxIdempotencyKey))
	}
	var g time.Duration
	if o.Grace != nil {
		g = *o.Grace
	} else if g, err = s.graceDefault(ctx); err != nil {
		return Created{}, err
	}
	if g < 0 || g > MaxGrace {
		return Created{}, errs.InvalidField("grace", fmt.Sprintf("Must be between 0 and %s.", MaxGrace))
	}
	if err := mayManage(ctx, k, "rotate"); err != nil {
		return Created{}, err
	}
	now := s.clock()
	idem := o.IdempotencyKey
	if s.rotationSecret == nil {
		idem = ""
	}
	var secret string
	replayed := false
	updated, err := s.store.Update(ctx, id, func(k *Key) error {
		switch {
		case k.RevokedAt != nil:
			return &errs.Error{Kind: errs.Conflict, Reason: ReasonRevoked, Message: "A revoked key cannot be rotated."}
		case !k.Active(now):
			return &errs.Error{Kind: errs.Conflict, Reason: ReasonExpired, Message: "An expired key cannot be rotated: give it a later expires_at first."}
		}
		if replays(*k, idem, now) {
			secret = derivedSecret(s.rotationSecret, k.ID, idem, *k.RotatedAt)
			if SecretMatches(k.SecretHash, secret) {
				replayed = true // the same answer again; nothing changes
				return nil
			}
		}
		secret, k.RotationKey = NewSecret(), nil
		if idem != "" {
			secret, k.RotationKey = derivedSecret(s.rotationSecret, k.ID, idem, now), rotationKeyHash(idem)
		}
		k.PrevSecretHash, k.PrevSecretUntil = nil, nil
		if g > 0 {
			until := now.Add(g)
			k.PrevSecretHash, k.PrevSecretUntil = k.SecretHash, &until
		}
		k.SecretHash = HashSecret(secret)
		k.RotatedAt = &now
		return nil
	})
	if err != nil {
		return Created{}, err
	}
	if !replayed {
		// Cached answers for the old secret must learn its grace period.
		s.announce(ctx, updated.APIKey)
	}
	return Created{Key: updated, Secret: secret}, nil
}

// graceDefault is the grace of a rotation that names none.
func (s *service) graceDefault(ctx context.Context) (time.Duration, error) {
	if s.defaultGrace == nil {
		return DefaultGrace, nil
	}
	g, err := s.defaultGrace(ctx)
	if err != nil {
		return 0, fmt.Errorf("keys: default grace: %w", err)
	}
	return g, nil
}

func (s *service) Revoke(ctx context.Context, id int64) (Key, error) {
	k, err := s.Get(ctx, id)
	if err != nil {
		return Key{}, err
	}
	if err := mayManage(ctx, k, "revoke"); err != nil {
		return Key{}, err
	}
	k, err = s.store.Revoke(ctx, id, s.clock())
	if err != nil {
		return Key{}, err
	}
	s.announce(ctx, k.APIKey)
	return k, nil
}

func (s *service) announce(ctx context.Context, apiKey string) {
	if s.bus != nil {
		// Best effort: gateways also expire cached entries after 30 s.
		_ = s.bus.Publish(context.WithoutCancel(ctx), apiKey)
	}
}

// noHash stands in for a missing hash so that every verification compares
// two hashes, whatever the key.
var noHash = make([]byte, 32)

func (s *service) Verify(ctx context.Context, apiKey, secret string) (Verified, error) {
	refuse := func(reason string) (Verified, error) {
		return Verified{}, &errs.Error{Kind: errs.Unauthorized, Reason: reason, Message: "Unauthenticated."}
	}
	if !ValidAPIKey(apiKey) {
		return refuse(ReasonUnknownKey)
	}
	k, err := s.store.GetByAPIKey(ctx, apiKey)
	if errs.KindOf(err) == errs.NotFound {
		// Spend the same time as a real comparison.
		SecretMatches(noHash, secret)
		SecretMatches(noHash, secret)
		return refuse(ReasonUnknownKey)
	}
	if err != nil {
		return Verified{}, err
	}
	prevHash := k.PrevSecretHash
	if len(prevHash) == 0 {
		prevHash = noHash
	}
	current := SecretMatches(k.SecretHash, secret)
	previous := SecretMatches(prevHash, secret) && len(k.PrevSecretHash) > 0
	now := s.now()
	switch {
	case current:
	case previous && k.InGrace(now):
	case previous:
		return refuse(ReasonRotated)
	default:
		return refuse(ReasonBadSecret)
	}
	if k.RevokedAt != nil {
		return refuse(ReasonRevoked)
	}
	if k.ExpiresAt != nil && !now.Before(*k.ExpiresAt) {
		return refuse(ReasonExpired)
	}
	if err := s.store.Touch(ctx, k.ID, now); err == nil && (k.LastUsedAt == nil || now.After(*k.LastUsedAt)) {
		k.LastUsedAt = &now
	}
	v := Verified{Key: k, ValidUntil: k.ExpiresAt}
	if !current {
		v.Previous = true
		if until := *k.PrevSecretUntil; v.ValidUntil == nil || until.Before(*v.ValidUntil) {
			v.ValidUntil = &until
		}
	}
	return v, nil
}
