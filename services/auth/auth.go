// Package auth is Hostplane's auth service: accounts and API keys. It
// verifies credentials for the gateway (internal route), serves key
// administration in the cx dialect (/api/application/keys), and announces
// revocations to every gateway.
package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/keyevents"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/memory"
	"github.com/hostplane/hostplane/services/auth/postgres"
	"github.com/hostplane/hostplane/services/auth/transport"
)

// Name is the service name registered in Consul.
const Name = "auth"

// Config configures the auth service.
type Config struct {
	component.Config
	Addr              string `env:"HOSTPLANE_AUTH_ADDR" flag:"addr" default:":8081" usage:"listen address"`
	DatabaseURL       string `env:"HOSTPLANE_AUTH_DATABASE_URL" usage:"auth database (default: HOSTPLANE_DATABASE_URL with database hostplane_auth)"`
	SharedDatabaseURL string `env:"HOSTPLANE_DATABASE_URL" usage:"PostgreSQL server URL; each service uses its own database on it"`
	RedisURL          string `env:"HOSTPLANE_REDIS_URL" usage:"Redis URL (revocation broadcast)"`
	RootAPIKey        string `env:"HOSTPLANE_ROOT_API_KEY" usage:"api_key of the root key to create or reset at start"`
	RootAPISecret     string `env:"HOSTPLANE_ROOT_API_SECRET" secret:"true" usage:"secret of the root key"`
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	if (c.RootAPIKey == "") != (c.RootAPISecret == "") {
		return errors.New("HOSTPLANE_ROOT_API_KEY and HOSTPLANE_ROOT_API_SECRET go together")
	}
	return nil
}

func (c *Config) database() pgkit.ServiceDatabase {
	return pgkit.ServiceDatabase{Own: c.DatabaseURL, Shared: c.SharedDatabaseURL, Name: "hostplane_auth", Migrations: postgres.Migrations()}
}

// Migrate creates the auth database when needed and applies its migrations.
func Migrate(ctx context.Context, cfg Config, log *slog.Logger) error {
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{}, log)
	if pool != nil {
		pool.Close()
	}
	return err
}

// Deps are what a caller may provide instead of the configured ones
// (single-node mode shares an in-process revocation bus).
type Deps struct {
	Bus keyevents.Bus
}

// App is a wired auth service.
type App struct {
	Keys    keys.Service
	API     http.Handler
	closers []func()
}

// Close releases the service's connections.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
}

// New wires stores, services and transports.
func New(ctx context.Context, cfg Config, rt *component.Runtime, deps Deps) (*App, error) {
	app := &App{}
	var store keys.Store = memory.NewKeys()
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{Tracer: rt.Tracing.Tracer}, rt.Log)
	if err != nil {
		return nil, err
	}
	if pool != nil {
		app.closers = append(app.closers, pool.Close)
		store = postgres.NewKeys(pool)
		rt.Health.Add(httpkit.Check{Name: "postgres", Critical: true, Fn: pgkit.Ping(pool)})
	}
	bus := deps.Bus
	if bus == nil && cfg.RedisURL != "" {
		rc, err := redisx.Open(cfg.RedisURL, redisx.Options{Timeout: time.Second, Tracer: rt.Tracing.Tracer})
		if err != nil {
			app.Close()
			return nil, err
		}
		app.closers = append(app.closers, func() { _ = rc.Close() })
		bus = keyevents.NewRedis(rc)
		rt.Health.Add(httpkit.Check{Name: "redis", Critical: false, Fn: redisx.Ping(rc)})
	}

	var svc keys.Service = keys.NewService(store, bus, time.Now)
	svc = keys.LoggingMiddleware(rt.Log)(svc)
	svc = keys.InstrumentingMiddleware(rt.Metrics.Registry)(svc)
	app.Keys = svc

	if cfg.RootAPIKey != "" {
		_, err := svc.Seed(ctx, keys.NewKey{Name: "root", Email: "root@localhost.localdomain", Permissions: []string{"*"}}, cfg.RootAPIKey, cfg.RootAPISecret)
		if err != nil {
			app.Close()
			return nil, fmt.Errorf("auth: seed root key: %w", err)
		}
	}

	router := httpkit.NewRouter()
	eps := keys.MakeEndpoints(svc)
	transport.MountCX(router, eps, time.Now)
	transport.MountInternal(router, eps)
	app.API = router
	return app, nil
}

// Run runs the auth service until ctx ends.
func Run(ctx context.Context, cfg Config, logOut io.Writer) error {
	return component.Run(ctx, Name, cfg.Addr, cfg.Config, &cfg, logOut, func(rt *component.Runtime) (http.Handler, func(), error) {
		app, err := New(ctx, cfg, rt, Deps{})
		if err != nil {
			return nil, nil, err
		}
		return app.API, app.Close, nil
	})
}
