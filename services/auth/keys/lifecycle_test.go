package keys_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/keyevents"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/memory"
)

func reasonOf(t *testing.T, err error) string {
	t.Helper()
	e := errs.From(err)
	if e == nil || e.Kind != errs.Unauthorized {
		t.Fatalf("not unauthorized: %v", err)
	}
	return e.Reason
}

func TestRotateWithGrace(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	exp := f.now.Add(10 * time.Hour)
	c, err := f.svc.Create(ctx, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"customers:index"}, ExpiresAt: &exp})
	if err != nil {
		t.Fatal(err)
	}
	grace := 2 * time.Hour
	r, err := f.svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{Grace: &grace})
	if err != nil {
		t.Fatal(err)
	}
	if r.Secret == c.Secret || r.Key.APIKey != c.Key.APIKey || r.Key.RotatedAt == nil ||
		r.Key.PrevSecretUntil == nil || !r.Key.PrevSecretUntil.Equal(f.now.Add(grace)) {
		t.Fatalf("rotated: %+v", r.Key)
	}
	if !slices.Contains(f.revoked, c.Key.APIKey) {
		t.Error("rotation not announced to the gateways")
	}
	// Both secrets work during the grace; the old one's answer ends with it.
	v, err := f.svc.Verify(ctx, c.Key.APIKey, c.Secret)
	if err != nil || !v.Previous || v.ValidUntil == nil || !v.ValidUntil.Equal(f.now.Add(grace)) {
		t.Fatalf("old secret in grace: %+v %v", v, err)
	}
	v, err = f.svc.Verify(ctx, c.Key.APIKey, r.Secret)
	if err != nil || v.Previous || !v.ValidUntil.Equal(exp) {
		t.Fatalf("new secret: %+v %v", v, err)
	}
	// After the grace only the new one does.
	f.now = f.now.Add(grace)
	if _, err := f.svc.Verify(ctx, c.Key.APIKey, c.Secret); reasonOf(t, err) != keys.ReasonRotated {
		t.Fatalf("old secret after grace: %v", err)
	}
	if _, err := f.svc.Verify(ctx, c.Key.APIKey, r.Secret); err != nil {
		t.Fatal(err)
	}
}

func TestRotateGraceBoundsAndDefaults(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	setting := 3 * time.Hour
	svc := keys.NewService(memory.NewKeys(), nil, func() time.Time { return now },
		keys.WithDefaultGrace(func(context.Context) (time.Duration, error) { return setting, nil }))
	c, err := svc.Create(ctx, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{})
	if err != nil || !r.Key.PrevSecretUntil.Equal(now.Add(setting)) {
		t.Fatalf("default grace: %+v %v", r.Key.PrevSecretUntil, err)
	}
	// A second rotation ends the first one's grace.
	zero := time.Duration(0)
	r2, err := svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{Grace: &zero})
	if err != nil || r2.Key.PrevSecretUntil != nil || r2.Key.PrevSecretHash != nil {
		t.Fatalf("no grace: %+v %v", r2.Key, err)
	}
	for _, secret := range []string{c.Secret, r.Secret} {
		if _, err := svc.Verify(ctx, c.Key.APIKey, secret); err == nil {
			t.Errorf("an earlier secret still works after a rotation without grace")
		}
	}
	for _, g := range []time.Duration{-time.Second, keys.MaxGrace + time.Second} {
		if _, err := svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{Grace: &g}); !errors.Is(err, errs.Invalid) || errs.From(err).Params["grace"] == "" {
			t.Errorf("grace %s: %v", g, err)
		}
	}
	if _, err := svc.Rotate(ctx, 999, keys.RotateOptions{}); !errors.Is(err, errs.NotFound) {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := svc.Revoke(ctx, c.Key.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{}); !errors.Is(err, errs.Conflict) {
		t.Errorf("revoked key rotated: %v", err)
	}
}

func TestUpdate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, err := f.svc.Create(ctx, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"customers:index"},
		AllowedIPs: []string{"203.0.113.9"}, RateLimit: "5/s"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Key.AllowedIPs, []string{"203.0.113.9/32"}) {
		t.Fatalf("allowed ips not canonical: %v", c.Key.AllowedIPs)
	}
	name, perms, ips, rl := " renamed ", []string{"customers:*"}, []string{"10.1.2.3/8", "2001:db8::1"}, "10/m"
	exp := f.now.Add(time.Hour)
	got, err := f.svc.Update(ctx, c.Key.ID, keys.Patch{Name: &name, Permissions: &perms, AllowedIPs: &ips, RateLimit: &rl, ExpiresAt: &exp})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "renamed" || !slices.Equal(got.Permissions, perms) || !slices.Equal(got.AllowedIPs, []string{"10.0.0.0/8", "2001:db8::1/128"}) ||
		got.RateLimit.String() != "10/m" || !got.ExpiresAt.Equal(exp) || got.Email != "a@example.com" {
		t.Fatalf("updated: %+v", got)
	}
	if len(f.revoked) != 1 {
		t.Errorf("update not announced: %v", f.revoked)
	}
	// Lifting restrictions.
	none, empty := []string{}, ""
	got, err = f.svc.Update(ctx, c.Key.ID, keys.Patch{AllowedIPs: &none, RateLimit: &empty, NoExpiry: true})
	if err != nil || len(got.AllowedIPs) != 0 || !got.RateLimit.IsZero() || got.ExpiresAt != nil {
		t.Fatalf("lifted: %+v %v", got, err)
	}
	v, err := f.svc.Verify(ctx, c.Key.APIKey, c.Secret)
	if err != nil || v.Key.Name != "renamed" {
		t.Fatalf("secret kept: %v", err)
	}

	past := f.now.Add(-time.Minute)
	blank := "  "
	bad := []struct {
		name  string
		patch keys.Patch
		field string
	}{
		{"malformed cidr", keys.Patch{AllowedIPs: &[]string{"10.0.0.0/33"}}, "allowed_ips"},
		{"not an address", keys.Patch{AllowedIPs: &[]string{"203.0.113.9", "example.com"}}, "allowed_ips"},
		{"unknown permission", keys.Patch{Permissions: &[]string{"customers:fly"}}, "permissions"},
		{"no permission", keys.Patch{Permissions: &[]string{}}, "permissions"},
		{"expiry in the past", keys.Patch{ExpiresAt: &past}, "expires_at"},
		{"blank name", keys.Patch{Name: &blank}, "name"},
		{"bad rate", keys.Patch{RateLimit: &[]string{"5/week"}[0]}, "rate_limit"},
	}
	before, _ := f.svc.Get(ctx, c.Key.ID)
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Update(ctx, c.Key.ID, tt.patch)
			if e := errs.From(err); e == nil || (e.Kind != errs.Invalid && e.Kind != errs.Missing) || e.Params[tt.field] == "" {
				t.Fatalf("err = %v, want one naming %s", err, tt.field)
			}
		})
	}
	after, _ := f.svc.Get(ctx, c.Key.ID)
	if after.Name != before.Name || !slices.Equal(after.Permissions, before.Permissions) {
		t.Fatalf("a refused update changed the key: %+v", after)
	}
	if _, err := f.svc.Update(ctx, 999, keys.Patch{Name: &name}); !errors.Is(err, errs.NotFound) {
		t.Fatalf("unknown key: %v", err)
	}
}

func TestNoEscalationThroughUpdateOrRotation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	root, _ := f.svc.Create(ctx, keys.NewKey{Name: "root", Email: "r@example.com", Permissions: []string{"*"}})
	small, _ := f.svc.Create(ctx, keys.NewKey{Name: "small", Email: "s@example.com", Permissions: []string{"customers:index"}})
	caller := principal.With(ctx, &principal.Principal{KeyID: 9, AccountID: 1, Permissions: []string{"keys:*", "customers:index"}})

	if _, err := f.svc.Update(caller, small.Key.ID, keys.Patch{Permissions: &[]string{"customers:*"}}); !errors.Is(err, errs.Forbidden) {
		t.Errorf("granted a permission the caller lacks: %v", err)
	}
	if _, err := f.svc.Update(caller, small.Key.ID, keys.Patch{Permissions: &[]string{"customers:index", "keys:index"}}); err != nil {
		t.Errorf("granting held permissions: %v", err)
	}
	name := "mine now"
	if _, err := f.svc.Update(caller, root.Key.ID, keys.Patch{Name: &name}); !errors.Is(err, errs.Forbidden) {
		t.Errorf("changed a more powerful key: %v", err)
	}
	if _, err := f.svc.Rotate(caller, root.Key.ID, keys.RotateOptions{}); !errors.Is(err, errs.Forbidden) {
		t.Errorf("rotated a more powerful key (would learn its secret): %v", err)
	}
	if _, err := f.svc.Revoke(caller, root.Key.ID); !errors.Is(err, errs.Forbidden) {
		t.Errorf("revoked a more powerful key: %v", err)
	}
	if _, err := f.svc.Verify(ctx, root.Key.APIKey, root.Secret); err != nil {
		t.Errorf("root key changed by refused calls: %v", err)
	}
	if _, err := f.svc.Rotate(caller, small.Key.ID, keys.RotateOptions{}); err != nil {
		t.Errorf("rotating a key within reach: %v", err)
	}
}

func TestAccountScope(t *testing.T) {
	bus := keyevents.NewLocal()
	svc := keys.NewService(memory.NewKeys(), bus, nil)
	ctx := context.Background()
	op, _ := svc.Create(ctx, keys.NewKey{Name: "op", Email: "o@example.com", Permissions: []string{"*"}})
	reseller := principal.With(ctx, &principal.Principal{KeyID: 5, AccountID: 2, Permissions: []string{"*"}})
	mine, err := svc.Create(reseller, keys.NewKey{Name: "r", Email: "r@example.com", Permissions: []string{"*"}})
	if err != nil || mine.Key.AccountID != 2 {
		t.Fatalf("reseller's key: %+v %v", mine.Key, err)
	}
	list, total, err := svc.List(reseller, keys.ListFilter{IncludeRevoked: true})
	if err != nil || total != 1 || list[0].ID != mine.Key.ID {
		t.Fatalf("reseller sees %v (%d) %v", list, total, err)
	}
	if _, err := svc.Get(reseller, op.Key.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("reseller sees the operator's key: %v", err)
	}
	operator := principal.With(ctx, &principal.Principal{KeyID: op.Key.ID, AccountID: 1, Permissions: []string{"*"}})
	if _, total, _ := svc.List(operator, keys.ListFilter{}); total != 2 {
		t.Fatalf("operator sees %d keys", total)
	}
}

func TestParseAllowedIPs(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
		bad  bool
	}{
		{[]string{"203.0.113.9"}, []string{"203.0.113.9/32"}, false},
		{[]string{" 203.0.113.0/24 ", "", "203.0.113.0/24"}, []string{"203.0.113.0/24"}, false},
		{[]string{"10.9.8.7/8"}, []string{"10.0.0.0/8"}, false},
		{[]string{"2001:db8::1"}, []string{"2001:db8::1/128"}, false},
		{[]string{"2001:DB8::/32"}, []string{"2001:db8::/32"}, false},
		{[]string{"::ffff:192.0.2.1"}, []string{"192.0.2.1/32"}, false},
		{[]string{"::ffff:192.0.2.0/120"}, []string{"192.0.2.0/24"}, false},
		{[]string{"0.0.0.0/0"}, []string{"0.0.0.0/0"}, false},
		{nil, []string{}, false},
		{[]string{"10.0.0.0/33"}, nil, true},
		{[]string{"256.1.1.1"}, nil, true},
		{[]string{"fe80::1%eth0"}, nil, true},
		{[]string{"example.com"}, nil, true},
		{[]string{"10.0.0.1-10.0.0.9"}, nil, true},
	}
	for _, tt := range tests {
		got, err := keys.ParseAllowedIPs(tt.in)
		if (err != nil) != tt.bad || (!tt.bad && !slices.Equal(got, tt.want)) {
			t.Errorf("ParseAllowedIPs(%q) = %q, %v", tt.in, got, err)
		}
	}
	many := make([]string, keys.MaxAllowedIPs+1)
	for i := range many {
		many[i] = "10.0." + itoa(i/256) + "." + itoa(i%256)
	}
	if _, err := keys.ParseAllowedIPs(many); err == nil {
		t.Error("more than MaxAllowedIPs accepted")
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func FuzzParseAllowedIPs(f *testing.F) {
	for _, s := range []string{"203.0.113.9", "10.0.0.0/8", "2001:db8::/32", "::ffff:1.2.3.4/128", "x", "1.2.3.4/-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := keys.ParseAllowedIPs([]string{s})
		if err != nil {
			return
		}
		again, err := keys.ParseAllowedIPs(got)
		if err != nil || !slices.Equal(again, got) {
			t.Fatalf("%q: canonical form %q does not parse to itself (%q, %v)", s, got, again, err)
		}
	})
}

func TestRotateRetriedWithIdempotencyKey(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	var announced []string
	bus := keyevents.NewLocal()
	_ = bus.Subscribe(ctx, func(k string) { announced = append(announced, k) })
	svc := keys.NewService(memory.NewKeys(), bus, func() time.Time { return now }, keys.WithRotationSecret("rotation-secret-0123456789"))
	c, err := svc.Create(ctx, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	hour := time.Hour
	first, err := svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{Grace: &hour, IdempotencyKey: "rot-1"})
	if err != nil {
		t.Fatal(err)
	}
	// The answer was lost; the client retries: same secret, no second
	// rotation, the original secret still in its grace.
	now = now.Add(time.Minute)
	again, err := svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{Grace: &hour, IdempotencyKey: "rot-1"})
	if err != nil || again.Secret != first.Secret || !again.Key.RotatedAt.Equal(*first.Key.RotatedAt) {
		t.Fatalf("retry: %+v %v", again, err)
	}
	if len(announced) != 1 {
		t.Errorf("a retry was announced as a rotation: %v", announced)
	}
	for _, secret := range []string{c.Secret, first.Secret} {
		if _, err := svc.Verify(ctx, c.Key.APIKey, secret); err != nil {
			t.Fatalf("after the retry: %v", err)
		}
	}
	// Another Idempotency-Key is another rotation.
	second, err := svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{IdempotencyKey: "rot-2"})
	if err != nil || second.Secret == first.Secret {
		t.Fatalf("second rotation: %+v %v", second, err)
	}
	// A retry of the first one now, or one after RetryWindow, rotates again.
	third, err := svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{IdempotencyKey: "rot-1"})
	if err != nil || third.Secret == first.Secret || third.Secret == second.Secret {
		t.Fatalf("old key reused: %+v %v", third, err)
	}
	now = now.Add(keys.RetryWindow)
	fourth, err := svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{IdempotencyKey: "rot-1"})
	if err != nil || fourth.Secret == third.Secret {
		t.Fatalf("after the retry window: %+v %v", fourth, err)
	}
	long := strings.Repeat("k", keys.MaxIdempotencyKey+1)
	if _, err := svc.Rotate(ctx, c.Key.ID, keys.RotateOptions{IdempotencyKey: long}); !errors.Is(err, errs.Invalid) {
		t.Fatalf("long Idempotency-Key: %v", err)
	}
	// Without a rotation secret the header changes nothing: random secrets.
	plain := keys.NewService(memory.NewKeys(), nil, nil)
	p, _ := plain.Create(ctx, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"*"}})
	r1, _ := plain.Rotate(ctx, p.Key.ID, keys.RotateOptions{IdempotencyKey: "x"})
	r2, _ := plain.Rotate(ctx, p.Key.ID, keys.RotateOptions{IdempotencyKey: "x"})
	if r1.Secret == r2.Secret || r2.Key.RotationKey != nil {
		t.Fatal("rotations without a rotation secret replayed")
	}
}
