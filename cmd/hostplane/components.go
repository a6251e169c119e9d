package main

import (
	"context"
	"io"

	"github.com/hostplane/hostplane/gateway"
	"github.com/hostplane/hostplane/libs/component"
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
		return true, component.Load(ctx, args, getenv, out, gateway.Run)
	case "auth":
		return true, component.Load(ctx, args, getenv, out, auth.Run)
	case "billing":
		return true, component.Load(ctx, args, getenv, out, billing.Run)
	case "sites":
		return true, component.Load(ctx, args, getenv, out, sites.Run)
	case "tenancy":
		return true, component.Load(ctx, args, getenv, out, tenancy.Run)
	case "stats":
		return true, component.Load(ctx, args, getenv, out, stats.Run)
	}
	return false, nil
}
