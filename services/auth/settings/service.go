package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth/accounts"
)

// Setting is a known setting with its value. The value of a secret setting
// is never given out: Value is nil and IsSet says whether one is stored.
type Setting struct {
	Definition
	Value     json.RawMessage // canonical JSON; nil for secrets
	IsSet     bool            // a value is stored (else Value is the default)
	UpdatedAt *time.Time
}

// Service reads and changes settings.
type Service interface {
	// List returns every known setting, in registry order.
	List(ctx context.Context) ([]Setting, error)
	// Get returns one setting; an unknown key is errs.NotFound (resource
	// "setting").
	Get(ctx context.Context, key string) (Setting, error)
	// Set stores a value (any JSON the setting's type reads) and returns the
	// setting. A key restricted to one customer may not.
	Set(ctx context.Context, key string, value json.RawMessage) (Setting, error)
	// Bool and Duration read a value for internal use (secrets included).
	Bool(ctx context.Context, key string) (bool, error)
	Duration(ctx context.Context, key string) (time.Duration, error)
	// Text reads a string value for internal use.
	Text(ctx context.Context, key string) (string, error)
}

type service struct {
	store Store
	now   func() time.Time
}

// NewService returns the settings service over store; now (nil: time.Now)
// dates every change.
func NewService(store Store, now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	return &service{store: store, now: now}
}

func notFound() error {
	return errs.NotFoundResource("setting", "Unknown setting: see GET /wp-json/wu/v2/settings for the known ones.")
}

func definition(key string) (Definition, error) {
	d, ok := Lookup(key)
	if !ok {
		return Definition{}, notFound()
	}
	return d, nil
}

// resolve builds the setting d with its stored value, if any.
func resolve(d Definition, st Stored, stored bool) (Setting, error) {
	s := Setting{Definition: d, IsSet: stored}
	if stored {
		t := st.UpdatedAt
		s.UpdatedAt = &t
		s.Value = st.Value
	} else {
		b, err := json.Marshal(d.Default)
		if err != nil {
			return Setting{}, fmt.Errorf("settings: default of %s: %w", d.Key, err)
		}
		s.Value = b
	}
	return s, nil
}

// redact hides a secret's value.
func redact(s Setting) Setting {
	if s.Secret {
		s.Value = nil
		s.Default = nil
	}
	return s
}

func (s *service) List(ctx context.Context) ([]Setting, error) {
	all, err := s.store.All(ctx)
	if err != nil {
		return nil, err
	}
	reg := Registry()
	out := make([]Setting, 0, len(reg))
	for _, d := range reg {
		st, ok := all[d.Key]
		v, err := resolve(d, st, ok)
		if err != nil {
			return nil, err
		}
		out = append(out, redact(v))
	}
	return out, nil
}

// value is the setting with its value, secrets included.
func (s *service) value(ctx context.Context, key string) (Setting, error) {
	d, err := definition(key)
	if err != nil {
		return Setting{}, err
	}
	st, ok, err := s.store.Get(ctx, key)
	if err != nil {
		return Setting{}, err
	}
	return resolve(d, st, ok)
}

func (s *service) Get(ctx context.Context, key string) (Setting, error) {
	v, err := s.value(ctx, key)
	return redact(v), err
}

func (s *service) Set(ctx context.Context, key string, value json.RawMessage) (Setting, error) {
	d, err := definition(key)
	if err != nil {
		return Setting{}, err
	}
	if principal.CustomerScope(ctx) != 0 {
		return Setting{}, errs.New(errs.Forbidden, "Sorry, you are not allowed to do that: your key is restricted to one customer.")
	}
	if p := principal.From(ctx); p != nil && !p.System && p.AccountID != 0 && p.AccountID != accounts.OperatorID {
		return Setting{}, errs.New(errs.Forbidden, "Sorry, you are not allowed to do that: the installation's settings are the operator's.")
	}
	canonical, err := Canonical(d, value)
	if err != nil {
		return Setting{}, err
	}
	st, err := s.store.Put(ctx, key, canonical, s.now().UTC().Truncate(time.Microsecond))
	if err != nil {
		return Setting{}, err
	}
	v, err := resolve(d, st, true)
	return redact(v), err
}

func (s *service) Bool(ctx context.Context, key string) (bool, error) {
	v, err := s.value(ctx, key)
	if err != nil {
		return false, err
	}
	var b bool
	if err := json.Unmarshal(v.Value, &b); err != nil {
		return false, fmt.Errorf("settings: %s is not a boolean: %w", key, err)
	}
	return b, nil
}

func (s *service) Duration(ctx context.Context, key string) (time.Duration, error) {
	v, err := s.value(ctx, key)
	if err != nil {
		return 0, err
	}
	return ParseDuration(v.Value)
}

func (s *service) Text(ctx context.Context, key string) (string, error) {
	v, err := s.value(ctx, key)
	if err != nil {
		return "", err
	}
	var t string
	if err := json.Unmarshal(v.Value, &t); err != nil {
		return "", fmt.Errorf("settings: %s is not text: %w", key, err)
	}
	return t, nil
}
