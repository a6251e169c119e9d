package component

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/hostplane/hostplane/libs/config"
)

// Built is a wired service ready to serve.
type Built struct {
	Runtime *Runtime
	API     http.Handler
	Close   func()
}

// Builder wires a service on its runtime: the API to serve and what to
// release when it stops.
type Builder func(rt *Runtime) (api http.Handler, closeFn func(), err error)

// Build creates the runtime of service name, logs its configuration (cfg,
// masked) and wires it.
func Build(ctx context.Context, name string, common Config, cfg any, logOut io.Writer, build Builder) (*Built, error) {
	rt, err := New(ctx, name, common, logOut)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rt.LogConfig(config.Masked(cfg))
	api, closeFn, err := build(rt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if closeFn == nil {
		closeFn = func() {}
	}
	return &Built{Runtime: rt, API: api, Close: closeFn}, nil
}

// Serve serves the service on addr until ctx ends, then releases it.
func (b *Built) Serve(ctx context.Context, addr string) error {
	defer b.Runtime.CloseUpstreams()
	defer b.Close()
	return b.Runtime.Serve(ctx, addr, b.API)
}

// Run builds and serves a service until ctx ends.
func Run(ctx context.Context, name, addr string, common Config, cfg any, logOut io.Writer, build Builder) error {
	b, err := Build(ctx, name, common, cfg, logOut, build)
	if err != nil {
		return err
	}
	return b.Serve(ctx, addr)
}

// Load reads a component's configuration from getenv and flags (args) and
// runs it: what `hostplane <component>` and each cmd/<component> do.
func Load[C any](ctx context.Context, args []string, getenv func(string) string, logOut io.Writer, run func(context.Context, C, io.Writer) error) error {
	var cfg C
	if err := config.Load(&cfg, args, getenv); err != nil {
		return err
	}
	return run(ctx, cfg, logOut)
}

// Main is the whole main function of a component's own command: it loads
// the configuration from the environment and flags, runs the component
// until SIGINT or SIGTERM (which drain in-flight requests), and exits 1 with
// the error on failure.
func Main[C any](name string, run func(context.Context, C, io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Load(ctx, os.Args[1:], os.Getenv, os.Stdout, run)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
