// Package stats is Hostplane's stats service: the activity log, API hits, visits, orders and forms counters, usage and quotas.
// This first version is a real service process — health, readiness,
// metrics, principal verification and Consul registration — whose features
// arrive in later issues.
package stats

import (
	"context"
	"io"
	"log/slog"
	"net/http"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/httpkit"
)

// Name is the service name registered in Consul.
const Name = "stats"

// Config configures the stats service.
type Config struct {
	component.Config
	Addr string `env:"HOSTPLANE_STATS_ADDR" flag:"addr" default:":8085" usage:"listen address"`
}

// Deps are what a caller may provide instead of the configured ones.
type Deps struct{}

// App is a wired stats service.
type App struct {
	API http.Handler
}

// Close releases the service's resources.
func (a *App) Close() {}

// New wires the service.
func New(_ context.Context, _ Config, _ *component.Runtime, _ Deps) (*App, error) {
	return &App{API: httpkit.NewRouter()}, nil
}

// Migrate creates the service's database when needed and applies its
// migrations (none yet).
func Migrate(_ context.Context, _ Config, _ *slog.Logger) error { return nil }

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
