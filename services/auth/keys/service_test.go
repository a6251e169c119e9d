package keys_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/keyevents"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/memory"
)

type fixture struct {
	svc     keys.Service
	now     time.Time
	revoked []string
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	bus := keyevents.NewLocal()
	_ = bus.Subscribe(context.Background(), func(k string) { f.revoked = append(f.revoked, k) })
	f.svc = keys.NewService(memory.NewKeys(), bus, func() time.Time { return f.now })
	return f
}

func TestCreateValidation(t *testing.T) {
	f := newFixture(t)
	past := f.now.Add(-time.Hour)
	tests := []struct {
		name   string
		in     keys.NewKey
		fields []string
		kind   errs.Kind
	}{
		{"all missing", keys.NewKey{}, []string{"email", "name", "permissions"}, errs.Missing},
		{"bad email", keys.NewKey{Name: "a", Email: "nope", Permissions: []string{"*"}}, []string{"email"}, errs.Invalid},
		{"unknown permission", keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"fly:away"}}, []string{"permissions"}, errs.Invalid},
		{"bad rate", keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"*"}, RateLimit: "5/week"}, []string{"rate_limit"}, errs.Invalid},
		{"expiry in the past", keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"*"}, ExpiresAt: &past}, []string{"expires_at"}, errs.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Create(context.Background(), tt.in)
			e := errs.From(err)
			if e == nil || e.Kind != tt.kind || len(e.Params) != len(tt.fields) {
				t.Fatalf("err = %v", err)
			}
			for _, field := range tt.fields {
				if _, ok := e.Params[field]; !ok {
					t.Errorf("%s not named in %v", field, e.Params)
				}
			}
		})
	}
}

func TestVerifyReasons(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	exp := f.now.Add(time.Hour)
	c, err := f.svc.Create(ctx, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"customers:index"}, RateLimit: "5/s", ExpiresAt: &exp})
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.Verify(ctx, c.Key.APIKey, c.Secret)
	got := v.Key
	if err != nil || got.ID != c.Key.ID || got.RateLimit.Count != 5 || got.LastUsedAt == nil || v.Previous ||
		v.ValidUntil == nil || !v.ValidUntil.Equal(exp) {
		t.Fatalf("verify: %+v %v", v, err)
	}
	reason := func(apiKey, secret string) string {
		_, err := f.svc.Verify(ctx, apiKey, secret)
		e := errs.From(err)
		if e == nil || e.Kind != errs.Unauthorized {
			t.Fatalf("not unauthorized: %v", err)
		}
		return e.Reason
	}
	if r := reason("hp_unknown", c.Secret); r != keys.ReasonUnknownKey {
		t.Errorf("unknown: %s", r)
	}
	if r := reason(c.Key.APIKey, "wrong-secret-0000000"); r != keys.ReasonBadSecret {
		t.Errorf("bad secret: %s", r)
	}
	if r := reason("bad.key", c.Secret); r != keys.ReasonUnknownKey {
		t.Errorf("malformed key: %s", r)
	}
	f.now = exp
	if r := reason(c.Key.APIKey, c.Secret); r != keys.ReasonExpired {
		t.Errorf("expired: %s", r)
	}
	f.now = exp.Add(-time.Minute)
	if _, err := f.svc.Revoke(ctx, c.Key.ID); err != nil {
		t.Fatal(err)
	}
	if r := reason(c.Key.APIKey, c.Secret); r != keys.ReasonRevoked {
		t.Errorf("revoked: %s", r)
	}
	if len(f.revoked) != 1 || f.revoked[0] != c.Key.APIKey {
		t.Errorf("revocation not announced: %v", f.revoked)
	}
}

func TestNoEscalation(t *testing.T) {
	f := newFixture(t)
	caller := principal.With(context.Background(), &principal.Principal{KeyID: 9, Permissions: []string{"keys:create", "customers:index"}})
	if _, err := f.svc.Create(caller, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"customers:index"}}); err != nil {
		t.Fatalf("a permission the caller holds: %v", err)
	}
	for _, perms := range [][]string{{"*"}, {"customers:*"}, {"customers:delete"}, {"keys:delete"}} {
		_, err := f.svc.Create(caller, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: perms})
		if !errors.Is(err, errs.Forbidden) {
			t.Errorf("%v: err = %v, want forbidden", perms, err)
		}
	}
	restricted := principal.With(context.Background(), &principal.Principal{KeyID: 9, CustomerID: 4, Permissions: []string{"*"}})
	if _, err := f.svc.Create(restricted, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"*"}}); !errors.Is(err, errs.Forbidden) {
		t.Errorf("restricted caller made an unrestricted key: %v", err)
	}
	if _, err := f.svc.Create(restricted, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"*"}, CustomerID: 4}); err != nil {
		t.Errorf("restricted caller, same customer: %v", err)
	}
}

func TestRestrictedCallerSeesOnlyItsCustomer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, _ := f.svc.Create(ctx, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"*"}, CustomerID: 4})
	b, _ := f.svc.Create(ctx, keys.NewKey{Name: "b", Email: "b@example.com", Permissions: []string{"*"}, CustomerID: 5})
	caller := principal.With(ctx, &principal.Principal{KeyID: a.Key.ID, CustomerID: 4, Permissions: []string{"*"}})
	list, total, err := f.svc.List(caller, keys.ListFilter{})
	if err != nil || total != 1 || list[0].ID != a.Key.ID {
		t.Fatalf("list: %v %d %v", list, total, err)
	}
	if _, err := f.svc.Get(caller, b.Key.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("other customer's key: %v", err)
	}
	if _, err := f.svc.Revoke(caller, b.Key.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("revoke other customer's key: %v", err)
	}
}

func TestSeedIsIdempotent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := keys.NewKey{Name: "root", Email: "root@example.com", Permissions: []string{"*"}}
	k1, err := f.svc.Seed(ctx, in, "root-key", "root-secret-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	k2, err := f.svc.Seed(ctx, in, "root-key", "new-secret-0123456789")
	if err != nil || k2.ID != k1.ID {
		t.Fatalf("second seed: %+v %v", k2, err)
	}
	if _, err := f.svc.Verify(ctx, "root-key", "root-secret-0123456789"); err == nil {
		t.Fatal("old secret still valid after reseed")
	}
	if _, err := f.svc.Verify(ctx, "root-key", "new-secret-0123456789"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Seed(ctx, in, "bad.key", "root-secret-0123456789"); !errors.Is(err, errs.Invalid) {
		t.Fatalf("invalid api_key accepted: %v", err)
	}
	if got, err := f.svc.Verify(ctx, "root-key", "new-secret-0123456789"); err != nil || got.Key.ID != k1.ID {
		t.Fatalf("verify after reseed: %+v %v", got, err)
	}
}

func TestParseRateLimit(t *testing.T) {
	tests := map[string]string{"5/s": "5/s", "100/m": "100/m", "7/hour": "7/h", " 3 / second ": "3/s", "": ""}
	for in, want := range tests {
		got, err := keys.ParseRateLimit(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseRateLimit(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"5", "x/s", "0/s", "-1/s", "5/week"} {
		if _, err := keys.ParseRateLimit(in); err == nil {
			t.Errorf("ParseRateLimit(%q) accepted", in)
		}
	}
}
