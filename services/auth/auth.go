// Package auth is Hostplane's auth service: accounts and API keys. It
// verifies credentials for the gateway and feeds it the settings it applies
// and the keys' activity logs (internal routes); serves key administration
// (create, update, rotate, revoke, activity) and the license in the cx
// dialect, the account and its contact in the sb dialect, and the
// installation's settings in the wu dialect; and announces revocations,
// rotations and key changes to every gateway.
package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/keyevents"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/services/auth/accounts"
	"github.com/hostplane/hostplane/services/auth/activity"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/license"
	"github.com/hostplane/hostplane/services/auth/memory"
	"github.com/hostplane/hostplane/services/auth/postgres"
	"github.com/hostplane/hostplane/services/auth/settings"
	"github.com/hostplane/hostplane/services/auth/transport"
	"github.com/jackc/pgx/v5/pgxpool"
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
	InstallationName  string `env:"HOSTPLANE_NAME" default:"Hostplane" usage:"installation name (the license's issued_to when neither company_name nor the operator's company is set)"`
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

// Deps are what a caller may provide instead of the configured ones.
type Deps struct {
	// Bus is the revocation bus (single-node mode shares an in-process
	// one); nil: Redis when configured.
	Bus keyevents.Bus
	// Version is the running version the license shows (empty: the
	// binary's build version).
	Version string
	// Now dates every change (nil: time.Now).
	Now func() time.Time
}

// App is a wired auth service.
type App struct {
	Keys     keys.Service
	Accounts accounts.Service
	Settings settings.Service
	License  license.Service
	Activity activity.Service
	API      http.Handler
	closers  []func()
}

// Close releases the service's connections.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

// stores are the adapters one wiring uses.
type stores struct {
	keys         keys.Store
	accounts     accounts.Store
	settings     settings.Store
	activity     activity.Store
	installation license.Store
}

func memoryStores() stores {
	m := memory.NewStores()
	return stores{keys: m.Keys, accounts: m.Accounts, settings: m.Settings, activity: m.Activity, installation: m.Installation}
}

func postgresStores(pool *pgxpool.Pool) stores {
	return stores{keys: postgres.NewKeys(pool), accounts: postgres.NewAccounts(pool), settings: postgres.NewSettings(pool),
		activity: postgres.NewActivity(pool), installation: postgres.NewInstallation(pool)}
}

// New wires stores, services and transports: PostgreSQL when a database is
// configured, in-memory stores otherwise. It makes the operator's account
// and, when configured, the root key.
func New(ctx context.Context, cfg Config, rt *component.Runtime, deps Deps) (*App, error) {
	app := &App{}
	st := memoryStores()
	pool, err := pgkit.OpenService(ctx, cfg.database(), pgkit.Options{Tracer: rt.Tracing.Tracer}, rt.Log)
	if err != nil {
		return nil, err
	}
	if pool != nil {
		app.closers = append(app.closers, pool.Close)
		st = postgresStores(pool)
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
	reg := rt.Metrics.Registry

	var acc accounts.Service = accounts.NewService(st.accounts, deps.Now)
	acc = accounts.InstrumentingMiddleware(reg)(accounts.LoggingMiddleware(rt.Log)(acc))
	var set settings.Service = settings.NewService(st.settings, deps.Now)
	set = settings.InstrumentingMiddleware(reg)(settings.LoggingMiddleware(rt.Log)(set))
	var ks keys.Service = keys.NewService(st.keys, bus, deps.Now, keys.WithDefaultGrace(func(ctx context.Context) (time.Duration, error) {
		return set.Duration(ctx, settings.KeyRotationGrace)
	}), keys.WithRotationSecret(cfg.InternalSecret), keys.WithAccounts(keyAccounts{store: st.accounts, now: deps.Now}))
	ks = keys.InstrumentingMiddleware(reg)(keys.LoggingMiddleware(rt.Log)(ks))
	var act activity.Service = activity.NewService(st.activity, ks)
	act = activity.InstrumentingMiddleware(reg)(activity.LoggingMiddleware(rt.Log)(act))
	var lic license.Service = license.NewService(st.installation, license.Options{Version: deps.Version, Now: deps.Now,
		IssuedTo: issuedTo(set, st.accounts, cfg.InstallationName)})
	lic = license.InstrumentingMiddleware(reg)(license.LoggingMiddleware(rt.Log)(lic))
	app.Keys, app.Accounts, app.Settings, app.Activity, app.License = ks, acc, set, act, lic

	if err := acc.EnsureOperator(ctx); err != nil {
		app.Close()
		return nil, fmt.Errorf("auth: operator account: %w", err)
	}
	if cfg.RootAPIKey != "" {
		_, err := ks.Seed(ctx, keys.NewKey{Name: "root", Email: "root@localhost.localdomain", Permissions: []string{"*"}}, cfg.RootAPIKey, cfg.RootAPISecret)
		if err != nil {
			app.Close()
			return nil, fmt.Errorf("auth: seed root key: %w", err)
		}
	}

	router := httpkit.NewRouter()
	eps := transport.Endpoints{
		Keys: keys.MakeEndpoints(ks), Accounts: accounts.MakeEndpoints(acc), Settings: settings.MakeEndpoints(set),
		License: license.MakeEndpoints(lic), Activity: activity.MakeEndpoints(act),
	}
	now := deps.Now
	if now == nil {
		now = time.Now
	}
	transport.MountCX(router, eps, now)
	transport.MountSB(router, eps)
	transport.MountWU(router, eps)
	transport.MountInternal(router, eps)
	app.API = transport.Untunnel(router, cfg.MaxBodyBytes)
	return app, nil
}

// issuedTo names the licensee: the company_name setting, else the
// operator's company, else the installation's name.
func issuedTo(set settings.Service, acc accounts.Store, fallback string) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		name, err := set.Text(ctx, settings.CompanyName)
		if err != nil {
			return "", err
		}
		if name = strings.TrimSpace(name); name != "" {
			return name, nil
		}
		op, err := acc.Get(ctx, accounts.OperatorID)
		if err != nil {
			return "", err
		}
		if name = strings.TrimSpace(op.Contact.CompanyName); name != "" {
			return name, nil
		}
		return fallback, nil
	}
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
