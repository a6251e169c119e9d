// Package billing is Hostplane's billing service: users and customers now;
// products, plans, memberships, payments, cx services and checkout later.
// It serves wu customers (/wp-json/wu/v2/customers and /customer) and the
// internal customer route other services read through billing/client.
package billing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memory"
	"github.com/hostplane/hostplane/services/billing/password"
	"github.com/hostplane/hostplane/services/billing/postgres"
	"github.com/hostplane/hostplane/services/billing/transport"
)

// Name is the service name registered in Consul.
const Name = "billing"

// Config configures the billing service.
type Config struct {
	component.Config
	Addr              string `env:"HOSTPLANE_BILLING_ADDR" flag:"addr" default:":8082" usage:"listen address"`
	DatabaseURL       string `env:"HOSTPLANE_BILLING_DATABASE_URL" usage:"billing database (default: HOSTPLANE_DATABASE_URL with database hostplane_billing)"`
	SharedDatabaseURL string `env:"HOSTPLANE_DATABASE_URL" usage:"PostgreSQL server URL; each service uses its own database on it"`
	// Argon2id cost of password hashes: by default the lowest-memory of
	// OWASP's equivalent settings (m=7 MiB, t=5, p=1), so that a hash does not
	// hold 19 MiB of a small service's memory.
	Argon2Memory  int `env:"HOSTPLANE_BILLING_ARGON2_MEMORY_KIB" default:"7168" usage:"argon2id memory of password hashes, KiB"`
	Argon2Time    int `env:"HOSTPLANE_BILLING_ARGON2_TIME" default:"5" usage:"argon2id passes of password hashes"`
	Argon2Threads int `env:"HOSTPLANE_BILLING_ARGON2_THREADS" default:"1" usage:"argon2id lanes of password hashes"`
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
	return nil
}

// Deps are what a caller may provide instead of the defaults.
type Deps struct {
	// Now dates every change (nil: time.Now).
	Now func() time.Time
}

// App is a wired billing service.
type App struct {
	Customers customers.Service
	API       http.Handler
	closers   []func()
}

// Close releases the service's connections.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
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

// New wires stores, services and transports: PostgreSQL when a database is
// configured, in-memory stores otherwise.
func New(ctx context.Context, cfg Config, rt *component.Runtime, deps Deps) (*App, error) {
	app := &App{}
	hasher, err := password.NewArgon2id(cfg.PasswordParams())
	if err != nil {
		return nil, err
	}
	var store customers.Store = memory.NewCustomers()
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{Tracer: rt.Tracing.Tracer}, rt.Log)
	if err != nil {
		return nil, err
	}
	if pool != nil {
		app.closers = append(app.closers, pool.Close)
		store = postgres.NewCustomers(pool)
		rt.Health.Add(httpkit.Check{Name: "postgres", Critical: true, Fn: pgkit.Ping(pool)})
	}

	svc := customers.NewService(store, hasher, deps.Now)
	svc = customers.LoggingMiddleware(rt.Log)(svc)
	svc = customers.InstrumentingMiddleware(rt.Metrics.Registry)(svc)
	app.Customers = svc

	router := httpkit.NewRouter()
	eps := customers.MakeEndpoints(svc)
	transport.MountWU(router, eps)
	transport.MountInternal(router, eps)
	app.API = router
	return app, nil
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
