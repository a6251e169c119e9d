// Package storetest is the one contract every keys.Store adapter must pass;
// memory and postgres run it in their own tests.
package storetest

import (
	"context"
	"errors"
	"fmt"
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
		if got.ID != first || got.RevokedAt != nil || !keys.SecretMatches(got.SecretHash, "other-secret") ||
			got.Name != "root2" || len(got.Permissions) != 1 || got.Permissions[0] != "*" {
			t.Fatalf("after upsert: %+v", got)
		}
	})
}
