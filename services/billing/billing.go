// Package billing is Hostplane's billing service: users and customers, the
// catalogue (products, groups, pricings), memberships (cx services, sb
// subscriptions), payments, renewals and checkout. It serves the wu
// customers, products, memberships, payments and register routes; the cx
// customers, products, groups, pricings and services; the sb plans and
// subscriptions; and the internal routes other services read through
// billing/client. Every change writes an event to the outbox in its
// transaction; a relay publishes them to the Redis Stream
// hostplane:events:billing (or to the in-process bus of single-node mode).
package billing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/services/billing/billingevent"
	"github.com/hostplane/hostplane/services/billing/businessmetrics"
	"github.com/hostplane/hostplane/services/billing/checkout"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/groups"
	"github.com/hostplane/hostplane/services/billing/idempotency"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/memory"
	"github.com/hostplane/hostplane/services/billing/password"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/postgres"
	"github.com/hostplane/hostplane/services/billing/products"
	"github.com/hostplane/hostplane/services/billing/renewal"
	"github.com/hostplane/hostplane/services/billing/subscriptions"
	"github.com/hostplane/hostplane/services/billing/transport"
	"github.com/hostplane/hostplane/services/billing/txn"
)

// Name is the service name registered in Consul.
const Name = "billing"

// Config configures the billing service.
type Config struct {
	component.Config
	Addr              string `env:"HOSTPLANE_BILLING_ADDR" flag:"addr" default:":8082" usage:"listen address"`
	DatabaseURL       string `env:"HOSTPLANE_BILLING_DATABASE_URL" usage:"billing database (default: HOSTPLANE_DATABASE_URL with database hostplane_billing)"`
	SharedDatabaseURL string `env:"HOSTPLANE_DATABASE_URL" usage:"PostgreSQL server URL; each service uses its own database on it"`
	RedisURL          string `env:"HOSTPLANE_REDIS_URL" usage:"Redis the event relay publishes billing's events to (empty: the in-process bus of single-node mode)"`
	DBMaxConns        int    `env:"HOSTPLANE_BILLING_DB_MAX_CONNS" default:"16" usage:"PostgreSQL connections of this instance (registrations use at most half at once)"`
	// Argon2id cost of password hashes: by default the lowest-memory of
	// OWASP's equivalent settings (m=7 MiB, t=5, p=1), so that a hash does not
	// hold 19 MiB of a small service's memory.
	Argon2Memory  int `env:"HOSTPLANE_BILLING_ARGON2_MEMORY_KIB" default:"7168" usage:"argon2id memory of password hashes, KiB"`
	Argon2Time    int `env:"HOSTPLANE_BILLING_ARGON2_TIME" default:"5" usage:"argon2id passes of password hashes"`
	Argon2Threads int `env:"HOSTPLANE_BILLING_ARGON2_THREADS" default:"1" usage:"argon2id lanes of password hashes"`
	// Admission of registrations: past HashConcurrency hashing and
	// HashQueue waiting, a registration is refused with 503 and Retry-After.
	HashConcurrency int `env:"HOSTPLANE_BILLING_HASH_CONCURRENCY" default:"0" usage:"registrations hashing a password at once (0: twice GOMAXPROCS)"`
	HashQueue       int `env:"HOSTPLANE_BILLING_HASH_QUEUE" default:"0" usage:"registrations waiting to hash (0: twice the concurrency; -1: none)"`
	// The renewal scheduler.
	RenewalInterval time.Duration `env:"HOSTPLANE_BILLING_RENEWAL_INTERVAL" default:"30s" usage:"how often memberships due are renewed or expired"`
	RenewalGrace    time.Duration `env:"HOSTPLANE_BILLING_RENEWAL_GRACE" default:"72h" usage:"how long an unpaid renewal waits before its membership expires"`
}

// PasswordParams are the Argon2id parameters of c (valid once c is).
func (c *Config) PasswordParams() password.Params {
	return password.Params{Memory: uint32(c.Argon2Memory), Time: uint32(c.Argon2Time), Threads: uint8(c.Argon2Threads)}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	if c.Argon2Memory < 1 || c.Argon2Memory > math.MaxUint32 || c.Argon2Time < 1 || c.Argon2Time > math.MaxUint32 ||
		c.Argon2Threads < 1 || c.Argon2Threads > 255 {
		return errors.New("HOSTPLANE_BILLING_ARGON2_*: memory and time must be positive, threads between 1 and 255")
	}
	if err := c.PasswordParams().Validate(); err != nil {
		return fmt.Errorf("HOSTPLANE_BILLING_ARGON2_*: %w", err)
	}
	if c.HashConcurrency < 0 || c.HashQueue < -1 {
		return errors.New("HOSTPLANE_BILLING_HASH_CONCURRENCY must not be negative, HOSTPLANE_BILLING_HASH_QUEUE not below -1")
	}
	if c.DBMaxConns < 2 || c.DBMaxConns > 1000 {
		return errors.New("HOSTPLANE_BILLING_DB_MAX_CONNS must be between 2 and 1000")
	}
	if c.RenewalInterval < 0 || c.RenewalGrace < 0 {
		return errors.New("HOSTPLANE_BILLING_RENEWAL_*: durations must not be negative")
	}
	return nil
}

// Deps are what a caller may provide instead of the defaults.
type Deps struct {
	// Now dates every change (nil: time.Now).
	Now func() time.Time
	// Events is the in-process bus of single-node mode: without
	// HOSTPLANE_REDIS_URL, billing's events are published to it.
	Events *events.Local
	// Sites replaces the sites service's client (tests).
	Sites checkout.Sites
}

// App is a wired billing service.
type App struct {
	Customers     customers.Service
	Groups        groups.Service
	Products      products.Service
	Memberships   memberships.Service
	Payments      payments.Service
	Checkout      checkout.Service
	Subscriptions subscriptions.Service
	Scheduler     *renewal.Scheduler
	API           http.Handler
	closers       []func()
}

// Close stops the background work and releases the service's connections.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

func (c *Config) database() pgkit.ServiceDatabase {
	return pgkit.ServiceDatabase{Own: c.DatabaseURL, Shared: c.SharedDatabaseURL, Name: "hostplane_billing", Migrations: postgres.Migrations()}
}

// Migrate creates the billing database when needed and applies its migrations.
func Migrate(ctx context.Context, cfg Config, log *slog.Logger) error {
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{}, log)
	if pool != nil {
		pool.Close()
	}
	return err
}

// stores are the adapters one wiring uses.
type stores struct {
	customers   customers.Store
	groups      groups.Store
	products    products.Store
	memberships memberships.Store
	payments    payments.Store
	renewals    renewal.Store
	idempotency idempotency.Store
	tx          txn.Runner
	outbox      events.Source
	wake        <-chan struct{}
}

func memoryStores() stores {
	m := memory.NewStores()
	return stores{customers: m.Customers, groups: m.Groups, products: m.Products, memberships: m.Memberships,
		payments: m.Payments, renewals: m.Renewals, idempotency: m.Idempotency, tx: m.Runner, outbox: m.Outbox,
		wake: m.Outbox.Wake()}
}

// New wires stores, services and transports: PostgreSQL when a database is
// configured, in-memory stores otherwise. It starts the event relay and
// the renewal scheduler, which Close stops.
func New(ctx context.Context, cfg Config, rt *component.Runtime, deps Deps) (*App, error) {
	app := &App{}
	hasher, err := password.NewArgon2id(cfg.PasswordParams())
	if err != nil {
		return nil, err
	}
	st := memoryStores()
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{Tracer: rt.Tracing.Tracer, MaxConns: int32(cfg.DBMaxConns)}, rt.Log)
	if err != nil {
		return nil, err
	}
	if pool != nil {
		app.closers = append(app.closers, pool.Close)
		st = stores{customers: postgres.NewCustomers(pool), groups: postgres.NewGroups(pool), products: postgres.NewProducts(pool),
			memberships: postgres.NewMemberships(pool), payments: postgres.NewPayments(pool), renewals: postgres.NewRenewals(pool),
			idempotency: postgres.NewIdempotency(pool), tx: postgres.Runner{Pool: pool},
			outbox: &events.PostgresOutbox{Pool: pool, Source: billingevent.Source}}
		rt.Health.Add(httpkit.Check{Name: "postgres", Critical: true, Fn: pgkit.Ping(pool)})
	}
	sink, err := eventSink(cfg, rt, deps, app)
	if err != nil {
		app.Close()
		return nil, err
	}
	sites := deps.Sites
	if sites == nil {
		sites = &lazySites{rt: rt}
	}
	reg := rt.Metrics.Registry

	cs := customers.NewService(st.customers, hasher, deps.Now)
	cs = customers.InstrumentingMiddleware(reg)(customers.LoggingMiddleware(rt.Log)(cs))
	gs := groups.NewService(st.groups, deps.Now)
	gs = groups.InstrumentingMiddleware(reg)(groups.LoggingMiddleware(rt.Log)(gs))
	ps := products.NewService(st.products, st.tx, deps.Now)
	ps = products.InstrumentingMiddleware(reg)(products.LoggingMiddleware(rt.Log)(ps))
	ms := memberships.NewService(st.memberships, st.customers, st.products, st.tx, deps.Now)
	ms = memberships.InstrumentingMiddleware(reg)(memberships.LoggingMiddleware(rt.Log)(ms))
	pays := payments.NewService(st.payments, st.customers, st.memberships, st.products, deps.Now)
	pays = payments.InstrumentingMiddleware(reg)(payments.LoggingMiddleware(rt.Log)(pays))
	concurrency := 0
	if pool != nil {
		concurrency = max(1, cfg.DBMaxConns/2)
	}
	co := checkout.NewService(checkout.Deps{Customers: cs, Hasher: hasher, Catalog: ps, Memberships: ms, Payments: pays,
		Sites: sites, Tx: st.tx, Log: rt.Log, Concurrency: concurrency, Hashing: cfg.HashConcurrency, HashQueue: cfg.HashQueue})
	co = checkout.InstrumentingMiddleware(reg)(checkout.LoggingMiddleware(rt.Log)(co))
	subs := subscriptions.NewService(sites, ms, ps)
	subs = subscriptions.InstrumentingMiddleware(reg)(subscriptions.LoggingMiddleware(rt.Log)(subs))
	app.Customers, app.Groups, app.Products, app.Memberships, app.Payments, app.Checkout, app.Subscriptions = cs, gs, ps, ms, pays, co, subs
	app.Scheduler = &renewal.Scheduler{Store: st.renewals, Memberships: st.memberships, Payments: st.payments, Tx: st.tx,
		Now: deps.Now, Interval: cfg.RenewalInterval, Grace: cfg.RenewalGrace, Log: rt.Log, Metrics: renewal.NewMetrics(reg)}

	router := httpkit.NewRouter()
	eps := transport.Endpoints{
		Customers: customers.MakeEndpoints(cs), Products: products.MakeEndpoints(ps), Groups: groups.MakeEndpoints(gs),
		Memberships: memberships.MakeEndpoints(ms), Payments: payments.MakeEndpoints(pays), Checkout: checkout.MakeEndpoints(co),
		Subscriptions: subscriptions.MakeEndpoints(subs), Options: subs,
	}
	transport.MountWU(router, eps, transport.Retries{Store: st.idempotency, Secret: []byte(cfg.InternalSecret), Now: deps.Now})
	transport.MountCX(router, eps)
	transport.MountSB(router, eps)
	transport.MountInternal(router, eps)
	app.API = router

	// The relay counts what it publishes for the business metrics.
	business := businessmetrics.New(reg)
	membershipsChanged := make(chan struct{}, 1)
	sink = &businessmetrics.Sink{Next: sink, Metrics: business, Changed: membershipsChanged}
	app.background(ctx, func(ctx context.Context) {
		relay := &events.Relay{Source: st.outbox, Sink: sink, Stream: billingevent.Stream, Wake: st.wake, Log: rt.Log}
		_ = relay.Run(ctx)
	})
	refresher := &businessmetrics.Refresher{Metrics: business, Wake: membershipsChanged, Log: rt.Log,
		Count: func(ctx context.Context) (int, error) {
			_, n, err := st.memberships.List(ctx, memberships.ListFilter{Status: memberships.StatusActive, Limit: 1})
			return n, err
		}}
	app.background(ctx, refresher.Run)
	if cfg.RenewalInterval > 0 {
		app.background(ctx, app.Scheduler.Run)
	}
	app.background(ctx, func(ctx context.Context) { sweep(ctx, st.idempotency, rt.Log) })
	return app, nil
}

// background runs fn until Close.
func (a *App) background(ctx context.Context, fn func(context.Context)) {
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		fn(bg)
	}()
	a.closers = append(a.closers, func() { cancel(); wg.Wait() })
}

// eventSink is where the relay publishes: Redis when configured, else the
// in-process bus, else nowhere (a standalone billing without Redis has no
// consumer to reach).
func eventSink(cfg Config, rt *component.Runtime, deps Deps, app *App) (events.Sink, error) {
	if cfg.RedisURL != "" {
		c, err := redisx.Open(cfg.RedisURL, redisx.Options{Timeout: 2 * time.Second, Tracer: rt.Tracing.Tracer})
		if err != nil {
			return nil, err
		}
		app.closers = append(app.closers, func() { _ = c.Close() })
		rt.Health.Add(httpkit.Check{Name: "redis", Fn: redisx.Ping(c)})
		return &events.RedisSink{Client: c}, nil
	}
	if deps.Events != nil {
		return deps.Events, nil
	}
	rt.Log.Warn("billing events are not published: set HOSTPLANE_REDIS_URL")
	return events.NewLocal(), nil
}

// sweep forgets idempotency keys older than their TTL, hourly.
func sweep(ctx context.Context, s idempotency.Store, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if _, err := s.Sweep(ctx, time.Now().Add(-idempotency.TTL)); err != nil && ctx.Err() == nil {
			log.Warn("idempotency sweep failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Run runs the billing service until ctx ends.
func Run(ctx context.Context, cfg Config, logOut io.Writer) error {
	return component.Run(ctx, Name, cfg.Addr, cfg.Config, &cfg, logOut, func(rt *component.Runtime) (http.Handler, func(), error) {
		app, err := New(ctx, cfg, rt, Deps{})
		if err != nil {
			return nil, nil, err
		}
		return app.API, app.Close, nil
	})
}
