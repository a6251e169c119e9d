// Package storetest is the one contract every customers.Store adapter must
// pass; memory and postgres run it in their own tests.
package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/customers"
)

var base = time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC)

func at(h int) time.Time { return base.Add(time.Duration(h) * time.Hour) }

func ptr[T any](v T) *T { return &v }

// newCustomer is a customer with a new user named username.
func newCustomer(username, email string) *customers.Customer {
	return &customers.Customer{
		User: customers.User{
			Username: username, Email: email, DisplayName: "Name of " + username,
			PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", DateCreated: at(0),
		},
		Type: "customer", EmailVerification: "none", Status: "active", SignupForm: "by-admin",
		IPs: []string{}, DateRegistered: at(0), DateCreated: at(0), DateModified: at(0),
	}
}

func ids(cs []customers.Customer) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func wantKind(t *testing.T, what string, err error, kind errs.Kind, field string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("%s: err = %v, want %s", what, err, kind)
	}
	if field != "" {
		if _, ok := errs.From(err).Params[field]; !ok {
			t.Fatalf("%s: err %v does not name %s", what, err, field)
		}
	}
}

// Customers runs the customers.Store contract. newStore returns an empty
// store.
func Customers(t *testing.T, newStore func(t *testing.T) customers.Store) {
	ctx := context.Background()

	t.Run("create with a new user and read back", func(t *testing.T) {
		s := newStore(t)
		c := newCustomer("alice", "Alice@Example.com")
		c.VIP, c.HasTrialed, c.EmailVerification, c.Status = true, true, "verified", "pending"
		c.IPs = []string{"0.0.0.0", "2001:db8::1"}
		c.ExtraInformation, c.Type, c.SignupForm = "notes", "customer", "checkout"
		c.DateRegistered, c.DateCreated, c.DateModified = at(1), at(2), at(3)
		c.LastLogin = ptr(at(4).Add(123456789 * time.Nanosecond))
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.UserID == 0 || c.User.ID != c.UserID {
			t.Fatalf("ids not set: id=%d user_id=%d user.id=%d", c.ID, c.UserID, c.User.ID)
		}
		got, err := s.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := c.Clone()
		want.LastLogin = ptr(at(4).Add(123456 * time.Microsecond)) // kept to the microsecond
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("read back\n got %+v\nwant %+v", got, want)
		}
		if !reflect.DeepEqual(*c, want) {
			t.Fatalf("Create left\n got %+v\nwant %+v", *c, want)
		}
	})

	t.Run("create without ips or last login", func(t *testing.T) {
		s := newStore(t)
		c := newCustomer("bobby", "bob@example.com")
		c.IPs = nil
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, c.ID)
		if err != nil || got.IPs == nil || len(got.IPs) != 0 || got.LastLogin != nil {
			t.Fatalf("got %+v, %v", got, err)
		}
	})

	t.Run("create for an existing user", func(t *testing.T) {
		s := newStore(t)
		first := newCustomer("alice", "alice@example.com")
		if err := s.Create(ctx, first); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Delete(ctx, first.ID); err != nil {
			t.Fatal(err)
		}
		again := newCustomer("", "")
		again.User = customers.User{}
		again.UserID = first.UserID
		if err := s.Create(ctx, again); err != nil {
			t.Fatal(err)
		}
		if again.ID == first.ID || again.User != first.User {
			t.Fatalf("relinked: id %d (first %d), user %+v want %+v", again.ID, first.ID, again.User, first.User)
		}
		got, err := s.Get(ctx, again.ID)
		if err != nil || got.UserID != first.UserID || got.User.Username != "alice" {
			t.Fatalf("got %+v, %v", got, err)
		}
	})

	t.Run("uniqueness is a conflict naming the field", func(t *testing.T) {
		s := newStore(t)
		a := newCustomer("alice", "alice@example.com")
		if err := s.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		wantKind(t, "same username", s.Create(ctx, newCustomer("alice", "other@example.com")), errs.Conflict, "username")
		wantKind(t, "same email in another case", s.Create(ctx, newCustomer("alice2", "ALICE@example.COM")), errs.Conflict, "email")
		second := newCustomer("", "")
		second.User, second.UserID = customers.User{}, a.UserID
		wantKind(t, "second customer of a user", s.Create(ctx, second), errs.Conflict, "user_id")
		if second.ID != 0 {
			t.Fatalf("failed create set id %d", second.ID)
		}
		// Nothing half-made: the refused email and username are still free.
		if err := s.Create(ctx, newCustomer("alice2", "other@example.com")); err != nil {
			t.Fatal(err)
		}
		_, total, err := s.List(ctx, customers.ListFilter{})
		if err != nil || total != 2 {
			t.Fatalf("total %d, %v", total, err)
		}
	})

	t.Run("unknown user is invalid", func(t *testing.T) {
		s := newStore(t)
		c := newCustomer("", "")
		c.User, c.UserID = customers.User{}, 123
		wantKind(t, "unknown user", s.Create(ctx, c), errs.Invalid, "user_id")
	})

	t.Run("missing is not found", func(t *testing.T) {
		s := newStore(t)
		for name, err := range map[string]error{
			"get":    second(s.Get(ctx, 424242)),
			"delete": second(s.Delete(ctx, 424242)),
			"update": second(s.Update(ctx, 424242, func(*customers.Customer) error { return nil })),
		} {
			wantKind(t, name, err, errs.NotFound, "")
			if r := errs.From(err).Resource; r != "customer" {
				t.Fatalf("%s: resource %q", name, r)
			}
		}
	})

	t.Run("list", func(t *testing.T) { listContract(t, newStore(t)) })
	t.Run("totals follow every write", func(t *testing.T) { totalsContract(t, newStore(t)) })

	t.Run("update changes only what fn sets", func(t *testing.T) {
		s := newStore(t)
		c := newCustomer("alice", "alice@example.com")
		c.IPs = []string{"10.0.0.1"}
		c.LastLogin = ptr(at(2))
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		before, _ := s.Get(ctx, c.ID)
		got, err := s.Update(ctx, c.ID, func(c *customers.Customer) error {
			c.VIP = true
			c.ExtraInformation = "VIP customer notes"
			c.DateModified = at(5)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := before.Clone()
		want.VIP, want.ExtraInformation, want.DateModified = true, "VIP customer notes", at(5)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("update returned\n got %+v\nwant %+v", got, want)
		}
		if read, _ := s.Get(ctx, c.ID); !reflect.DeepEqual(read, want) {
			t.Fatalf("read back\n got %+v\nwant %+v", read, want)
		}
	})

	t.Run("update saves user fields, clears last login, keeps ids", func(t *testing.T) {
		s := newStore(t)
		c := newCustomer("alice", "alice@example.com")
		c.LastLogin = ptr(at(2))
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := s.Update(ctx, c.ID, func(x *customers.Customer) error {
			x.ID, x.UserID, x.User.ID = 99, 98, 97 // ignored
			x.User.Email, x.User.DisplayName, x.User.PasswordHash = "new@example.com", "Alice B", "$argon2id$new"
			x.LastLogin = nil
			x.IPs = []string{"::1"}
			x.Status, x.EmailVerification, x.Type, x.HasTrialed = "banned", "pending", "reseller", true
			x.DateRegistered = at(9)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		read, err := s.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range []customers.Customer{got, read} {
			if x.ID != c.ID || x.UserID != c.UserID || x.User.ID != c.UserID || x.User.Email != "new@example.com" ||
				x.User.DisplayName != "Alice B" || x.User.PasswordHash != "$argon2id$new" || x.User.Username != "alice" ||
				x.LastLogin != nil || !slices.Equal(x.IPs, []string{"::1"}) || x.Status != "banned" ||
				x.EmailVerification != "pending" || x.Type != "reseller" || !x.HasTrialed || !x.DateRegistered.Equal(at(9)) {
				t.Fatalf("after update %+v", x)
			}
		}
		// The old email is free again, the new one taken.
		if err := s.Create(ctx, newCustomer("alice2", "ALICE@example.com")); err != nil {
			t.Fatal(err)
		}
		wantKind(t, "new email taken", s.Create(ctx, newCustomer("alice3", "New@Example.com")), errs.Conflict, "email")
	})

	t.Run("update to a taken email is a conflict and changes nothing", func(t *testing.T) {
		s := newStore(t)
		a, b := newCustomer("alice", "alice@example.com"), newCustomer("bobby", "bob@example.com")
		for _, c := range []*customers.Customer{a, b} {
			if err := s.Create(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.Update(ctx, b.ID, func(c *customers.Customer) error {
			c.VIP = true
			c.User.Email = "Alice@Example.com"
			return nil
		})
		wantKind(t, "taken email", err, errs.Conflict, "email")
		got, _ := s.Get(ctx, b.ID)
		if got.VIP || got.User.Email != "bob@example.com" {
			t.Fatalf("half applied: %+v", got)
		}
		// Changing the case of one's own email is fine.
		if _, err := s.Update(ctx, a.ID, func(c *customers.Customer) error { c.User.Email = "ALICE@example.com"; return nil }); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("an error from fn aborts the update", func(t *testing.T) {
		s := newStore(t)
		c := newCustomer("alice", "alice@example.com")
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		stop := errors.New("stop")
		_, err := s.Update(ctx, c.ID, func(c *customers.Customer) error { c.VIP = true; return stop })
		if err != stop {
			t.Fatalf("err = %v, want fn's error as is", err)
		}
		if got, _ := s.Get(ctx, c.ID); got.VIP {
			t.Fatal("aborted update was saved")
		}
	})

	t.Run("delete returns the customer and keeps its user", func(t *testing.T) {
		s := newStore(t)
		c := newCustomer("alice", "alice@example.com")
		c.IPs = []string{"127.0.0.1"}
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		want, _ := s.Get(ctx, c.ID)
		got, err := s.Delete(ctx, c.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("delete returned %+v, %v; want %+v", got, err, want)
		}
		if _, err := s.Get(ctx, c.ID); !errors.Is(err, errs.NotFound) {
			t.Fatalf("get after delete: %v", err)
		}
		if _, err := s.Delete(ctx, c.ID); !errors.Is(err, errs.NotFound) {
			t.Fatalf("second delete: %v", err)
		}
		wantKind(t, "user kept", s.Create(ctx, newCustomer("alice", "x@example.com")), errs.Conflict, "username")
	})
}

func second[T any](_ T, err error) error { return err }
