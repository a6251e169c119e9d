package storetest

import (
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/billing/idempotency"
)

func idempotencyContract(t *testing.T, newStores func(*testing.T) Stores) {
	s := newStores(t).Idempotency
	now := at(0)
	if _, ok, err := s.Reserve(ctx, "key:1", "k", "fp1", now); err != nil || !ok {
		t.Fatalf("first reserve %v %v", ok, err)
	}
	rec, ok, err := s.Reserve(ctx, "key:1", "k", "fp2", now.Add(time.Second))
	if err != nil || ok || rec.Fingerprint != "fp1" || rec.Done {
		t.Fatalf("while reserved: %+v %v %v", rec, ok, err)
	}
	if _, ok, _ := s.Reserve(ctx, "key:2", "k", "fp1", now); !ok {
		t.Fatal("another caller's key is another key")
	}
	must(t, s.Complete(ctx, "key:1", "k", 200, "application/json", []byte(`{"id":1}`)))
	rec, ok, err = s.Reserve(ctx, "key:1", "k", "fp1", now.Add(time.Hour))
	if err != nil || ok || !rec.Done || rec.Status != 200 || rec.ContentType != "application/json" || string(rec.Body) != `{"id":1}` {
		t.Fatalf("done: %+v %v %v", rec, ok, err)
	}
	// Forgotten after the TTL.
	if _, ok, _ := s.Reserve(ctx, "key:1", "k", "fp3", now.Add(idempotency.TTL+time.Second)); !ok {
		t.Fatal("an expired key was not taken again")
	}
	// A reservation left by a crashed request is taken over after the lease.
	if _, ok, _ := s.Reserve(ctx, "key:3", "k", "fp", now); !ok {
		t.Fatal("reserve key:3")
	}
	if _, ok, _ := s.Reserve(ctx, "key:3", "k", "fp", now.Add(idempotency.Lease-time.Second)); ok {
		t.Fatal("taken over within the lease")
	}
	if _, ok, _ := s.Reserve(ctx, "key:3", "k", "fp", now.Add(idempotency.Lease+time.Second)); !ok {
		t.Fatal("not taken over after the lease")
	}
	// Release frees a key at once.
	must(t, s.Release(ctx, "key:3", "k"))
	if _, ok, _ := s.Reserve(ctx, "key:3", "k", "other", now.Add(idempotency.Lease+2*time.Second)); !ok {
		t.Fatal("a released key was not free")
	}
	n, err := s.Sweep(ctx, now.Add(idempotency.TTL))
	if err != nil || n != 2 { // key:2 and key:3, created before the TTL; key:1 was taken again since
		t.Fatalf("sweep %d %v", n, err)
	}
}
