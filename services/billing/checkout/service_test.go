package checkout_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/services/billing/checkout"
	"github.com/hostplane/hostplane/services/billing/checkout/fakesites"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/memory"
	"github.com/hostplane/hostplane/services/billing/password"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/postgres"
	"github.com/hostplane/hostplane/services/billing/products"
	"github.com/hostplane/hostplane/services/billing/txn"
	sites "github.com/hostplane/hostplane/services/sites/client"
)

var db = pgtest.New()

func TestMain(m *testing.M) { os.Exit(db.Main(m)) }

var now = time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC)

// world is a checkout over one adapter's stores, with faults to inject.
type world struct {
	customers   customers.Store
	products    products.Store
	memberships memberships.Store
	payments    payments.Store
	tx          *faultyTx
	sites       *fakesites.Sites
	events      func() []string
	faults      faults
	svc         checkout.Service
	catalog     products.Service
}

// faults fail one step of a registration.
type faults struct {
	customer, membership, payment, link error
}

type faultyCustomers struct {
	customers.Service
	w *world
}

func (f faultyCustomers) Create(ctx context.Context, in customers.NewCustomer) (customers.Customer, error) {
	c, err := f.Service.Create(ctx, in)
	if err == nil && f.w.faults.customer != nil {
		return c, f.w.faults.customer
	}
	return c, err
}

type faultyMemberships struct {
	memberships.Service
	w *world
}

func (f faultyMemberships) Create(ctx context.Context, in memberships.Input) (memberships.Membership, error) {
	m, err := f.Service.Create(ctx, in)
	if err == nil && f.w.faults.membership != nil {
		return m, f.w.faults.membership
	}
	return m, err
}

func (f faultyMemberships) Update(ctx context.Context, id int64, in memberships.Input) (memberships.Membership, error) {
	m, err := f.Service.Update(ctx, id, in)
	if err == nil && f.w.faults.link != nil {
		return m, f.w.faults.link
	}
	return m, err
}

type faultyPayments struct {
	payments.Service
	w *world
}

func (f faultyPayments) Create(ctx context.Context, in payments.Input) (payments.Payment, error) {
	p, err := f.Service.Create(ctx, in)
	if err == nil && f.w.faults.payment != nil {
		return p, f.w.faults.payment
	}
	return p, err
}

// faultyTx fails the commit when commit is set: everything fn did is
// rolled back, as a failed COMMIT does.
type faultyTx struct {
	txn.Runner
	commit error
}

func (f *faultyTx) InTx(ctx context.Context, fn func(context.Context) error) error {
	return f.Runner.InTx(ctx, func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return err
		}
		return f.commit
	})
}

func newWorld(t *testing.T, adapter string) *world {
	t.Helper()
	w := &world{sites: fakesites.New()}
	switch adapter {
	case "memory":
		m := memory.NewStores()
		w.customers, w.products, w.memberships, w.payments = m.Customers, m.Products, m.Memberships, m.Payments
		w.tx = &faultyTx{Runner: m.Runner}
		w.events = func() []string {
			b, _ := m.Outbox.Pending(context.Background(), 1<<20)
			return eventTypes(b.Events)
		}
	case "postgres":
		ctx := context.Background()
		pool, err := pgkit.Open(ctx, pgtest.Fresh(t), pgkit.Options{MaxConns: 8})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		if err := postgres.Migrate(ctx, pool, nil); err != nil {
			t.Fatal(err)
		}
		w.customers, w.products, w.memberships, w.payments = postgres.NewCustomers(pool), postgres.NewProducts(pool),
			postgres.NewMemberships(pool), postgres.NewPayments(pool)
		w.tx = &faultyTx{Runner: postgres.Runner{Pool: pool}}
		w.events = func() []string {
			b, err := (&events.PostgresOutbox{Pool: pool}).Pending(ctx, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			b.Release(ctx)
			return eventTypes(b.Events)
		}
	}
	clock := func() time.Time { return now }
	hasher, _ := password.NewArgon2id(password.Params{Memory: 64, Time: 1, Threads: 1})
	cs := customers.NewService(w.customers, hasher, clock)
	w.catalog = products.NewService(w.products, w.tx.Runner, clock)
	ms := memberships.NewService(w.memberships, w.customers, w.products, w.tx.Runner, clock)
	ps := payments.NewService(w.payments, w.customers, w.memberships, w.products, clock)
	w.svc = checkout.NewService(checkout.Deps{
		Customers: faultyCustomers{cs, w}, Hasher: hasher, Catalog: w.catalog, Memberships: faultyMemberships{ms, w},
		Payments: faultyPayments{ps, w}, Sites: w.sites, Tx: w.tx,
	})
	return w
}

func eventTypes(evs []events.Event) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// plan creates the reference's basic-plan with stock.
func (w *world) plan(t *testing.T, slug string, stock int) products.Product {
	t.Helper()
	p, err := w.catalog.Create(context.Background(), products.Input{Name: ptr("Basic Plan"), Slug: ptr(slug),
		Amount: ptr("29.99"), SetupFee: ptr("5"), Stock: ptr(stock)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// reference is the register body of the wu reference.
func reference() checkout.Request {
	return checkout.Request{
		Customer: &checkout.NewCustomer{Username: "newuser", Password: "securepass123", Email: "newuser@example.com"},
		Products: []string{"basic-plan"}, Duration: 1, DurationUnit: "month", AutoRenew: ptr(true),
		Site:          &checkout.Site{URL: "mynewsite", Title: "My New Site", TemplateID: 1},
		PaymentStatus: "completed", MembershipStatus: "active",
	}
}

var adapters = []string{"memory", "postgres"}

func TestRegisterReference(t *testing.T) {
	for _, adapter := range adapters {
		t.Run(adapter, func(t *testing.T) {
			w := newWorld(t, adapter)
			plan := w.plan(t, "basic-plan", products.Unlimited)
			res, err := w.svc.Register(context.Background(), reference())
			if err != nil {
				t.Fatal(err)
			}
			c, m, p := res.Customer, res.Membership, res.Payment
			if c.User.Username != "newuser" || c.SignupForm != "checkout" || !strings.HasPrefix(c.User.PasswordHash, "$argon2id$") {
				t.Fatalf("customer %+v", c)
			}
			if m.CustomerID != c.ID || m.PlanID != plan.ID || m.Status != "active" || !m.AutoRenew || m.Amount != 2999 ||
				m.InitialAmount != 3499 || m.SiteID != res.Site.ID || m.DateExpiration == nil || !m.DateExpiration.Equal(now.AddDate(0, 1, 0)) {
				t.Fatalf("membership %+v", m)
			}
			if p.MembershipID != m.ID || p.Total != 3499 || p.Subtotal != 3499 || p.Status != "completed" || p.Kind != "initial" ||
				p.InvoiceNumber != "INV-000001" {
				t.Fatalf("payment %+v", p)
			}
			if s := w.sites.All(); len(s) != 1 || s[0].Code != "mynewsite" || s[0].CustomerID != c.ID || s[0].MembershipID != m.ID {
				t.Fatalf("sites %+v", s)
			}
			ev := strings.Join(w.events(), " ")
			for _, want := range []string{"customer.created", "membership.created", "payment.created", "membership.updated"} {
				if !strings.Contains(ev, want) {
					t.Fatalf("events %s lack %s", ev, want)
				}
			}
		})
	}
}

func TestRegisterRollsBackAtEveryStep(t *testing.T) {
	boom := errs.New(errs.Unavailable, "injected")
	for _, adapter := range adapters {
		for _, tt := range []struct {
			step   string
			inject func(w *world)
			site   bool // a site was created, then deleted
		}{
			{checkout.StepCustomer, func(w *world) { w.faults.customer = boom }, false},
			{checkout.StepMembership, func(w *world) { w.faults.membership = boom }, false},
			{checkout.StepPayment, func(w *world) { w.faults.payment = boom }, false},
			{checkout.StepSite, func(w *world) { w.sites.FailCreate = boom }, false},
			{checkout.StepSite, func(w *world) { w.faults.link = boom }, true},
			{checkout.StepCommit, func(w *world) { w.tx.commit = boom }, true},
		} {
			t.Run(adapter+"/"+tt.step, func(t *testing.T) {
				w := newWorld(t, adapter)
				plan := w.plan(t, "basic-plan", 1)
				before := w.events()
				tt.inject(w)
				_, err := w.svc.Register(context.Background(), reference())
				if !errors.Is(err, errs.Unavailable) || !strings.Contains(errs.From(err).Message, "at the "+tt.step+" step") {
					t.Fatalf("err = %v, want the injected fault named at the %s step", err, tt.step)
				}
				ctx := context.Background()
				if _, n, _ := w.customers.List(ctx, customers.ListFilter{}); n != 0 {
					t.Errorf("%d customers left", n)
				}
				if _, n, _ := w.memberships.List(ctx, memberships.ListFilter{}); n != 0 {
					t.Errorf("%d memberships left", n)
				}
				if _, n, _ := w.payments.List(ctx, payments.ListFilter{}); n != 0 {
					t.Errorf("%d payments left", n)
				}
				if p, _ := w.products.Get(ctx, plan.ID); p.Stock != 1 {
					t.Errorf("stock %d left", p.Stock)
				}
				if s := w.sites.All(); len(s) != 0 {
					t.Errorf("sites left %+v", s)
				}
				if (len(w.sites.Deleted) == 1) != tt.site {
					t.Errorf("deleted sites %v", w.sites.Deleted)
				}
				if after := w.events(); len(after) != len(before) {
					t.Errorf("events of the failed registration: %v", after[len(before):])
				}
				// Nothing remains: the same registration now succeeds.
				*w = *newWorldFrom(w)
				if _, err := w.svc.Register(ctx, reference()); err != nil {
					t.Fatalf("retry: %v", err)
				}
			})
		}
	}
}

// newWorldFrom clears w's faults.
func newWorldFrom(w *world) *world {
	w.faults, w.tx.commit = faults{}, nil
	w.sites.FailCreate = nil
	return w
}

func TestRegisterValidation(t *testing.T) {
	w := newWorld(t, "memory")
	w.plan(t, "basic-plan", products.Unlimited)
	ctx := context.Background()
	_, err := w.svc.Register(ctx, reference())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		mod    func(r *checkout.Request)
		kind   errs.Kind
		fields []string
	}{
		{"nothing", func(r *checkout.Request) { *r = checkout.Request{} }, errs.Missing, []string{"customer", "products"}},
		{"bad customer", func(r *checkout.Request) {
			r.Customer = &checkout.NewCustomer{Username: "ab", Password: "12345", Email: "nope"}
			r.Site.URL = "other1"
		}, errs.Invalid, []string{"customer.email", "customer.password", "customer.username"}},
		{"unknown product", func(r *checkout.Request) {
			r.Products = []string{"gold"}
			r.Site.URL = "other1"
			r.Customer.Username = "other1"
		}, errs.Invalid, []string{"products"}},
		{"site taken, title short", func(r *checkout.Request) {
			r.Customer.Username, r.Customer.Email = "other1", "o@example.com"
			r.Site.Title = "abc"
		}, errs.Invalid, []string{"site.site_title", "site.site_url"}},
		{"site url shape", func(r *checkout.Request) { r.Customer.Username = "other1"; r.Site.URL = "My-Site" }, errs.Invalid, []string{"site.site_url"}},
		{"period not sold", func(r *checkout.Request) {
			r.Customer.Username, r.Site.URL, r.Duration, r.DurationUnit = "other1", "other1", 2, "year"
		}, errs.Invalid, []string{"duration"}},
		{"statuses", func(r *checkout.Request) {
			r.Customer.Username, r.Site.URL, r.PaymentStatus, r.MembershipStatus = "other1", "other1", "paid", "live"
		}, errs.Invalid, []string{"membership.status", "payment.status"}},
		{"customer_id and customer", func(r *checkout.Request) { r.CustomerID = 1; r.Site.URL = "other1" }, errs.Invalid, []string{"customer"}},
		{"unknown customer_id", func(r *checkout.Request) { r.Customer, r.CustomerID, r.Site.URL = nil, 99, "other1" }, errs.Invalid, []string{"customer_id"}},
		{"taken username", func(r *checkout.Request) { r.Customer.Email, r.Site.URL = "x@example.com", "other1" }, errs.Conflict, []string{"customer.username"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := reference()
			r.Customer = &checkout.NewCustomer{Username: "newuser", Password: "securepass123", Email: "newuser@example.com"}
			r.Site = &checkout.Site{URL: "mynewsite", Title: "My New Site"}
			tt.mod(&r)
			_, err := w.svc.Register(ctx, r)
			e := errs.From(err)
			if !errors.Is(err, tt.kind) || strings.Join(e.Fields(), ",") != strings.Join(tt.fields, ",") {
				t.Fatalf("err = %v (fields %v), want %s naming %v", err, e.Fields(), tt.kind, tt.fields)
			}
		})
	}
	if _, n, _ := w.customers.List(ctx, customers.ListFilter{}); n != 1 {
		t.Fatalf("refused registrations wrote customers: %d", n)
	}
}

func TestRegisterAnotherPeriodAndHiddenEmail(t *testing.T) {
	w := newWorld(t, "memory")
	plan := w.plan(t, "basic-plan", products.Unlimited)
	ctx := context.Background()
	_, err := w.catalog.UpdatePricing(ctx, 1, products.PricingInput{Prices: map[string]*string{"annually": ptr("299")},
		Setup: map[string]*string{"annually": ptr("0")}})
	if err != nil {
		t.Fatal(err)
	}
	r := reference()
	r.Duration, r.DurationUnit = 1, "year"
	// As the reference's page carries it: a no-break space, which a copy
	// and paste of the example keeps.
	r.Customer.Email = " [email\u00a0protected] "
	res, err := w.svc.Register(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if m := res.Membership; m.Amount != 29900 || m.InitialAmount != 29900 || m.Duration != 1 || m.DurationUnit != "year" ||
		m.PlanID != plan.ID || !m.DateExpiration.Equal(now.AddDate(1, 0, 0)) {
		t.Fatalf("yearly membership %+v", m)
	}
	if res.Customer.User.Email != "newuser@users.invalid" {
		t.Fatalf("email %q", res.Customer.User.Email)
	}
}

// TestLastItemSoldOnce: registrations racing for the last item of a plan
// sell it once; the others are told it is out of stock and leave nothing.
func TestLastItemSoldOnce(t *testing.T) {
	for _, adapter := range adapters {
		t.Run(adapter, func(t *testing.T) {
			w := newWorld(t, adapter)
			w.plan(t, "basic-plan", 1)
			ctx := context.Background()
			const n = 8
			var wg sync.WaitGroup
			errc := make(chan error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := reference()
					name := "buyer" + string(rune('a'+i))
					r.Customer = &checkout.NewCustomer{Username: name, Password: "securepass123", Email: name + "@example.com"}
					r.Site = &checkout.Site{URL: "site" + string(rune('a'+i)) + "x", Title: "Site of " + name}
					_, err := w.svc.Register(ctx, r)
					errc <- err
				}()
			}
			wg.Wait()
			close(errc)
			won := 0
			for err := range errc {
				switch {
				case err == nil:
					won++
				case errors.Is(err, errs.Conflict) && errs.From(err).Params["products"] != "":
				default:
					t.Errorf("unexpected: %v", err)
				}
			}
			if won != 1 {
				t.Fatalf("%d registrations won the last item", won)
			}
			if _, c, _ := w.customers.List(ctx, customers.ListFilter{}); c != 1 {
				t.Fatalf("%d customers, want the winner only", c)
			}
			if s := w.sites.All(); len(s) != 1 {
				t.Fatalf("%d sites", len(s))
			}
		})
	}
}

// slowSites holds every site creation until released.
type slowSites struct {
	*fakesites.Sites
	inside  chan struct{}
	release chan struct{}
}

func (s slowSites) Create(ctx context.Context, in sites.CreateSite) (sites.Site, error) {
	s.inside <- struct{}{}
	<-s.release
	return s.Sites.Create(ctx, in)
}

// TestConcurrencyBound: with Concurrency 1, a second registration waits
// outside its transaction while the first is inside (creating its site),
// and gives up when its request ends.
func TestConcurrencyBound(t *testing.T) {
	w := newWorld(t, "memory")
	w.plan(t, "basic-plan", products.Unlimited)
	slow := slowSites{Sites: w.sites, inside: make(chan struct{}, 2), release: make(chan struct{})}
	hasher, _ := password.NewArgon2id(password.Params{Memory: 64, Time: 1, Threads: 1})
	clock := func() time.Time { return now }
	ms := memberships.NewService(w.memberships, w.customers, w.products, w.tx.Runner, clock)
	svc := checkout.NewService(checkout.Deps{
		Customers: customers.NewService(w.customers, hasher, clock), Hasher: hasher, Catalog: w.catalog, Memberships: ms,
		Payments: payments.NewService(w.payments, w.customers, w.memberships, w.products, clock), Sites: slow, Tx: w.tx, Concurrency: 1,
	})
	first := make(chan error)
	go func() {
		_, err := svc.Register(context.Background(), reference())
		first <- err
	}()
	<-slow.inside
	r := reference()
	r.Customer = &checkout.NewCustomer{Username: "second", Password: "securepass123", Email: "second@example.com"}
	r.Site = &checkout.Site{URL: "secondsite", Title: "Second site"}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := svc.Register(ctx, r); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("second while the first holds the slot: %v", err)
	}
	if _, n, _ := w.customers.List(context.Background(), customers.ListFilter{}); n != 1 {
		t.Fatalf("%d customers: the waiting registration wrote", n)
	}
	close(slow.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Register(context.Background(), r); err != nil {
		t.Fatalf("after the slot is free: %v", err)
	}
}
