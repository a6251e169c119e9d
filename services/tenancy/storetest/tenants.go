// Package storetest is the one contract every tenants.Store adapter must
// pass; memory and postgres run it in their own tests.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

var base = time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC)

// tenant is a full tenant: every field set.
func tenant(id int64) tenants.Tenant {
	v := base.Add(time.Hour + 123456*time.Microsecond)
	return tenants.Tenant{
		SiteID: id, CustomerID: 40 + id, State: tenants.StateMigrating, Step: tenants.StepCopy, Error: "",
		Done: []tenants.Step{tenants.StepRole, tenants.StepDatabase},
		Placement: tenants.Placement{Server: "127.0.0.1:5433", Host: "127.0.0.1:5433",
			Database: fmt.Sprint("tenant_", id), Role: fmt.Sprint("tenant_", id)},
		SealedPassword: []byte{0, 1, 2, 0xff}, SiteRoot: "/data/sites/1", TenantDir: "/data/tenants/tenant_1",
		Checks:     tenants.Checks{NoLegacy: tenants.CheckPassed, SovereignPush: tenants.CheckFailed, TenantUsers: tenants.CheckPending},
		VerifiedAt: &v, DateCreated: base, DateModified: base.Add(time.Minute),
	}
}

// Tenants runs the tenants.Store contract. newStore returns an empty store.
func Tenants(t *testing.T, newStore func(t *testing.T) tenants.Store) {
	ctx := context.Background()

	t.Run("save, get, replace, remove", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Get(ctx, 1); !errors.Is(err, errs.NotFound) || errs.From(err).Resource != "tenant" {
			t.Fatalf("missing: %v", err)
		}
		want := tenant(1)
		if err := s.Save(ctx, &want); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, 1)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("got\n%+v\nwant\n%+v (%v)", got, want, err)
		}
		// The store keeps its own copy.
		want.Done[0], want.SealedPassword[0] = "x", 9
		if got, _ := s.Get(ctx, 1); got.Done[0] != tenants.StepRole || got.SealedPassword[0] != 0 {
			t.Fatal("the store shares memory with the caller")
		}
		next := tenant(1)
		next.State, next.Step, next.Error, next.Done = tenants.StateFailed, tenants.StepVerify, "why", nil
		next.SealedPassword, next.VerifiedAt, next.Checks = nil, nil, tenants.PendingChecks
		if err := s.Save(ctx, &next); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Get(ctx, 1)
		if got.State != tenants.StateFailed || got.Error != "why" || len(got.Done) != 0 || got.SealedPassword != nil ||
			got.VerifiedAt != nil || got.Checks != tenants.PendingChecks {
			t.Fatalf("replaced: %+v", got)
		}
		if err := s.Remove(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, 1); !errors.Is(err, errs.NotFound) {
			t.Fatalf("removed: %v", err)
		}
		if err := s.Remove(ctx, 1); err != nil {
			t.Fatalf("removing twice: %v", err)
		}
	})

	t.Run("unfinished lists running jobs", func(t *testing.T) {
		s := newStore(t)
		for id, st := range map[int64]tenants.State{
			1: tenants.StatePending, 2: tenants.StateReady, 3: tenants.StateVerifying, 4: tenants.StateFailed,
			5: tenants.StateProvisioning, 6: tenants.StateDeleting, 7: tenants.StateMigrating,
		} {
			tn := tenant(id)
			tn.State = st
			if err := s.Save(ctx, &tn); err != nil {
				t.Fatal(err)
			}
		}
		ids, err := s.Unfinished(ctx)
		if err != nil || !reflect.DeepEqual(ids, []int64{1, 3, 5, 7}) {
			t.Fatalf("unfinished %v %v", ids, err)
		}
	})

	t.Run("place on the server with the fewest tenants", func(t *testing.T) {
		s := newStore(t)
		servers := []string{"a:5432", "b:5432", "c:5432"}
		place := func(id int64) string {
			t.Helper()
			tn := tenant(id)
			tn.Placement = tenants.Placement{}
			if err := s.Save(ctx, &tn); err != nil {
				t.Fatal(err)
			}
			got, err := s.Place(ctx, id, servers)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		var got []string
		for id := int64(1); id <= 4; id++ {
			got = append(got, place(id))
		}
		if !reflect.DeepEqual(got, []string{"a:5432", "b:5432", "c:5432", "a:5432"}) {
			t.Fatalf("placements %v", got)
		}
		// A placed tenant keeps its server; servers not listed do not count.
		if again, _ := s.Place(ctx, 2, servers); again != "b:5432" {
			t.Fatalf("placed again on %s", again)
		}
		if err := s.Remove(ctx, 2); err != nil {
			t.Fatal(err)
		}
		if p := place(5); p != "b:5432" {
			t.Fatalf("after a removal: %s", p)
		}
		if _, err := s.Place(ctx, 99, servers); !errors.Is(err, errs.NotFound) {
			t.Fatalf("unknown tenant: %v", err)
		}
	})

	t.Run("concurrent placements balance", func(t *testing.T) {
		s := newStore(t)
		servers := []string{"a:5432", "b:5432"}
		for id := int64(1); id <= 20; id++ {
			tn := tenant(id)
			tn.Placement = tenants.Placement{}
			if err := s.Save(ctx, &tn); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		count := map[string]int{}
		var wg sync.WaitGroup
		for id := int64(1); id <= 20; id++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, err := s.Place(ctx, id, servers)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				count[p]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if count["a:5432"] != 10 || count["b:5432"] != 10 {
			t.Fatalf("unbalanced: %v", count)
		}
	})

	t.Run("locks", func(t *testing.T) {
		s := newStore(t)
		unlock, err := s.Lock(ctx, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Lock(ctx, 1, 0); !errors.Is(err, errs.Conflict) {
			t.Fatalf("second try: %v", err)
		}
		start := time.Now()
		if _, err := s.Lock(ctx, 1, 100*time.Millisecond); !errors.Is(err, errs.Conflict) || time.Since(start) < 90*time.Millisecond {
			t.Fatalf("waited %v: %v", time.Since(start), err)
		}
		other, err := s.Lock(ctx, 2, 0)
		if err != nil {
			t.Fatalf("another tenant's lock: %v", err)
		}
		other()
		go func() { time.Sleep(50 * time.Millisecond); unlock() }()
		again, err := s.Lock(ctx, 1, 5*time.Second)
		if err != nil {
			t.Fatalf("waiting for a release: %v", err)
		}
		again()
		again() // twice is harmless
		if u, err := s.Lock(ctx, 1, 0); err != nil {
			t.Fatalf("after release: %v", err)
		} else {
			u()
		}
	})

	t.Run("once per event id", func(t *testing.T) {
		s := newStore(t)
		var runs atomic.Int32
		fail := errors.New("boom")
		if ran, err := s.Once(ctx, "c", "e1", func(context.Context) error { runs.Add(1); return fail }); ran || err == nil {
			t.Fatalf("failing handler: %v %v", ran, err)
		}
		var wg sync.WaitGroup
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Once(ctx, "c", "e1", func(context.Context) error { runs.Add(1); return nil }); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if runs.Load() != 2 {
			t.Fatalf("handler ran %d times, want the failed run and one more", runs.Load())
		}
		if ran, err := s.Once(ctx, "other", "e1", func(context.Context) error { return nil }); !ran || err != nil {
			t.Fatalf("another consumer: %v %v", ran, err)
		}
	})
}
