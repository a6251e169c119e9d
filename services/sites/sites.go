// Package sites is Hostplane's sites service: sites, domains, templates,
// jobs and backups. It serves wu sites and domains, sb sites, backups and
// jobs, and the internal site routes billing, tenancy and stats call
// (sites/client). Every asynchronous operation is a job run by workers in
// this process (several instances share the jobs through PostgreSQL); site
// files live under HOSTPLANE_DATA_DIR. It publishes site, domain and backup
// events and follows billing's membership events.
package sites

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/redisx"
	billingclient "github.com/hostplane/hostplane/services/billing/client"
	"github.com/hostplane/hostplane/services/sites/backups"
	"github.com/hostplane/hostplane/services/sites/billingport"
	"github.com/hostplane/hostplane/services/sites/consumer"
	"github.com/hostplane/hostplane/services/sites/domains"
	"github.com/hostplane/hostplane/services/sites/files"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/hostplane/hostplane/services/sites/memory"
	"github.com/hostplane/hostplane/services/sites/postgres"
	"github.com/hostplane/hostplane/services/sites/site"
	"github.com/hostplane/hostplane/services/sites/transport"
)

// Name is the service name registered in Consul.
const Name = "sites"

// Config configures the sites service.
type Config struct {
	component.Config
	Addr              string        `env:"HOSTPLANE_SITES_ADDR" flag:"addr" default:":8083" usage:"listen address"`
	DatabaseURL       string        `env:"HOSTPLANE_SITES_DATABASE_URL" secret:"true" usage:"sites database (default: HOSTPLANE_DATABASE_URL with database hostplane_sites)"`
	SharedDatabaseURL string        `env:"HOSTPLANE_DATABASE_URL" secret:"true" usage:"PostgreSQL server URL; each service uses its own database on it"`
	RedisURL          string        `env:"HOSTPLANE_REDIS_URL" secret:"true" usage:"Redis URL (event streams)"`
	DataDir           string        `env:"HOSTPLANE_DATA_DIR" flag:"data-dir" usage:"directory of site files and backups (required; hostplane dev defaults to the user cache dir)"`
	BaseDomain        string        `env:"HOSTPLANE_SITES_BASE_DOMAIN" default:"localhost" usage:"sites without a domain are <code>.<base domain>"`
	BackupRetention   int           `env:"HOSTPLANE_SITES_BACKUP_RETENTION" default:"10" usage:"backups kept per site (the oldest are removed)"`
	JobWorkers        int           `env:"HOSTPLANE_SITES_JOB_WORKERS" default:"2" usage:"jobs run at once by this instance"`
	JobLease          time.Duration `env:"HOSTPLANE_SITES_JOB_LEASE" default:"30s" usage:"a job whose worker is silent this long is taken over"`
	DomainCheck       time.Duration `env:"HOSTPLANE_SITES_DOMAIN_CHECK_INTERVAL" default:"1m" usage:"time between two checks of a domain's DNS or certificate"`
	DNSTargets        string        `env:"HOSTPLANE_SITES_DNS_TARGETS" usage:"addresses mapped domains must resolve to, comma-separated (empty: any)"`
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	switch {
	case c.BackupRetention < 1:
		return errors.New("HOSTPLANE_SITES_BACKUP_RETENTION must be at least 1")
	case c.JobWorkers < 1 || c.JobWorkers > 64:
		return errors.New("HOSTPLANE_SITES_JOB_WORKERS must be between 1 and 64")
	case c.JobLease < 3*time.Second:
		return errors.New("HOSTPLANE_SITES_JOB_LEASE must be at least 3s")
	case c.DomainCheck < time.Second:
		return errors.New("HOSTPLANE_SITES_DOMAIN_CHECK_INTERVAL must be at least 1s")
	}
	if _, err := site.NormalizeDomain(c.BaseDomain); err != nil && c.BaseDomain != "localhost" {
		return fmt.Errorf("HOSTPLANE_SITES_BASE_DOMAIN: %w", err)
	}
	for _, t := range targets(c.DNSTargets) {
		if net.ParseIP(t) == nil {
			return fmt.Errorf("HOSTPLANE_SITES_DNS_TARGETS: %q is not an IP address", t)
		}
	}
	return nil
}

func targets(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// DevDataDir is the data directory single-node mode uses when
// HOSTPLANE_DATA_DIR is unset: hostplane-data under the user cache dir.
func DevDataDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "hostplane-data")
}

func (c *Config) database() pgkit.ServiceDatabase {
	return pgkit.ServiceDatabase{Own: c.DatabaseURL, Shared: c.SharedDatabaseURL, Name: "hostplane_sites", Migrations: postgres.Migrations()}
}

// Migrate creates the sites database when needed and applies its
// migrations.
func Migrate(ctx context.Context, cfg Config, log *slog.Logger) error {
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{}, log)
	if pool != nil {
		pool.Close()
	}
	return err
}

// Deps are what a caller may provide instead of the configured ones.
type Deps struct {
	// Events is the in-process bus of single-node mode without Redis: the
	// service publishes its events on it and follows billing's there.
	Events *events.Local
	// Billing replaces the billing client (tests).
	Billing site.Billing
	// Resolver and Prober replace the system resolver and the TLS prober
	// of domain checks (tests).
	Resolver domains.Resolver
	Prober   domains.Prober
	// Now dates every change (nil: time.Now).
	Now func() time.Time
	// NoBackground leaves the job workers, the domain checker and the
	// event relay and consumer stopped (tests drive them).
	NoBackground bool
}

// App is a wired sites service.
type App struct {
	Sites   site.Service
	Domains domains.Service
	Jobs    jobs.Service
	Backups backups.Service
	Runner  *jobs.Runner
	Checker *domains.Checker
	Layout  files.Layout
	// Relay publishes the service's events (nil when nowhere to).
	Relay *events.Relay
	API   http.Handler

	closers []func()
}

// Close stops the background work and releases the connections.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

func owner() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

type stores struct {
	sites   site.Store
	domains domains.Store
	jobs    jobs.Store
	backups backups.Store
	source  events.Source
	wake    <-chan struct{}
}

// New wires stores, services, transports and background work:
// PostgreSQL when a database is configured, in-memory stores otherwise.
func New(ctx context.Context, cfg Config, rt *component.Runtime, deps Deps) (*App, error) {
	app := &App{}
	fail := func(err error) (*App, error) { app.Close(); return nil, err }
	dir := cfg.DataDir
	if dir == "" {
		dir = DevDataDir()
	}
	layout, err := files.Open(dir)
	if err != nil {
		return nil, err
	}
	app.Layout = layout
	rt.Health.Add(httpkit.Check{Name: "data_dir", Critical: true, Fn: func(context.Context) (string, error) {
		_, err := os.Stat(filepath.Join(layout.Dir, "sites"))
		return layout.Dir, err
	}})
	_ = layout.CleanTemp(24 * time.Hour)

	var st stores
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{Tracer: rt.Tracing.Tracer}, rt.Log)
	if err != nil {
		return nil, err
	}
	if pool != nil {
		app.closers = append(app.closers, pool.Close)
		st = stores{postgres.NewSites(pool), postgres.NewDomains(pool), postgres.NewJobs(pool), postgres.NewBackups(pool), postgres.Source(pool), nil}
		rt.Health.Add(httpkit.Check{Name: "postgres", Critical: true, Fn: pgkit.Ping(pool)})
	} else {
		db := memory.New(nil)
		st = stores{db.Sites(), db.Domains(), db.Jobs(), db.Backups(), db.Outbox(), db.Outbox().Wake()}
	}

	bill := deps.Billing
	if bill == nil {
		if up, err := rt.Upstream(ctx, billingclient.Service); err == nil {
			bill = billingport.New(billingclient.New(up))
		} else {
			rt.Log.Warn("sites: no billing service: customers, memberships and plans are taken as given", "err", err)
		}
	}

	runner := &jobs.Runner{Store: st.jobs, Owner: owner(), Workers: cfg.JobWorkers, Lease: cfg.JobLease, Log: rt.Log,
		Metrics: jobs.NewMetrics(rt.Metrics.Registry, st.jobs.Queued)}
	if deps.Now != nil {
		runner.Now = deps.Now
	}
	var jobSvc jobs.Service = jobs.NewService(st.jobs, runner.Wake, deps.Now)
	jobSvc = jobs.LoggingMiddleware(rt.Log)(jobSvc)
	jobSvc = jobs.InstrumentingMiddleware(rt.Metrics.Registry)(jobSvc)

	var siteSvc site.Service = site.NewService(st.sites, layout, bill, jobSvc, site.Options{BaseDomain: cfg.BaseDomain, Now: deps.Now})
	siteSvc = site.LoggingMiddleware(rt.Log)(siteSvc)
	siteSvc = site.InstrumentingMiddleware(rt.Metrics.Registry)(siteSvc)

	var domSvc domains.Service = domains.NewService(st.domains, siteSvc, deps.Now)
	domSvc = domains.LoggingMiddleware(rt.Log)(domSvc)
	domSvc = domains.InstrumentingMiddleware(rt.Metrics.Registry)(domSvc)

	var bakSvc backups.Service = backups.NewService(st.backups, siteSvc, layout, jobSvc, backups.Options{Retention: cfg.BackupRetention, Now: deps.Now})
	bakSvc = backups.LoggingMiddleware(rt.Log)(bakSvc)
	bakSvc = backups.InstrumentingMiddleware(rt.Metrics.Registry)(bakSvc)

	runner.Handlers = map[string]jobs.Handler{
		jobs.KindSiteCreate:    siteSvc.Provision,
		jobs.KindSiteCopy:      siteSvc.Provision,
		jobs.KindBackupCreate:  bakSvc.RunBackup,
		jobs.KindBackupRestore: bakSvc.RunRestore,
	}
	app.Sites, app.Domains, app.Jobs, app.Backups, app.Runner = siteSvc, domSvc, jobSvc, bakSvc, runner

	resolver, prober := deps.Resolver, deps.Prober
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	if prober == nil {
		prober = domains.TLSProber{}
	}
	app.Checker = &domains.Checker{Store: st.domains, Resolver: resolver, Prober: prober, Targets: targets(cfg.DNSTargets),
		Interval: cfg.DomainCheck, Log: rt.Log, Now: deps.Now}

	system := principal.With(ctx, &principal.Principal{System: true, Permissions: []string{"*"}})
	if _, err := siteSvc.EnsureTemplate(system); err != nil {
		return fail(fmt.Errorf("sites: default template: %w", err))
	}

	// Events: out through the relay, in from billing.
	var sink events.Sink
	handler := consumer.Handler(siteSvc)
	var redisConsumer *events.Consumer
	switch {
	case cfg.RedisURL != "":
		rc, err := redisx.Open(cfg.RedisURL, redisx.Options{Timeout: 5 * time.Second, Tracer: rt.Tracing.Tracer})
		if err != nil {
			return fail(err)
		}
		app.closers = append(app.closers, func() { _ = rc.Close() })
		rt.Health.Add(httpkit.Check{Name: "redis", Critical: false, Fn: redisx.Ping(rc)})
		sink = &events.RedisSink{Client: rc}
		redisConsumer = &events.Consumer{Client: rc, Stream: consumer.Stream, Group: consumer.Group, Name: runner.Owner,
			Handler: handler, Log: rt.Log}
	case deps.Events != nil:
		sink = deps.Events
		deps.Events.Subscribe(consumer.Stream, consumer.Group, handler)
	case pool == nil:
		sink = discard{} // nobody listens: keep the in-memory outbox empty
	}
	if sink != nil {
		app.Relay = &events.Relay{Source: st.source, Sink: sink, Stream: events.Stream(site.Source), Wake: st.wake, Log: rt.Log}
	}

	router := httpkit.NewRouter()
	roots := transport.Roots(layout.Root)
	siteEps := site.MakeEndpoints(siteSvc)
	transport.MountWU(router, siteEps, domains.MakeEndpoints(domSvc))
	transport.MountSB(router, siteEps, backups.MakeEndpoints(bakSvc), jobs.MakeEndpoints(jobSvc))
	transport.MountInternal(router, siteEps, roots)
	app.API = router

	if !deps.NoBackground {
		bg, stop := context.WithCancel(context.WithoutCancel(ctx))
		var wg sync.WaitGroup
		start := func(f func()) { wg.Add(1); go func() { defer wg.Done(); f() }() }
		start(func() { runner.Run(bg) })
		start(func() { app.Checker.Run(bg, cfg.DomainCheck/4) })
		if app.Relay != nil {
			start(func() { _ = app.Relay.Run(bg) })
		}
		if redisConsumer != nil {
			start(func() {
				// Run fails when Redis is down at start: try again.
				for bg.Err() == nil {
					if err := redisConsumer.Run(bg); err != nil {
						rt.Log.Warn("sites: billing events consumer stopped; retrying", "err", err)
					}
					select {
					case <-bg.Done():
					case <-time.After(time.Second):
					}
				}
			})
		}
		app.closers = append(app.closers, func() { stop(); wg.Wait() })
	}
	return app, nil
}

// discard is a sink that drops events (no Redis and no in-process bus).
type discard struct{}

func (discard) Publish(context.Context, string, []events.Event) error { return nil }

// Run runs the sites service until ctx ends.
func Run(ctx context.Context, cfg Config, logOut io.Writer) error {
	if cfg.DataDir == "" {
		return errors.New("HOSTPLANE_DATA_DIR must be set (the directory of site files and backups)")
	}
	return component.Run(ctx, Name, cfg.Addr, cfg.Config, &cfg, logOut, func(rt *component.Runtime) (http.Handler, func(), error) {
		app, err := New(ctx, cfg, rt, Deps{})
		if err != nil {
			return nil, nil, err
		}
		return app.API, app.Close, nil
	})
}
