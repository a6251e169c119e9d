// Package tenancy is Hostplane's tenancy service: the tenant registry and
// sovereign isolation. A site starts in the shared model — its s<id>_*
// tables in the shared hosting database, created from a template when the
// sites service publishes site.created (or on demand through the internal
// route) — and a bootstrap moves it to a PostgreSQL database and login role
// of its own on the least loaded tenant server, its files under a tenant
// directory and a routing entry in Consul's KV store, with checks that
// prove it and a teardown that removes it all.
//
// It serves the wu dialect's sovereign tenant routes
// (/wp-json/wu/v2/tenants/{site_id}/bootstrap, migration-status, verify,
// DELETE) and the internal routes of its client package; it publishes
// tenant.bootstrapped|verified|deleted|failed on events.Stream("tenancy").
package tenancy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/redisx"
	sitesclient "github.com/hostplane/hostplane/services/sites/client"
	"github.com/hostplane/hostplane/services/tenancy/consumer"
	"github.com/hostplane/hostplane/services/tenancy/files"
	"github.com/hostplane/hostplane/services/tenancy/memory"
	"github.com/hostplane/hostplane/services/tenancy/postgres"
	"github.com/hostplane/hostplane/services/tenancy/routing"
	"github.com/hostplane/hostplane/services/tenancy/secretbox"
	"github.com/hostplane/hostplane/services/tenancy/sitesapi"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
	"github.com/hostplane/hostplane/services/tenancy/transport"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Name is the service name registered in Consul.
const Name = "tenancy"

// Config configures the tenancy service.
type Config struct {
	component.Config
	Addr              string        `env:"HOSTPLANE_TENANCY_ADDR" flag:"addr" default:":8084" usage:"listen address"`
	DatabaseURL       string        `env:"HOSTPLANE_TENANCY_DATABASE_URL" usage:"tenancy database (default: HOSTPLANE_DATABASE_URL with database hostplane_tenancy)"`
	SharedDatabaseURL string        `env:"HOSTPLANE_DATABASE_URL" usage:"PostgreSQL server URL; each service uses its own database on it"`
	HostingURL        string        `env:"HOSTPLANE_HOSTING_DATABASE_URL" usage:"shared hosting database of the sites' s<id>_* tables (default: HOSTPLANE_DATABASE_URL with database hostplane_hosting)"`
	TenantServerURLs  string        `env:"HOSTPLANE_TENANT_DATABASE_URLS" usage:"comma-separated admin URLs of the PostgreSQL servers tenants are placed on, fewest tenants first (default: the hosting database's server)"`
	Key               string        `env:"HOSTPLANE_TENANCY_KEY" secret:"true" usage:"AES-256-GCM key of stored tenant passwords: 32 bytes, hex or base64"`
	DataDir           string        `env:"HOSTPLANE_DATA_DIR" usage:"data directory (the sites service's): tenant directories go in tenants/ (default: hostplane-data in the user cache directory)"`
	RedisURL          string        `env:"HOSTPLANE_REDIS_URL" usage:"Redis: site.created from the sites stream, tenant.* events out"`
	NamePrefix        string        `env:"HOSTPLANE_TENANCY_NAME_PREFIX" default:"tenant_" usage:"tenant databases and roles are named prefix + site id"`
	KVPrefix          string        `env:"HOSTPLANE_TENANCY_KV_PREFIX" default:"hostplane/tenants/" usage:"Consul KV prefix of routing entries"`
	Workers           int           `env:"HOSTPLANE_TENANCY_WORKERS" default:"4" usage:"bootstrap jobs run at once"`
	DeleteWait        time.Duration `env:"HOSTPLANE_TENANCY_DELETE_WAIT" default:"5s" usage:"how long a DELETE waits for a running bootstrap before answering 409"`
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	if c.Key != "" {
		if _, err := secretbox.ParseKey(c.Key); err != nil {
			return errors.New("HOSTPLANE_TENANCY_KEY: must be 32 bytes, as 64 hex digits or base64")
		}
	}
	if !validPrefix(c.NamePrefix) {
		return errors.New("HOSTPLANE_TENANCY_NAME_PREFIX: 1 to 40 characters a-z, 0-9 and _, starting with a letter")
	}
	if c.Workers < 1 || c.Workers > 64 {
		return errors.New("HOSTPLANE_TENANCY_WORKERS: between 1 and 64")
	}
	if c.KVPrefix == "" || strings.HasPrefix(c.KVPrefix, "/") {
		return errors.New("HOSTPLANE_TENANCY_KV_PREFIX: a relative KV path such as hostplane/tenants/")
	}
	return nil
}

func validPrefix(p string) bool {
	if p == "" || len(p) > 40 || p[0] < 'a' || p[0] > 'z' {
		return false
	}
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// Deps are what a caller may provide instead of the configured ones.
type Deps struct {
	// Sites finds sites (default: the sites service through its client).
	Sites tenants.Sites
	// Bus, in single-node mode without Redis, carries events in process:
	// site.created from the sites service in, tenant.* out.
	Bus *events.Local
	// Routing stores routing entries (default: Consul when configured,
	// else in memory).
	Routing tenants.Routing
	Now     func() time.Time
	// AfterStep is tenants.Options.AfterStep (tests).
	AfterStep func(ctx context.Context, siteID int64, s tenants.Step) error
	// BeforeDrop is postgres.IsolationConfig.BeforeDrop (tests).
	BeforeDrop func(siteID int64) error
}

// App is a wired tenancy service.
type App struct {
	Tenants tenants.Service
	Store   tenants.Store
	// Isolation is nil without PostgreSQL.
	Isolation *postgres.Isolation
	Jobs      *tenants.Jobs
	API       http.Handler
	cancel    context.CancelFunc
	closers   []func()
}

// Close stops the background work and releases the connections.
func (a *App) Close() {
	if a.cancel != nil {
		a.cancel()
	}
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
}

func (c *Config) database() pgkit.ServiceDatabase {
	return pgkit.ServiceDatabase{Own: c.DatabaseURL, Shared: c.SharedDatabaseURL, Name: "hostplane_tenancy", Migrations: postgres.Migrations()}
}

// hostingURL is the shared hosting database (created when derived from
// HOSTPLANE_DATABASE_URL); "" without PostgreSQL.
func (c *Config) hostingURL(ctx context.Context) (string, error) {
	dsn, derived, err := pgkit.ServiceURL(c.HostingURL, c.SharedDatabaseURL, "hostplane_hosting")
	if err != nil || dsn == "" {
		return "", err
	}
	if derived {
		if err := pgkit.EnsureDatabase(ctx, dsn); err != nil {
			return "", err
		}
	}
	return dsn, nil
}

// serverURLs splits HOSTPLANE_TENANT_DATABASE_URLS; a comma separates two
// URLs only when a scheme follows it (a password may hold commas).
func serverURLs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if n := len(out); n > 0 && !strings.Contains(p, "://") {
			out[n-1] += "," + p
			continue
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// dataDir is HOSTPLANE_DATA_DIR or, unset, where single-node mode's sites
// service keeps site roots (sites.DevDataDir: hostplane-data in the user
// cache directory), so that the roots it reports are inside it.
func (c *Config) dataDir() string {
	if c.DataDir != "" {
		return c.DataDir
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "hostplane-data")
}

// Migrate creates the tenancy database (and the hosting database) when
// needed and applies the tenancy migrations.
func Migrate(ctx context.Context, cfg Config, log *slog.Logger) error {
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{}, log)
	if pool != nil {
		pool.Close()
	}
	if err != nil {
		return err
	}
	_, err = cfg.hostingURL(ctx)
	return err
}

// New wires stores, services and transports: the PostgreSQL registry and
// isolation when a database is configured; in memory otherwise (where a
// bootstrap is refused with a 409 that says so).
func New(ctx context.Context, cfg Config, rt *component.Runtime, deps Deps) (_ *App, err error) {
	app := &App{} // not the result: a failure returns nil, and closes this
	defer func() {
		if err != nil {
			app.Close()
		}
	}()
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	app.cancel = cancel

	var store tenants.Store
	var outbox events.Source
	var wake <-chan struct{}
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{Tracer: rt.Tracing.Tracer, MaxConns: int32(cfg.Workers) + 8}, rt.Log)
	if err != nil {
		return nil, err
	}
	if pool != nil {
		app.closers = append(app.closers, pool.Close)
		rt.Health.Add(httpkit.Check{Name: "postgres", Critical: true, Fn: pgkit.Ping(pool)})
		locks, err := openLocks(ctx, cfg)
		if err != nil {
			return nil, err
		}
		app.closers = append(app.closers, locks.Close)
		store = postgres.NewTenants(pool, locks)
		outbox = &events.PostgresOutbox{Pool: pool, Source: tenants.Source}
		if app.Isolation, err = openIsolation(ctx, cfg, rt, deps.BeforeDrop); err != nil {
			return nil, err
		}
		app.closers = append(app.closers, app.Isolation.Close)
		for name, p := range app.Isolation.Pools() {
			rt.Health.Add(httpkit.Check{Name: name, Critical: false, Fn: pgkit.Ping(p)})
		}
	} else {
		mem := memory.NewTenants()
		store, outbox, wake = mem, mem.Outbox, mem.Outbox.Wake()
	}
	app.Store = store

	sites := deps.Sites
	if sites == nil {
		up, err := rt.Upstream(ctx, sitesclient.Service)
		if err != nil {
			return nil, err
		}
		sites = sitesapi.New(sitesclient.New(up))
	}
	routes := deps.Routing
	if routes == nil {
		if cfg.ConsulAddr != "" {
			routes = &routing.Consul{Addr: cfg.ConsulAddr, Prefix: cfg.KVPrefix}
		} else {
			routes = &routing.Memory{}
		}
	}
	var sealer tenants.Sealer
	if cfg.Key != "" {
		key, _ := secretbox.ParseKey(cfg.Key) // validated
		if sealer, err = secretbox.New(key); err != nil {
			return nil, err
		}
	}
	app.Jobs = tenants.NewJobs(cfg.Workers)
	app.closers = append(app.closers, app.Jobs.Close)
	opts := tenants.Options{
		Store: store, Sites: sites, Routing: routes, Sealer: sealer, Jobs: app.Jobs,
		Files: &files.Local{DataDir: cfg.dataDir()}, Prefix: cfg.NamePrefix, DeleteWait: cfg.DeleteWait, Now: deps.Now, Log: rt.Log, AfterStep: deps.AfterStep,
		Metrics: tenants.NewMetrics(rt.Metrics.Registry),
	}
	if app.Isolation != nil {
		opts.Isolation = app.Isolation
	}
	svc := tenants.NewService(opts)
	svc = tenants.LoggingMiddleware(rt.Log)(svc)
	svc = tenants.InstrumentingMiddleware(rt.Metrics.Registry)(svc)
	app.Tenants = svc

	if err := startEvents(bg, cfg, rt, deps, app, sites, outbox, wake); err != nil {
		return nil, err
	}
	if app.Isolation != nil {
		if err := tenants.Resume(ctx, svc); err != nil {
			rt.Log.Warn("tenancy: cannot resume unfinished bootstraps", "err", err)
		}
	}

	router := httpkit.NewRouter()
	eps := tenants.MakeEndpoints(svc)
	transport.MountWU(router, eps)
	transport.MountInternal(router, eps)
	app.API = router
	return app, nil
}

// openLocks opens the pool of tenant locks: each held lock (a running job,
// a request) keeps one connection.
func openLocks(ctx context.Context, cfg Config) (*pgxpool.Pool, error) {
	dsn, _, err := pgkit.ServiceURL(cfg.DatabaseURL, cfg.SharedDatabaseURL, "hostplane_tenancy")
	if err != nil {
		return nil, err
	}
	return pgkit.Open(ctx, dsn, pgkit.Options{MaxConns: int32(cfg.Workers) + 16})
}

// openIsolation connects to the hosting database and the tenant servers.
func openIsolation(ctx context.Context, cfg Config, rt *component.Runtime, beforeDrop func(int64) error) (*postgres.Isolation, error) {
	hosting, err := cfg.hostingURL(ctx)
	if err != nil {
		return nil, fmt.Errorf("hosting database: %w", err)
	}
	servers := serverURLs(cfg.TenantServerURLs)
	if len(servers) == 0 {
		servers = []string{hosting}
	}
	return postgres.NewIsolation(ctx, postgres.IsolationConfig{
		HostingURL: hosting, ServerURLs: servers, Prefix: cfg.NamePrefix, Tracer: rt.Tracing.Tracer, MaxConns: int32(cfg.Workers) + 4,
		BeforeDrop: beforeDrop,
	})
}

// startEvents runs the outbox relay and the site.created consumer: over
// Redis when configured, over deps.Bus in single-node mode, else the
// events wait in the outbox (PostgreSQL) or are dropped (memory).
func startEvents(ctx context.Context, cfg Config, rt *component.Runtime, deps Deps, app *App, sites tenants.Sites, outbox events.Source, wake <-chan struct{}) error {
	handler := consumer.Handler(app.Store, app.Tenants, sites, rt.Log)
	var sink events.Sink
	switch {
	case cfg.RedisURL != "":
		rdb, err := redisx.Open(cfg.RedisURL, redisx.Options{Timeout: 5 * time.Second, Tracer: rt.Tracing.Tracer})
		if err != nil {
			return err
		}
		app.closers = append(app.closers, func() { _ = rdb.Close() })
		rt.Health.Add(httpkit.Check{Name: "redis", Fn: redisx.Ping(rdb)})
		sink = &events.RedisSink{Client: rdb}
		c := &events.Consumer{
			Client: rdb, Stream: events.Stream(consumer.SitesSource), Group: consumer.GroupOf(cfg.ConsulTag),
			Name: Name + "-" + consumerName(), Handler: handler, Log: rt.Log,
		}
		go func() { _ = c.Run(ctx) }()
	case deps.Bus != nil:
		sink = deps.Bus
		deps.Bus.Subscribe(events.Stream(consumer.SitesSource), consumer.GroupOf(cfg.ConsulTag), handler)
	case app.Isolation == nil:
		sink = events.NewLocal() // nobody listens: memory events are dropped
	}
	if sink != nil {
		relay := &events.Relay{Source: outbox, Sink: sink, Stream: events.Stream(tenants.Source), Wake: wake, Log: rt.Log}
		go func() { _ = relay.Run(ctx) }()
	}
	return nil
}

// consumerName names this instance in the consumer group.
func consumerName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// Run runs the tenancy service until ctx ends.
func Run(ctx context.Context, cfg Config, logOut io.Writer) error {
	return component.Run(ctx, Name, cfg.Addr, cfg.Config, &cfg, logOut, func(rt *component.Runtime) (http.Handler, func(), error) {
		app, err := New(ctx, cfg, rt, Deps{})
		if err != nil {
			return nil, nil, err
		}
		return app.API, app.Close, nil
	})
}
