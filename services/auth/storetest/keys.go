// Package storetest is the one contract every auth store adapter must
// pass (keys, accounts, settings, activity, installation); memory and
// postgres run it in their own tests.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/auth/keys"
)

// Keys runs the keys.Store contract. newStore returns an empty store.
func Keys(t *testing.T, newStore func(t *testing.T) keys.Store) {
	ctx := context.Background()
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

	mk := func(name string, customer int64) *keys.Key {
		return &keys.Key{
			AccountID: 1, Name: name, Email: name + "@example.com", APIKey: keys.NewAPIKey(),
			SecretHash: keys.HashSecret("s3cret-" + name), Permissions: []string{"customers:index"},
			CustomerID: customer, RateLimit: keys.RateLimit{Count: 5, Period: time.Second},
		}
	}

	t.Run("create and read back", func(t *testing.T) {
		s := newStore(t)
		exp := at.Add(time.Hour)
		k := mk("a", 7)
		k.ExpiresAt = &exp
		if err := s.Create(ctx, k); err != nil {
			t.Fatal(err)
		}
		if k.ID == 0 || k.CreatedAt.IsZero() {
			t.Fatalf("id/created not set: %+v", k)
		}
		for _, get := range []func() (keys.Key, error){
			func() (keys.Key, error) { return s.Get(ctx, k.ID) },
			func() (keys.Key, error) { return s.GetByAPIKey(ctx, k.APIKey) },
		} {
			got, err := get()
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "a" || got.Email != "a@example.com" || got.CustomerID != 7 || got.RateLimit != k.RateLimit ||
				len(got.Permissions) != 1 || !keys.SecretMatches(got.SecretHash, "s3cret-a") ||
				got.ExpiresAt == nil || !got.ExpiresAt.Equal(exp) || got.RevokedAt != nil {
				t.Fatalf("read back %+v", got)
			}
		}
	})

	t.Run("duplicate api_key is a conflict", func(t *testing.T) {
		s := newStore(t)
		a := mk("a", 0)
		if err := s.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		b := mk("b", 0)
		b.APIKey = a.APIKey
		if err := s.Create(ctx, b); !errors.Is(err, errs.Conflict) {
			t.Fatalf("err = %v, want conflict", err)
		}
	})

	t.Run("missing is not found", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Get(ctx, 424242); !errors.Is(err, errs.NotFound) {
			t.Fatalf("Get: %v", err)
		}
		if _, err := s.GetByAPIKey(ctx, "hp_nope"); !errors.Is(err, errs.NotFound) {
			t.Fatalf("GetByAPIKey: %v", err)
		}
		if _, err := s.Revoke(ctx, 424242, at); !errors.Is(err, errs.NotFound) {
			t.Fatalf("Revoke: %v", err)
		}
	})

	t.Run("list pages, filters by customer, hides revoked on request", func(t *testing.T) {
		s := newStore(t)
		var ids []int64
		for i := range 5 {
			k := mk(fmt.Sprint("k", i), int64(i%2))
			if err := s.Create(ctx, k); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, k.ID)
		}
		if _, err := s.Revoke(ctx, ids[4], at); err != nil {
			t.Fatal(err)
		}
		got, total, err := s.List(ctx, keys.ListFilter{Offset: 1, Limit: 2, IncludeRevoked: true})
		if err != nil || total != 5 || len(got) != 2 || got[0].ID != ids[1] || got[1].ID != ids[2] {
			t.Fatalf("page: %v total=%d err=%v", got, total, err)
		}
		got, total, err = s.List(ctx, keys.ListFilter{Offset: 1, Limit: 2, IncludeRevoked: true, Newest: true})
		if err != nil || total != 5 || len(got) != 2 || got[0].ID != ids[3] || got[1].ID != ids[2] {
			t.Fatalf("newest first: %v total=%d err=%v", got, total, err)
		}
		got, total, err = s.List(ctx, keys.ListFilter{CustomerID: 1, IncludeRevoked: true})
		if err != nil || total != 2 || len(got) != 2 {
			t.Fatalf("by customer: %d %d %v", len(got), total, err)
		}
		_, total, err = s.List(ctx, keys.ListFilter{})
		if err != nil || total != 4 {
			t.Fatalf("without revoked: total=%d err=%v", total, err)
		}
		got, total, err = s.List(ctx, keys.ListFilter{Offset: 10, Limit: 2, IncludeRevoked: true})
		if err != nil || total != 5 || len(got) != 0 || got == nil {
			t.Fatalf("past the end: %v %d %v", got, total, err)
		}
	})

	t.Run("revoke keeps the first time", func(t *testing.T) {
		s := newStore(t)
		k := mk("a", 0)
		if err := s.Create(ctx, k); err != nil {
			t.Fatal(err)
		}
		r1, err := s.Revoke(ctx, k.ID, at)
		if err != nil || r1.RevokedAt == nil || !r1.RevokedAt.Equal(at) {
			t.Fatalf("revoke: %+v %v", r1, err)
		}
		r2, err := s.Revoke(ctx, k.ID, at.Add(time.Hour))
		if err != nil || !r2.RevokedAt.Equal(at) {
			t.Fatalf("second revoke moved the time: %+v %v", r2.RevokedAt, err)
		}
	})

	t.Run("touch records last use", func(t *testing.T) {
		s := newStore(t)
		k := mk("a", 0)
		if err := s.Create(ctx, k); err != nil {
			t.Fatal(err)
		}
		if err := s.Touch(ctx, k.ID, at); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Get(ctx, k.ID)
		if got.LastUsedAt == nil || !got.LastUsedAt.Equal(at) {
			t.Fatalf("last used %v", got.LastUsedAt)
		}
	})

	t.Run("allow-list and rotation fields round-trip", func(t *testing.T) {
		s := newStore(t)
		k := mk("a", 0)
		k.AllowedIPs = []string{"203.0.113.0/24", "2001:db8::1/128"}
		if err := s.Create(ctx, k); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Get(ctx, k.ID)
		if !slices.Equal(got.AllowedIPs, k.AllowedIPs) || got.PrevSecretHash != nil || got.PrevSecretUntil != nil || got.RotatedAt != nil {
			t.Fatalf("read back %+v", got)
		}
		plain := mk("b", 0)
		if err := s.Create(ctx, plain); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, plain.ID); got.AllowedIPs == nil || len(got.AllowedIPs) != 0 {
			t.Fatalf("no allow-list reads back as %#v, want an empty list", got.AllowedIPs)
		}
	})

	t.Run("update keeps what fn sets and nothing else", func(t *testing.T) {
		s := newStore(t)
		k := mk("a", 7)
		if err := s.Create(ctx, k); err != nil {
			t.Fatal(err)
		}
		until, exp := at.Add(time.Hour), at.Add(48*time.Hour)
		got, err := s.Update(ctx, k.ID, func(k *keys.Key) error {
			k.Name, k.Permissions, k.AllowedIPs = "renamed", []string{"*"}, []string{"10.0.0.0/8"}
			k.RateLimit, k.ExpiresAt = keys.RateLimit{Count: 9, Period: time.Minute}, &exp
			k.PrevSecretHash, k.PrevSecretUntil, k.RotatedAt, k.RotationKey = k.SecretHash, &until, &at, []byte{1, 2, 3}
			k.SecretHash = keys.HashSecret("new-secret")
			k.Email, k.CustomerID, k.APIKey = "ignored@example.com", 99, "ignored" // not mutable
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range []keys.Key{got, get(t, s, k.ID)} {
			if g.Name != "renamed" || !slices.Equal(g.Permissions, []string{"*"}) || !slices.Equal(g.AllowedIPs, []string{"10.0.0.0/8"}) ||
				g.RateLimit.Count != 9 || !g.ExpiresAt.Equal(exp) || !keys.SecretMatches(g.SecretHash, "new-secret") ||
				!keys.SecretMatches(g.PrevSecretHash, "s3cret-a") || !g.PrevSecretUntil.Equal(until) || !g.RotatedAt.Equal(at) ||
				!slices.Equal(g.RotationKey, []byte{1, 2, 3}) ||
				g.Email != "a@example.com" || g.CustomerID != 7 || g.APIKey != k.APIKey {
				t.Fatalf("after update: %+v", g)
			}
		}
		// An error of fn changes nothing.
		boom := errors.New("boom")
		if _, err := s.Update(ctx, k.ID, func(k *keys.Key) error { k.Name = "no"; return boom }); !errors.Is(err, boom) {
			t.Fatalf("fn error: %v", err)
		}
		if g := get(t, s, k.ID); g.Name != "renamed" {
			t.Fatalf("a failed update changed the key: %+v", g)
		}
		// Clearing.
		got, err = s.Update(ctx, k.ID, func(k *keys.Key) error {
			k.AllowedIPs, k.ExpiresAt, k.PrevSecretHash, k.PrevSecretUntil = nil, nil, nil, nil
			return nil
		})
		if err != nil || len(got.AllowedIPs) != 0 || got.ExpiresAt != nil || got.PrevSecretHash != nil || got.PrevSecretUntil != nil {
			t.Fatalf("cleared: %+v %v", got, err)
		}
		if _, err := s.Update(ctx, 424242, func(*keys.Key) error { return nil }); !errors.Is(err, errs.NotFound) {
			t.Fatalf("missing key: %v", err)
		}
	})

	t.Run("list filters by account", func(t *testing.T) {
		s := newStore(t)
		a := mk("a", 0)
		if err := s.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, total, err := s.List(ctx, keys.ListFilter{AccountID: 1})
		if err != nil || total != 1 || got[0].ID != a.ID {
			t.Fatalf("account 1: %v %d %v", got, total, err)
		}
		if _, total, _ := s.List(ctx, keys.ListFilter{AccountID: 424242}); total != 0 {
			t.Fatalf("other account: %d", total)
		}
	})

	t.Run("touch never moves back", func(t *testing.T) {
		s := newStore(t)
		k := mk("a", 0)
		if err := s.Create(ctx, k); err != nil {
			t.Fatal(err)
		}
		for _, when := range []time.Time{at, at.Add(-time.Hour)} {
			if err := s.Touch(ctx, k.ID, when); err != nil {
				t.Fatal(err)
			}
		}
		if got := get(t, s, k.ID); !got.LastUsedAt.Equal(at) {
			t.Fatalf("last used %v, want %v", got.LastUsedAt, at)
		}
		later := at.Add(2 * time.Second)
		if err := s.Touch(ctx, k.ID, later); err != nil {
			t.Fatal(err)
		}
		if got := get(t, s, k.ID); !got.LastUsedAt.Equal(later) {
			t.Fatalf("last used %v, want %v", got.LastUsedAt, later)
		}
	})

	t.Run("upsert creates then resets secret and revocation", func(t *testing.T) {
		s := newStore(t)
		k := mk("root", 0)
		k.APIKey = "root-key"
		if err := s.Upsert(ctx, k); err != nil {
			t.Fatal(err)
		}
		first := k.ID
		if _, err := s.Revoke(ctx, first, at); err != nil {
			t.Fatal(err)
		}
		until := at.Add(time.Hour)
		if _, err := s.Update(ctx, first, func(k *keys.Key) error {
			k.PrevSecretHash, k.PrevSecretUntil, k.RotationKey = k.SecretHash, &until, []byte{9}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		k2 := mk("root2", 0)
		k2.APIKey = "root-key"
		k2.SecretHash = keys.HashSecret("other-secret")
		k2.Permissions = []string{"*"}
		if err := s.Upsert(ctx, k2); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetByAPIKey(ctx, "root-key")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != first || got.RevokedAt != nil || !keys.SecretMatches(got.SecretHash, "other-secret") || got.PrevSecretHash != nil || got.RotationKey != nil ||
			got.Name != "root2" || len(got.Permissions) != 1 || got.Permissions[0] != "*" {
			t.Fatalf("after upsert: %+v", got)
		}
	})
}

// get reads key id back.
func get(t *testing.T, s keys.Store, id int64) keys.Key {
	t.Helper()
	k, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
