package checkout_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/billing/checkout"
	"github.com/hostplane/hostplane/services/billing/checkout/fakesites"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/password"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/postgres"
	"github.com/hostplane/hostplane/services/billing/products"
)

// statements records the SQL a pool sends, one entry per round trip.
type statements struct {
	mu  sync.Mutex
	sql []string
}

func (s *statements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sql = append(s.sql, strings.Join(strings.Fields(d.SQL), " "))
	return ctx
}

func (s *statements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (s *statements) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sql
	s.sql = nil
	return out
}

// TestRegisterRoundTrips counts the statements one registration sends to
// PostgreSQL (transaction control included), so that a change adding round
// trips to the hot path shows here.
func TestRegisterRoundTrips(t *testing.T) {
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(pgtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	rec := &statements{}
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	cst, pst, mst, yst := postgres.NewCustomers(pool), postgres.NewProducts(pool), postgres.NewMemberships(pool), postgres.NewPayments(pool)
	tx := postgres.Runner{Pool: pool}
	clock := func() time.Time { return now }
	hasher, _ := password.NewArgon2id(password.Params{Memory: 64, Time: 1, Threads: 1})
	catalog := products.NewService(pst, tx, clock)
	svc := checkout.NewService(checkout.Deps{
		Customers: customers.NewService(cst, hasher, clock), Hasher: hasher, Catalog: catalog,
		Memberships: memberships.NewService(mst, cst, pst, tx, clock), Payments: payments.NewService(yst, cst, mst, pst, clock),
		Sites: fakesites.New(), Tx: tx,
	})
	if _, err := catalog.Create(ctx, products.Input{Name: ptr("Basic Plan"), Slug: ptr("basic-plan"), Amount: ptr("29.99")}); err != nil {
		t.Fatal(err)
	}
	rec.take()
	if _, err := svc.Register(ctx, reference()); err != nil {
		t.Fatal(err)
	}
	sql := rec.take()
	for i, q := range sql {
		t.Logf("%2d %.110s", i+1, q)
		if strings.HasPrefix(strings.ToLower(q), "savepoint") {
			t.Errorf("statement %d is a savepoint: the registration rolls back whole on any error", i+1)
		}
	}
	if len(sql) > maxRoundTrips {
		t.Fatalf("a registration sent %d statements, at most %d expected", len(sql), maxRoundTrips)
	}
}

// maxRoundTrips is what a registration sends today: the plan's lookup,
// BEGIN, the user, customer, membership and payment with their outbox
// events, the invoice number, the site's id on the membership, COMMIT —
// no savepoints (txn.AllOrNothing; 30 with them) and no reads of what the
// registration already holds (txn.Memo; 20 with them).
const maxRoundTrips = 13
