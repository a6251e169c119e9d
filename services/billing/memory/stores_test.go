package memory_test

import (
	"context"
	"testing"

	"github.com/hostplane/hostplane/services/billing/memory"
	"github.com/hostplane/hostplane/services/billing/storetest"
)

func TestBillingContract(t *testing.T) {
	storetest.Billing(t, func(t *testing.T) storetest.Stores {
		m := memory.NewStores()
		return storetest.Stores{
			Customers: m.Customers, Groups: m.Groups, Products: m.Products, Memberships: m.Memberships,
			Payments: m.Payments, Renewals: m.Renewals, Idempotency: m.Idempotency, Tx: m.Runner,
			Events: func(t *testing.T) []string {
				b, err := m.Outbox.Pending(context.Background(), 1<<20)
				if err != nil {
					t.Fatal(err)
				}
				out := []string{}
				for _, e := range b.Events {
					out = append(out, e.Type)
				}
				return out
			},
		}
	})
}
