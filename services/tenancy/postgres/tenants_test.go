package postgres_test

import (
	"context"
	"testing"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/tenancy/postgres"
	"github.com/hostplane/hostplane/services/tenancy/storetest"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

func TestTenantsContract(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	locks, err := pgkit.Open(ctx, db.URL(t), pgkit.Options{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer locks.Close()
	storetest.Tenants(t, func(t *testing.T) tenants.Store {
		if _, err := pool.Exec(ctx, "TRUNCATE tenants, outbox, processed_events"); err != nil {
			t.Fatal(err)
		}
		return postgres.NewTenants(pool, locks)
	})
}

// TestEventsCommitWithTheChange: Save and Remove write their events into
// the outbox in the same transaction.
func TestEventsCommitWithTheChange(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	s := postgres.NewTenants(pool, nil)
	e1, _ := events.New(tenants.Source, tenants.EventBootstrapped, "tenant:1", map[string]int{"site_id": 1})
	e2, _ := events.New(tenants.Source, tenants.EventDeleted, "tenant:1", map[string]int{"site_id": 1})
	tn := tenants.Tenant{SiteID: 1, State: tenants.StateReady, Checks: tenants.PendingChecks}
	if err := s.Save(ctx, &tn, e1); err != nil {
		t.Fatal(err)
	}
	// A failing save writes no event.
	bad := tenants.Tenant{SiteID: -1, State: tenants.StateReady}
	e3, _ := events.New(tenants.Source, tenants.EventFailed, "tenant:-1", nil)
	if err := s.Save(ctx, &bad, e3); err == nil {
		t.Fatal("a negative site id was saved")
	}
	if err := s.Remove(ctx, 1, e2); err != nil {
		t.Fatal(err)
	}
	b, err := (&events.PostgresOutbox{Pool: pool, Source: tenants.Source}).Pending(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release(ctx)
	if len(b.Events) != 2 || b.Events[0].Type != tenants.EventBootstrapped || b.Events[1].Type != tenants.EventDeleted {
		t.Fatalf("outbox %+v", b.Events)
	}
}
