package postgres_test

import (
	"context"
	"testing"

	"github.com/hostplane/hostplane/services/billing/postgres"
	"github.com/hostplane/hostplane/services/billing/storetest"
)

func TestBillingContract(t *testing.T) {
	pool := migrated(t)
	storetest.Billing(t, func(t *testing.T) storetest.Stores {
		reset(t, pool)
		return storetest.Stores{
			Customers: postgres.NewCustomers(pool), Groups: postgres.NewGroups(pool), Products: postgres.NewProducts(pool),
			Memberships: postgres.NewMemberships(pool), Payments: postgres.NewPayments(pool), Renewals: postgres.NewRenewals(pool),
			Idempotency: postgres.NewIdempotency(pool), Tx: postgres.Runner{Pool: pool},
			Events: func(t *testing.T) []string {
				rows, err := pool.Query(context.Background(), `SELECT type FROM outbox ORDER BY seq`)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				out := []string{}
				for rows.Next() {
					var typ string
					if err := rows.Scan(&typ); err != nil {
						t.Fatal(err)
					}
					out = append(out, typ)
				}
				return out
			},
		}
	})
}
