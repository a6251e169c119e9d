package main

import (
	"context"
	"io"

	"github.com/hostplane/hostplane/gateway"
	"github.com/hostplane/hostplane/libs/config"
	"github.com/hostplane/hostplane/services/auth"
	"github.com/hostplane/hostplane/services/billing"
	"github.com/hostplane/hostplane/services/sites"
	"github.com/hostplane/hostplane/services/stats"
	"github.com/hostplane/hostplane/services/tenancy"
)

// runComponent runs one component as its own process; ok is false for an
// unknown name.
func runComponent(ctx context.Context, name string, args []string, out io.Writer, getenv func(string) string) (ok bool, err error) {
	switch name {
	case "gateway":
		return true, load(ctx, args, out, getenv, gateway.Run)
	case "auth":
		return true, load(ctx, args, out, getenv, auth.Run)
	case "billing":
		return true, load(ctx, args, out, getenv, billing.Run)
	case "sites":
		return true, load(ctx, args, out, getenv, sites.Run)
	case "tenancy":
		return true, load(ctx, args, out, getenv, tenancy.Run)
	case "stats":
		return true, load(ctx, args, out, getenv, stats.Run)
	}
	return false, nil
}

// load reads a component's configuration from the environment and flags,
// then runs it.
func load[C any](ctx context.Context, args []string, out io.Writer, getenv func(string) string, run func(context.Context, C, io.Writer) error) error {
	var cfg C
	if err := config.Load(&cfg, args, getenv); err != nil {
		return err
	}
	return run(ctx, cfg, out)
}
