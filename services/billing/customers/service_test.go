package customers_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memory"
)

var now = time.Date(2026, 11, 23, 21, 2, 51, 987654321, time.UTC)

// fakeHasher marks passwords instead of hashing them.
type fakeHasher struct{ err error }

func (f fakeHasher) Hash(p string) (string, error) { return "hashed:" + p, f.err }

func newService(h customers.PasswordHasher) (customers.Service, *memory.Customers) {
	store := memory.NewCustomers(nil)
	return customers.NewService(store, h, func() time.Time { return now }), store
}

func ptr[T any](v T) *T { return &v }

func TestCreateDefaultsAndNormalization(t *testing.T) {
	svc, _ := newService(fakeHasher{})
	c, err := svc.Create(context.Background(), customers.NewCustomer{
		Username: "  John.Doe ", Email: " john@example.com ", Password: "secret1",
	})
	if err != nil {
		t.Fatal(err)
	}
	second := now.Truncate(time.Second)
	if c.Type != "customer" || c.EmailVerification != "none" || c.Status != "active" || c.SignupForm != "by-admin" ||
		c.User.Username != "john.doe" || c.User.Email != "john@example.com" || c.User.DisplayName != "john.doe" ||
		c.User.PasswordHash != "hashed:secret1" || !c.DateCreated.Equal(second) || !c.DateRegistered.Equal(second) ||
		!c.DateModified.Equal(second) || c.LastLogin != nil || c.IPs == nil {
		t.Fatalf("created %+v", c)
	}
}

func TestCreateHashFailureIsInternal(t *testing.T) {
	svc, store := newService(fakeHasher{err: errors.New("no entropy")})
	_, err := svc.Create(context.Background(), customers.NewCustomer{Username: "john", Email: "j@example.com", Password: "secret1"})
	if errs.KindOf(err) != errs.Internal {
		t.Fatalf("err = %v", err)
	}
	if _, n, _ := store.List(context.Background(), customers.ListFilter{}); n != 0 {
		t.Fatal("a customer was stored")
	}
}

func TestRestrictedCallerCannotCreate(t *testing.T) {
	svc, _ := newService(fakeHasher{})
	ctx := principal.With(context.Background(), &principal.Principal{CustomerID: 1, Permissions: []string{"*"}})
	_, err := svc.Create(ctx, customers.NewCustomer{Username: "john", Email: "j@example.com", Password: "secret1"})
	if !errors.Is(err, errs.Forbidden) {
		t.Fatalf("err = %v", err)
	}
}

func TestRestrictionScopesEveryCall(t *testing.T) {
	svc, _ := newService(fakeHasher{})
	ctx := context.Background()
	for _, u := range []string{"anna", "bert"} {
		if _, err := svc.Create(ctx, customers.NewCustomer{Username: u, Email: u + "@example.com", Password: "secret1"}); err != nil {
			t.Fatal(err)
		}
	}
	own := principal.With(ctx, &principal.Principal{CustomerID: 2, Permissions: []string{"*"}})
	cs, n, err := svc.List(own, customers.ListFilter{CustomerID: 1})
	if err != nil || n != 1 || cs[0].ID != 2 {
		t.Fatalf("list overrides the scope: %v %d %v", cs, n, err)
	}
	for name, err := range map[string]error{
		"get":    second(svc.Get(own, 1)),
		"update": second(svc.Update(own, 1, customers.Patch{VIP: ptr(true)})),
		"delete": second(svc.Delete(own, 1)),
	} {
		if !errors.Is(err, errs.NotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestUpdate(t *testing.T) {
	svc, store := newService(fakeHasher{})
	ctx := context.Background()
	c, err := svc.Create(ctx, customers.NewCustomer{Username: "anna", Email: "anna@example.com", Password: "secret1", LastLogin: ptr(now)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Update(ctx, c.ID, customers.Patch{Password: ptr("changed!"), ClearLastLogin: true, Email: ptr(" Anna@Example.com ")})
	if err != nil {
		t.Fatal(err)
	}
	if got.User.PasswordHash != "hashed:changed!" || got.LastLogin != nil || got.User.Email != "Anna@Example.com" {
		t.Fatalf("updated %+v", got)
	}
	// An empty patch writes nothing.
	if _, err := store.Update(ctx, c.ID, func(c *customers.Customer) error { c.DateModified = time.Time{}; return nil }); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Update(ctx, c.ID, customers.Patch{}); !got.DateModified.IsZero() {
		t.Fatalf("empty patch wrote: %v", got.DateModified)
	}
	// Bad input on an unknown id is a 404, on a known one a 400.
	bad := customers.Patch{Status: ptr("gone")}
	if _, err := svc.Update(ctx, 99, bad); !errors.Is(err, errs.NotFound) {
		t.Fatalf("unknown id: %v", err)
	}
	if _, err := svc.Update(ctx, c.ID, bad); !errors.Is(err, errs.Invalid) {
		t.Fatalf("known id: %v", err)
	}
}

func TestValidateNamesEveryField(t *testing.T) {
	in := customers.NewCustomer{
		Username: "x", Email: "nope", Password: "1", DisplayName: string([]byte{0xff}),
		Type: "Not OK", EmailVerification: "maybe", Status: "gone", SignupForm: strings.Repeat("f", 65),
		IPs: []string{"1.2.3.4", "x"}, DateRegistered: ptr(time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)),
	}
	e := errs.From(in.Validate())
	want := []string{"date_registered", "display_name", "email", "email_verification", "ips", "password", "signup_form", "status", "type", "username"}
	if e == nil || len(e.Fields()) != len(want) {
		t.Fatalf("fields %v, want %v", e.Fields(), want)
	}
	for i, f := range e.Fields() {
		if f != want[i] {
			t.Fatalf("fields %v, want %v", e.Fields(), want)
		}
	}
}

func TestPatchValidateLeavesTheCallersValues(t *testing.T) {
	email := "  a@example.com  "
	p := customers.Patch{Email: &email}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if email != "  a@example.com  " {
		t.Fatalf("Validate changed the caller's string to %q", email)
	}
	if err := (customers.Patch{LastLogin: ptr(now), ClearLastLogin: true}).Validate(); !errors.Is(err, errs.Invalid) {
		t.Fatalf("set and clear: %v", err)
	}
}

func TestListRefusesWhatStoresCannotRun(t *testing.T) {
	svc, _ := newService(fakeHasher{})
	for _, f := range []customers.ListFilter{
		{OrderBy: "password"}, {Status: "deleted"}, {Search: "a\x00b"}, {Search: string([]byte{0xff})},
		{Search: strings.Repeat("a", 201)}, {Offset: -1},
	} {
		if _, _, err := svc.List(context.Background(), f); !errors.Is(err, errs.Invalid) {
			t.Errorf("%+v: %v", f, err)
		}
	}
}
