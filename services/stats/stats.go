// Package stats is Hostplane's stats service: sites' activity logs, API
// hits, visits, pageviews, orders, carts, form responses and stock
// levels, daily reports, live visitors, resource usage against plan
// limits, and the installation's statistics.
//
// It is fed by the gateways' usage batches (API hits and writes, POST
// /internal/v1/usage), by the sites' front-office event batches (sb POST
// /v1/sites/{code}/events.json) and public pageview beacon (POST
// /collect), and by billing's, sites' and auth's domain events (Redis Streams, a
// consumer group; the in-process bus of single-node mode). It serves the
// sb statistics routes (logs, stats, stats/live, stats/report,
// stats/usage) and the cx statistics.
package stats

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/money"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/apiusage"
	"github.com/hostplane/hostplane/services/stats/directory"
	"github.com/hostplane/hostplane/services/stats/memory"
	"github.com/hostplane/hostplane/services/stats/meter"
	"github.com/hostplane/hostplane/services/stats/postgres"
	"github.com/hostplane/hostplane/services/stats/projection"
	"github.com/hostplane/hostplane/services/stats/quota"
	"github.com/hostplane/hostplane/services/stats/redisstore"
	"github.com/hostplane/hostplane/services/stats/statistics"
	"github.com/hostplane/hostplane/services/stats/traffic"
	"github.com/hostplane/hostplane/services/stats/transport"
	"github.com/redis/go-redis/v9"
)

// Name is the service name registered in Consul.
const Name = "stats"

// Config configures the stats service.
type Config struct {
	component.Config
	Addr              string `env:"HOSTPLANE_STATS_ADDR" flag:"addr" default:":8085" usage:"listen address"`
	DatabaseURL       string `env:"HOSTPLANE_STATS_DATABASE_URL" usage:"stats database (default: HOSTPLANE_DATABASE_URL with database hostplane_stats)"`
	SharedDatabaseURL string `env:"HOSTPLANE_DATABASE_URL" usage:"PostgreSQL server URL; each service uses its own database on it"`
	RedisURL          string `env:"HOSTPLANE_REDIS_URL" usage:"Redis: billing's, sites' and auth's event streams, live visitors (empty: the in-process bus and memory)"`
	Currency          string `env:"HOSTPLANE_STATS_CURRENCY" default:"EUR" usage:"currency of orders and carts that name none (ISO 4217)"`
	ConsumerGroup     string `env:"HOSTPLANE_STATS_CONSUMER_GROUP" default:"stats" usage:"consumer group of the stats instances on the event streams"`
	EventsFrom        string `env:"HOSTPLANE_STATS_EVENTS_FROM" default:"0" usage:"where a new consumer group starts: 0 (the streams' whole history) or $ (new events only)"`
	RedisPrefix       string `env:"HOSTPLANE_STATS_REDIS_PREFIX" default:"hostplane:stats:" usage:"prefix of the live visitors' Redis keys"`
	CollectLimit      string `env:"HOSTPLANE_STATS_COLLECT_LIMIT" default:"60/m" usage:"beacons (POST /collect) allowed per client address: N/s, N/m or N/h"`
	CollectSecret     string `env:"HOSTPLANE_STATS_COLLECT_SECRET" secret:"true" usage:"secret the sites' public collect keys are derived from (default: derived from HOSTPLANE_INTERNAL_SECRET)"`
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	if _, ok := money.Lookup(c.Currency); !ok {
		return fmt.Errorf("HOSTPLANE_STATS_CURRENCY %q is not an ISO 4217 currency", c.Currency)
	}
	if strings.TrimSpace(c.ConsumerGroup) == "" {
		return errors.New("HOSTPLANE_STATS_CONSUMER_GROUP must not be empty")
	}
	if c.EventsFrom != "0" && c.EventsFrom != "$" {
		return errors.New("HOSTPLANE_STATS_EVENTS_FROM must be 0 or $")
	}
	if _, _, err := parseLimit(c.CollectLimit); err != nil {
		return fmt.Errorf("HOSTPLANE_STATS_COLLECT_LIMIT: %w", err)
	}
	return nil
}

// parseLimit reads "N/s", "N/m" or "N/h".
func parseLimit(s string) (int, time.Duration, error) {
	var n int
	var unit string
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d/%s", &n, &unit); err != nil || n <= 0 {
		return 0, 0, errors.New("want N/s, N/m or N/h with N > 0")
	}
	switch unit {
	case "s":
		return n, time.Second, nil
	case "m":
		return n, time.Minute, nil
	case "h":
		return n, time.Hour, nil
	}
	return 0, 0, errors.New("want N/s, N/m or N/h with N > 0")
}

// defaults fills what a configuration built by hand (tests) leaves empty.
func (c *Config) defaults() {
	for _, d := range []struct {
		v   *string
		def string
	}{
		{&c.Currency, "EUR"}, {&c.ConsumerGroup, "stats"}, {&c.EventsFrom, "0"},
		{&c.RedisPrefix, redisstore.DefaultPrefix}, {&c.CollectLimit, "60/m"},
	} {
		if *d.v == "" {
			*d.v = d.def
		}
	}
}

func (c *Config) database() pgkit.ServiceDatabase {
	return pgkit.ServiceDatabase{Own: c.DatabaseURL, Shared: c.SharedDatabaseURL, Name: "hostplane_stats", Migrations: postgres.Migrations()}
}

// collectSecret is the secret of the collect keys.
func (c *Config) collectSecret() string {
	if c.CollectSecret != "" {
		return c.CollectSecret
	}
	return "collect:" + c.InternalSecret
}

// Migrate creates the stats database when needed and applies its
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
	// Events is the in-process bus of single-node mode without Redis:
	// the service follows billing's, sites' and auth's events there.
	Events *events.Local
	// Sites, Plans and Customers replace the sites and billing clients
	// (tests).
	Sites     directory.Remote
	Plans     quota.Plans
	Customers projection.Customers
	// Now dates everything (nil: time.Now).
	Now func() time.Time
	// NoBackground leaves the event consumers stopped (tests drive them).
	NoBackground bool
}

// App is a wired stats service.
type App struct {
	Traffic    traffic.Service
	Activity   activity.Service
	Quota      quota.Service
	Statistics statistics.Service
	Usage      apiusage.Service
	Directory  *directory.Directory
	Store      Store
	// Handler applies one domain event (what the consumers call).
	Handler events.Handler
	// Lag measures how far the consumer group is behind the streams
	// (hostplane_stats_consumer_lag).
	Lag *meter.Lag
	// Consumers read billing's, sites' and auth's streams (nil without
	// Redis).
	Consumers []*events.Consumer
	API       http.Handler

	closers []func()
}

// Close stops the background work and releases the connections.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

// Store is what one wiring persists to: PostgreSQL or memory.
type Store interface {
	traffic.Store
	activity.Store
	projection.Store
}

// New wires stores, services, transports and the event consumers:
// PostgreSQL when a database is configured, memory otherwise; Redis for
// live visitors and events when configured, memory and the in-process bus
// otherwise.
func New(ctx context.Context, cfg Config, rt *component.Runtime, deps Deps) (*App, error) {
	cfg.defaults()
	app := &App{}
	fail := func(err error) (*App, error) { app.Close(); return nil, err }
	limitN, limitPer, err := parseLimit(cfg.CollectLimit)
	if err != nil {
		return nil, err
	}
	var st Store = memory.New()
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{Tracer: rt.Tracing.Tracer}, rt.Log)
	if err != nil {
		return nil, err
	}
	if pool != nil {
		app.closers = append(app.closers, pool.Close)
		st = postgres.New(pool)
		rt.Health.Add(httpkit.Check{Name: "postgres", Critical: true, Fn: pgkit.Ping(pool)})
	}
	var rc *redis.Client
	var live traffic.Live = memory.NewLive()
	if cfg.RedisURL != "" {
		if rc, err = redisx.Open(cfg.RedisURL, redisx.Options{Timeout: 2 * time.Second, Tracer: rt.Tracing.Tracer}); err != nil {
			return fail(err)
		}
		app.closers = append(app.closers, func() { _ = rc.Close() })
		rt.Health.Add(httpkit.Check{Name: "redis", Critical: false, Fn: redisx.Ping(rc)})
		live = &redisstore.Live{Client: rc, Prefix: cfg.RedisPrefix}
	}

	var remote directory.Remote = &lazySites{rt: rt}
	if deps.Sites != nil {
		remote = deps.Sites
	}
	bill := &lazyBilling{rt: rt}
	var plans quota.Plans = bill
	if deps.Plans != nil {
		plans = deps.Plans
	}
	var customers projection.Customers = bill
	if deps.Customers != nil {
		customers = deps.Customers
	}
	dir := directory.New(remote, st, deps.Now)
	reg := rt.Metrics.Registry
	ingested := meter.NewIngested(reg)
	app.Lag = meter.NewLag(reg, rc, cfg.ConsumerGroup, cfg.EventsFrom, projection.Streams)

	var ts traffic.Service = traffic.NewService(st, live, dir, traffic.Options{Currency: cfg.Currency,
		CollectSecret: cfg.collectSecret(), Now: deps.Now, Log: rt.Log})
	ts = traffic.InstrumentingMiddleware(reg, ingested)(traffic.LoggingMiddleware(rt.Log)(ts))
	var as activity.Service = activity.NewService(st, dir)
	as = activity.InstrumentingMiddleware(reg)(activity.LoggingMiddleware(rt.Log)(as))
	var qs quota.Service = quota.NewService(dir, plans, &quota.DirSizes{Now: deps.Now}, st, deps.Now)
	qs = quota.InstrumentingMiddleware(reg)(quota.LoggingMiddleware(rt.Log)(qs))
	var ss statistics.Service = statistics.NewService(st)
	ss = statistics.InstrumentingMiddleware(reg)(statistics.LoggingMiddleware(rt.Log)(ss))
	var us apiusage.Service = apiusage.NewService(dir, st, st)
	us = apiusage.InstrumentingMiddleware(reg, ingested)(apiusage.LoggingMiddleware(rt.Log)(us))
	app.Traffic, app.Activity, app.Quota, app.Statistics, app.Usage, app.Directory, app.Store = ts, as, qs, ss, us, dir, st

	h := &projection.Handler{Store: st, Group: cfg.ConsumerGroup, Customers: customers, Sites: dir, Ingested: ingested}
	app.Handler = projection.Instrument(reg, h.Handle)
	switch {
	case rc != nil:
		name := consumerName()
		for _, stream := range projection.Streams {
			app.Consumers = append(app.Consumers, &events.Consumer{Client: rc, Stream: stream, Group: cfg.ConsumerGroup,
				Name: name, Handler: app.Handler, Log: rt.Log})
		}
	case deps.Events != nil:
		for _, stream := range projection.Streams {
			deps.Events.Subscribe(stream, cfg.ConsumerGroup, app.Handler)
		}
	default:
		rt.Log.Warn("stats does not follow the other services' events: set HOSTPLANE_REDIS_URL")
	}

	router := httpkit.NewRouter()
	transport.MountSB(router, transport.Endpoints{Traffic: traffic.MakeEndpoints(ts), Activity: activity.MakeEndpoints(as),
		Quota: quota.MakeEndpoints(qs)})
	transport.MountCX(router, statistics.MakeEndpoints(ss))
	transport.MountCollect(router, traffic.MakeEndpoints(ts), &transport.IPLimit{Count: limitN, Period: limitPer, Now: deps.Now})
	transport.MountInternal(router, apiusage.MakeEndpoints(us))
	rt.Public(transport.CollectRoutes...)
	app.API = router

	if !deps.NoBackground && len(app.Consumers) > 0 {
		bg, stop := context.WithCancel(context.WithoutCancel(ctx))
		var wg sync.WaitGroup
		for _, c := range app.Consumers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				consume(bg, c, cfg.EventsFrom, rt.Log)
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			app.Lag.Run(bg, lagEvery, func(err error) { rt.Log.Warn("stats: consumer lag", "err", err) })
		}()
		app.closers = append(app.closers, func() { stop(); wg.Wait() })
	}
	return app, nil
}

// lagEvery is how often the consumer lag is measured.
const lagEvery = 5 * time.Second

// consume runs a consumer until ctx ends, creating its group first at
// from ("0" or "$") and starting again when Redis was down.
func consume(ctx context.Context, c *events.Consumer, from string, log *slog.Logger) {
	for ctx.Err() == nil {
		err := c.Client.XGroupCreateMkStream(ctx, c.Stream, c.Group, from).Err()
		if err == nil || strings.Contains(err.Error(), "BUSYGROUP") {
			err = c.Run(ctx)
		}
		if err != nil && ctx.Err() == nil {
			log.Warn("stats: events consumer stopped; retrying", "stream", c.Stream, "err", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// consumerName names this instance in the consumer groups.
func consumerName() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Run runs the stats service until ctx ends.
func Run(ctx context.Context, cfg Config, logOut io.Writer) error {
	return component.Run(ctx, Name, cfg.Addr, cfg.Config, &cfg, logOut, func(rt *component.Runtime) (http.Handler, func(), error) {
		app, err := New(ctx, cfg, rt, Deps{})
		if err != nil {
			return nil, nil, err
		}
		return app.API, app.Close, nil
	})
}
